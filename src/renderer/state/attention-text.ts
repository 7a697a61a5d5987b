import type { Thread } from '../../shared/models'
import { isAgentProfile } from '../../shared/thread-state'

/** True while the built-in agent of a thread waits for an approval. */
export const awaitsApproval = (thread: Thread): boolean => thread.status === 'needs-attention' && thread.conversation.busy

/** "Needs approval: <summary>" (or just "Needs approval" before the summary is known). */
export const approvalText = (summary: string | undefined): string => (summary ? `Needs approval: ${summary}` : 'Needs approval')

/** "Finished", and for an investigation the first line of its finding (its last reply). */
export function findingText(thread: Thread, finding: string | undefined): string {
  const first = thread.focus
    ? finding
        ?.split('\n')
        .find((l) => l.trim())
        ?.trim()
    : undefined
  if (!first) return 'Finished'
  return `Finished: ${first.length > 140 ? `${first.slice(0, 139)}…` : first}`
}

/**
 * What a notification says happened to a thread that just became unread (or whose agent exited
 * while unread): an approval, a session's exit ("Exited with code 3"), a CLI agent waiting for
 * input, or a turn of the built-in agent that ended ("Finished"; an investigation adds its finding).
 */
export function attentionText(previous: Thread | undefined, next: Thread, approvalSummary?: string, finding?: string): string {
  if (awaitsApproval(next)) return approvalText(approvalSummary)
  const agent = next.agent
  const turnEnded = !!previous?.conversation.busy && !next.conversation.busy
  const agentExited = agent?.activity === 'exited' && previous?.agent?.activity !== 'exited'
  if (turnEnded && !agentExited) return findingText(next, finding)
  if (agent?.activity === 'exited') {
    if (agent.exitCode === null) return 'The session ended'
    return agent.exitCode === 0 ? 'Finished (exited with code 0)' : `Exited with code ${agent.exitCode}`
  }
  if (agent?.activity === 'waiting' && isAgentProfile(agent.profileId)) return 'Waiting for input'
  return 'Finished'
}
