import { useId, type KeyboardEvent, type ReactElement } from 'react'
import type { Thread } from '../../../shared/models'
import { tabsFor, type ThreadTabId } from './thread-tabs'
import { ThreadHeader } from './ThreadHeader'
import { useThreadView } from './thread-view-store'

/** The main area for one thread: its header, then a tab bar over the tab panels. */
export function ThreadView({ thread }: { thread: Thread }): ReactElement {
  const tabs = tabsFor(thread)
  const stored = useThreadView((s) => s.tabByThread[thread.id])
  const setTab = useThreadView((s) => s.setTab)
  // A thread opens on its agent's tab, which comes first.
  const current = tabs.find((t) => t.id === stored) ?? tabs[0]
  const baseId = useId()
  const tabId = (id: ThreadTabId) => `${baseId}-tab-${id}`
  const panelId = (id: ThreadTabId) => `${baseId}-panel-${id}`

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const index = tabs.findIndex((t) => t.id === current.id)
    const delta = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0
    if (!delta) return
    e.preventDefault()
    const next = tabs[(index + delta + tabs.length) % tabs.length]
    setTab(thread.id, next.id)
    document.getElementById(tabId(next.id))?.focus()
  }

  const Panel = current.Panel
  return (
    <section className="thread-view" aria-label={`Thread ${thread.title}`}>
      <ThreadHeader thread={thread} />
      <div className="tab-bar" role="tablist" aria-label="Thread views" onKeyDown={onKeyDown}>
        {tabs.map((t) => (
          <button
            key={t.id}
            id={tabId(t.id)}
            type="button"
            role="tab"
            className="tab"
            aria-selected={t.id === current.id}
            aria-controls={panelId(t.id)}
            tabIndex={t.id === current.id ? 0 : -1}
            aria-keyshortcuts={t.keys}
            title={t.keys ? `${t.label} (${t.keys.replace('Control+', 'Ctrl+').replace('Meta+', '⌘')})` : undefined}
            onClick={() => setTab(thread.id, t.id)}
          >
            {t.label}
            {t.Badge && <t.Badge thread={thread} />}
          </button>
        ))}
      </div>
      <div className={`tab-panel tab-panel-${current.id}`} role="tabpanel" id={panelId(current.id)} aria-labelledby={tabId(current.id)}>
        <Panel thread={thread} />
      </div>
    </section>
  )
}
