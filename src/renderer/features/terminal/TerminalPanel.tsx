import { useEffect, type ReactElement } from 'react'
import type { Thread } from '../../../shared/models'
import { Icon } from '../../ui/Icon'
import { StartSession } from './StartSession'
import { loadPtys, openShell } from './terminal-actions'
import { offersStart, resolveActiveTab, useTerminals } from './terminal-store'
import { TerminalTabs } from './TerminalTabs'
import { TerminalView } from './TerminalView'

/** The Terminal tab of a thread: its terminals' tab strip over the one shown, or the profile picker. */
export function TerminalPanel({ thread }: { thread: Thread }): ReactElement {
  const ptys = useTerminals((s) => s.ptysByThread[thread.id])
  const picked = useTerminals((s) => s.activeByThread[thread.id])
  const error = useTerminals((s) => s.errorByThread[thread.id])
  const agentPtyId = thread.agent?.ptyId

  useEffect(() => {
    void loadPtys(thread.id)
  }, [thread.id])

  // A session started elsewhere (the CLI, another window): fetch the list again to show its tab.
  useEffect(() => {
    const known = useTerminals.getState().ptysByThread[thread.id]
    if (agentPtyId && known && !known.some((p) => p.id === agentPtyId)) void loadPtys(thread.id)
  }, [thread.id, agentPtyId])

  const offerStart = offersStart(thread, ptys)
  const active = resolveActiveTab(ptys, picked, offerStart)
  const pty = ptys?.find((p) => p.id === active)

  return (
    <div className="terminal-panel">
      <TerminalTabs thread={thread} ptys={ptys ?? []} active={active} />
      {error && (
        <div className="banner banner-error terminal-error" role="alert">
          <Icon name="alert" size={15} />
          <span className="terminal-error-text">{error}</span>
          <button
            type="button"
            className="icon-btn"
            aria-label="Dismiss error"
            onClick={() => useTerminals.getState().setError(thread.id, null)}
          >
            <Icon name="close" size={12} />
          </button>
        </div>
      )}
      {pty?.agentCommand && (
        <div className="banner banner-note terminal-agent-banner" role="status">
          <Icon name="terminal" size={15} />
          <span className="terminal-error-text">
            The agent is running <code>{pty.agentCommand.split('\n')[0]}</code> here. Typing now would mix with its command.
          </span>
        </div>
      )}
      <div className="terminal-body" id="terminal-panel-body" role="tabpanel" aria-labelledby={`terminal-tab-${active}`}>
        {!ptys ? (
          <div className="empty-state" aria-busy="true">
            <div className="spinner" aria-hidden="true" />
          </div>
        ) : pty ? (
          <TerminalView key={pty.id} pty={pty} />
        ) : offerStart ? (
          <StartSession thread={thread} />
        ) : (
          <NoTerminalYet thread={thread} />
        )}
      </div>
    </div>
  )
}

/** A built-in agent's thread before its agent ran a command: where its shell will appear, and a plain terminal for the person. */
function NoTerminalYet({ thread }: { thread: Thread }): ReactElement {
  return (
    <div className="empty-state">
      <Icon name="terminal" size={26} />
      <h2>No terminal yet</h2>
      <p>The built-in agent runs its commands in its own Agent shell, which opens here so you can watch it live.</p>
      <button type="button" className="btn" onClick={() => void openShell(thread.id)}>
        <Icon name="plus" />
        New terminal
      </button>
    </div>
  )
}
