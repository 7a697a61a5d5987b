import type { KeyboardEvent, ReactElement } from 'react'
import type { PtyInfo, Thread } from '../../../shared/models'
import { useDialogs } from '../../state/dialogs-store'
import { Icon } from '../../ui/Icon'
import { isMac } from '../../ui/keyboard'
import { profileLabel } from '../agents'
import { isArchived } from '../../state/threads-store'
import { closePty, openShell } from './terminal-actions'
import { focusTerminal } from './terminal-bridge'
import { offersStart, START_TAB, useTerminals } from './terminal-store'

/** The label of a terminal tab: the profile for an agent session (numbered from the second), "Terminal N" for extra shells. */
export function terminalLabel(pty: PtyInfo, ptys: PtyInfo[]): string {
  if (pty.kind === 'agent') {
    const same = ptys.filter((p) => p.kind === 'agent' && p.profileId === pty.profileId)
    const n = same.indexOf(pty)
    return n > 0 ? `${profileLabel(pty.profileId)} ${n + 1}` : profileLabel(pty.profileId)
  }
  if (pty.kind === 'run') return 'Run'
  // The built-in agent's shells are named for it and for the sandbox they run in.
  if (pty.title === 'Agent shell')
    return pty.sandbox === 'read-only'
      ? 'Agent shell (read-only sandbox)'
      : pty.sandbox === 'worktree'
        ? 'Agent shell (sandboxed)'
        : 'Agent shell'
  // The environment's setup runs in its own terminal, named for it.
  if (pty.title === 'Setup') return 'Setup'
  const shells = ptys.filter((p) => p.kind === 'shell' && p.title !== 'Agent shell' && p.title !== 'Setup')
  return `Terminal ${shells.indexOf(pty) + 1}`
}

/** "exited 0", "exited 1", "ended" (killed by a signal or when Skein quit; "stopped" for a dev server), or null while running. */
export function exitText(pty: PtyInfo): string | null {
  if (pty.state !== 'exited') return null
  if (pty.exitCode !== null && !pty.endedByRestart && !pty.signal) return `exited ${pty.exitCode}`
  return pty.kind === 'run' ? 'stopped' : 'ended'
}

const newShellShortcut = isMac ? '⌘⇧`' : 'Ctrl+Shift+`'

/** The strip of a thread's terminals: the agent session first, then shells, a "+" for another shell. */
export function TerminalTabs({ thread, ptys, active }: { thread: Thread; ptys: PtyInfo[]; active: string }): ReactElement {
  const setActive = useTerminals((s) => s.setActive)
  const busy = useTerminals((s) => !!s.busyByThread[thread.id])
  const offerStart = offersStart(thread, ptys)
  const ids = [...(offerStart ? [START_TAB] : []), ...ptys.map((p) => p.id)]
  const archived = isArchived(thread)

  const select = (id: string) => {
    setActive(thread.id, id)
    if (id !== START_TAB) focusTerminal(id)
  }

  const close = (pty: PtyInfo) => {
    if (pty.state === 'running') useDialogs.getState().open({ kind: 'close-terminal', threadId: thread.id, ptyId: pty.id })
    else void closePty(pty)
  }

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const current = ptys.find((p) => p.id === active)
    if (e.key === 'Delete' && current) {
      e.preventDefault()
      close(current)
      return
    }
    const delta = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0
    if (!delta) return
    e.preventDefault()
    const next = ids[(ids.indexOf(active) + delta + ids.length) % ids.length]
    setActive(thread.id, next)
    document.querySelector<HTMLElement>(`[data-terminal-tab="${CSS.escape(next)}"]`)?.focus()
  }

  return (
    <div className="terminal-tabs">
      <div className="terminal-tablist" role="tablist" aria-label="Terminals" onKeyDown={onKeyDown}>
        {offerStart && (
          <div className={`term-tab${active === START_TAB ? ' is-active' : ''}`}>
            <button
              type="button"
              role="tab"
              className="term-tab-button"
              id={`terminal-tab-${START_TAB}`}
              data-terminal-tab={START_TAB}
              aria-selected={active === START_TAB}
              aria-controls={active === START_TAB ? 'terminal-panel-body' : undefined}
              tabIndex={active === START_TAB ? 0 : -1}
              onClick={() => select(START_TAB)}
            >
              <Icon name="terminal" size={12} />
              Start agent
            </button>
          </div>
        )}
        {ptys.map((p) => {
          const label = terminalLabel(p, ptys)
          const exited = exitText(p)
          const selected = p.id === active
          return (
            <div key={p.id} className={`term-tab${selected ? ' is-active' : ''}${exited ? ' is-exited' : ''}`}>
              <button
                type="button"
                role="tab"
                className="term-tab-button"
                id={`terminal-tab-${p.id}`}
                data-terminal-tab={p.id}
                aria-selected={selected}
                aria-controls={selected ? 'terminal-panel-body' : undefined}
                aria-keyshortcuts="Delete"
                aria-label={exited ? `${label}, ${exited}` : label}
                title={p.command || label}
                tabIndex={selected ? 0 : -1}
                onClick={() => select(p.id)}
              >
                <span className={`term-dot${exited ? '' : ' is-running'}`} aria-hidden="true" />
                <span className="term-tab-label">{label}</span>
                {exited && (
                  <span className={`term-exit${p.exitCode ? ' is-failed' : ''}`} aria-hidden="true">
                    {exited}
                  </span>
                )}
              </button>
              <button
                type="button"
                className="icon-btn term-tab-close"
                tabIndex={-1}
                aria-label={`Close ${label}`}
                title={`Close ${label}`}
                onClick={() => close(p)}
              >
                <Icon name="close" size={11} />
              </button>
            </div>
          )
        })}
      </div>
      <button
        type="button"
        className="icon-btn term-new"
        aria-label="New shell"
        aria-keyshortcuts={isMac ? 'Meta+Shift+`' : 'Control+Shift+`'}
        title={archived ? 'Restore the thread to open a shell' : `New shell (${newShellShortcut})`}
        disabled={busy || archived}
        onClick={() => void openShell(thread.id)}
      >
        <Icon name="plus" size={14} />
      </button>
    </div>
  )
}
