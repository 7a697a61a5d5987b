import type { ReactElement } from 'react'
import { useConnection } from '../../state/connection-store'
import { useDialogs } from '../../state/dialogs-store'
import { useNavigation } from '../../state/navigation-store'
import { Icon } from '../../ui/Icon'
import { isMac, shortcutLabel } from '../../ui/keyboard'
import { openImportSessions } from '../handoff'
import { useRepos } from '../../state/repos-store'
import { useLiveCount } from '../../state/thread-windows'
import { SidebarResizer } from './SidebarResizer'
import { useSidebar } from '../../state/sidebar-store'
import { SidebarTree } from './SidebarTree'
import { SearchBox, SearchPanel, useSearch } from '../search'

/** The left column: navigation, the repository/thread tree, and the empty state before any repo exists. */
export function Sidebar(): ReactElement {
  const open = useDialogs((s) => s.open)
  const view = useNavigation((s) => s.view)
  const showDashboard = useNavigation((s) => s.showDashboard)
  const liveCount = useLiveCount()
  const repoCount = useRepos((s) => Object.keys(s.byId).length)
  const loaded = useRepos((s) => s.loaded)
  const hello = useConnection((s) => s.hello)
  const width = useSidebar((s) => s.width)
  const searching = useSearch((s) => s.open)

  return (
    <nav className="sidebar" aria-label="Sidebar" style={{ width }}>
      <SidebarResizer />
      <div className="sidebar-brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">Skein</span>
      </div>
      <SearchBox />
      {searching ? (
        <SearchPanel />
      ) : (
        <>
          <div className="sidebar-nav">
            <button
              type="button"
              className={`nav-item${view === 'dashboard' ? ' is-current' : ''}`}
              aria-keyshortcuts={isMac ? 'Meta+0' : 'Control+0'}
              aria-current={view === 'dashboard' ? 'page' : undefined}
              title={`Dashboard (${shortcutLabel('0')})`}
              onClick={showDashboard}
            >
              <Icon name="dashboard" />
              <span className="nav-label">Dashboard</span>
              <span className="row-count">{liveCount ? liveCount.toLocaleString('en-US') : ''}</span>
            </button>
            <button
              type="button"
              className="nav-item"
              aria-label="New thread"
              aria-keyshortcuts={isMac ? 'Meta+N' : 'Control+N'}
              title={`New thread (${shortcutLabel('N')})`}
              disabled={repoCount === 0}
              onClick={() => open({ kind: 'new-thread' })}
            >
              <Icon name="plus" />
              <span className="nav-label">New thread</span>
              <kbd className="nav-kbd">{shortcutLabel('N')}</kbd>
            </button>
            <button
              type="button"
              className="nav-item"
              title="Start several investigation threads from one prompt"
              disabled={repoCount === 0}
              onClick={() => open({ kind: 'fanout' })}
            >
              <Icon name="search" />
              <span className="nav-label">Investigate…</span>
            </button>
            <button
              type="button"
              className="nav-item"
              title="Import a Claude Code or Codex session that ran in a repository"
              disabled={repoCount === 0}
              onClick={() => openImportSessions()}
            >
              <Icon name="download" />
              <span className="nav-label">Import sessions…</span>
            </button>
          </div>
          <div className="sidebar-section">
            <span className="sidebar-section-title">Repositories</span>
            <button
              type="button"
              className="icon-btn"
              aria-label="Add repository"
              title="Add repository"
              onClick={() => open({ kind: 'add-repo' })}
            >
              <Icon name="plus" size={13} />
            </button>
          </div>
          {loaded && repoCount === 0 ? (
            <div className="sidebar-empty">
              <Icon name="repo" size={22} />
              <p>Add a repository to get started</p>
              <button type="button" className="btn btn-primary" onClick={() => open({ kind: 'add-repo' })}>
                Add repository
              </button>
            </div>
          ) : (
            <SidebarTree />
          )}
        </>
      )}
      <footer className="sidebar-footer">
        <span className="footer-text" title={hello ? `Data in ${hello.home}` : undefined}>
          {hello ? `Skein ${hello.version}` : 'Skein'}
        </span>
        <button type="button" className="icon-btn" aria-label="Settings" title="Settings" onClick={() => open({ kind: 'settings' })}>
          <Icon name="settings" size={14} />
        </button>
      </footer>
    </nav>
  )
}
