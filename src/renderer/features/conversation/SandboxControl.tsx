import type { ReactElement } from 'react'
import type { Thread } from '../../../shared/models'
import { useSettings } from '../settings'
import { configureConversation } from './conversation-actions'

const SANDBOX_NAMES = { bwrap: 'bubblewrap', seatbelt: 'Seatbelt' } as const

/**
 * What contains the agent's commands in this thread: the OS sandbox (always on in Plan mode,
 * a choice in the other modes) and network access; or, where the machine has none, a warning.
 */
export function SandboxControl({ thread }: { thread: Thread }): ReactElement | null {
  const support = useSettings((s) => s.settings?.sandbox)
  if (!support) return null
  const { permissionMode, sandbox, network } = thread.conversation
  if (support.kind === 'none') {
    return (
      <span
        className="sandbox-state sandbox-none"
        role="status"
        title={`No OS sandbox: ${support.reason}. ${permissionMode === 'plan' ? 'Plan mode asks before every command that is not on its read-only list.' : 'Commands run with your full access.'}`}
      >
        No sandbox
      </span>
    )
  }
  const plan = permissionMode === 'plan'
  const on = plan || sandbox
  const what = plan ? 'Read-only sandbox' : on ? 'Sandbox: writes only in the worktree' : 'Sandbox off'
  const tip = plan
    ? `Plan mode: commands run in a ${SANDBOX_NAMES[support.kind]} sandbox where nothing can be written (a private temp folder aside).`
    : on
      ? `Commands run in a ${SANDBOX_NAMES[support.kind]} sandbox: they can write only inside this thread's worktree. Turn it off to let them write anywhere you can.`
      : 'Commands run with your full access. Turn the sandbox on to let them write only inside the worktree.'
  return (
    <span className="sandbox-controls" role="group" aria-label="Containment">
      <button
        type="button"
        className={`chip sandbox-chip${on ? ' is-pressed' : ''}`}
        aria-pressed={on}
        disabled={plan}
        title={tip}
        onClick={() => void configureConversation(thread, { sandbox: !sandbox })}
      >
        <span className={`chip-dot ${on ? 'dot-safe' : 'dot-open'}`} aria-hidden="true" />
        {what}
      </button>
      {on && (
        <button
          type="button"
          className={`chip${network ? ' is-pressed' : ''}`}
          aria-pressed={network}
          title={
            network
              ? 'Sandboxed commands can reach the network. Click to cut it off.'
              : 'Sandboxed commands cannot reach the network (not even localhost). Click to allow it.'
          }
          onClick={() => void configureConversation(thread, { network: !network })}
        >
          {network ? 'Network on' : 'Network off'}
        </button>
      )}
    </span>
  )
}
