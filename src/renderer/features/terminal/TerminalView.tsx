import { useEffect, useRef, useState, type MouseEvent, type ReactElement } from 'react'
import type { PtyInfo } from '../../../shared/models'
import { Icon } from '../../ui/Icon'
import { openMenu } from '../../ui/menu-store'
import { restartPty } from './terminal-actions'
import { terminalMenuEntries } from './terminal-menu'
import { acquireSession, getSession, hideSession, showSession, updateSession } from './terminal-pool'
import { useTerminals } from './terminal-store'
import { TerminalFindBar } from './TerminalFindBar'
import { exitText } from './TerminalTabs'

/**
 * Shows one pty's terminal. The xterm instance lives in the pool, so it survives this view: mounting
 * re-parents it here (WebGL on), unmounting takes it off screen (WebGL off) but keeps it attached.
 */
export function TerminalView({ pty }: { pty: PtyInfo }): ReactElement {
  const container = useRef<HTMLDivElement>(null)
  const [findOpen, setFindOpen] = useState(false)
  const attachError = useTerminals((s) => s.errorByPty[pty.id])

  useEffect(() => {
    const el = container.current
    if (!el) return
    const session = acquireSession(pty)
    showSession(session, el)
    let frame = 0
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame)
      frame = requestAnimationFrame(() => session.fitNow())
    })
    observer.observe(el)
    const offFind = session.onFindRequested(() => setFindOpen(true))
    return () => {
      cancelAnimationFrame(frame)
      observer.disconnect()
      offFind()
      hideSession(session)
    }
    // one session per pty id; later changes to the pty arrive through updateSession below
  }, [pty.id])

  useEffect(() => updateSession(pty), [pty])

  const onContextMenu = (e: MouseEvent<HTMLDivElement>) => {
    const session = getSession(pty.id)
    if (!session) return
    e.preventDefault()
    openMenu('Terminal', terminalMenuEntries(session), { x: e.clientX, y: e.clientY }, session.term.textarea ?? null)
  }

  const closeFind = () => {
    setFindOpen(false)
    getSession(pty.id)?.focus()
  }

  const ended = exitText(pty)
  return (
    <div className="terminal-view">
      {findOpen && <TerminalFindBar ptyId={pty.id} onClose={closeFind} />}
      <div ref={container} className="terminal-container" data-pty-state={pty.state} onContextMenu={onContextMenu} />
      {attachError && (
        <div className="terminal-overlay" role="alert">
          <Icon name="alert" size={18} />
          <p>Could not show this terminal: {attachError}</p>
          <button type="button" className="btn btn-small" onClick={() => void getSession(pty.id)?.attach()}>
            Try again
          </button>
        </div>
      )}
      {ended && (
        <div className="terminal-exit-bar" role="status">
          <span className={`term-exit${pty.exitCode ? ' is-failed' : ''}`}>{ended}</span>
          <span className="terminal-exit-text">
            {pty.endedByRestart
              ? 'This session ended when Skein quit. Its output is kept above.'
              : pty.kind === 'run' && pty.signal
                ? 'The dev server was stopped, with everything it started. Its output is kept above.'
                : pty.exitCode !== null && !pty.signal
                  ? `The process exited with code ${pty.exitCode}.`
                  : pty.signal !== null
                    ? `The process was stopped by signal ${pty.signal}.`
                    : 'The process has ended.'}
          </span>
          <span className="spacer" />
          <button type="button" className="btn btn-small" onClick={() => void restartPty(pty)}>
            <Icon name="restore" size={12} />
            {pty.kind === 'agent' ? 'Start again' : pty.kind === 'run' ? 'Run again' : 'New shell'}
          </button>
        </div>
      )}
    </div>
  )
}
