import { appError, ErrorCode } from '../../../shared/errors'
import type { Thread } from '../../../shared/models'
import { err, type Result } from '../../../shared/result'

/** The two ways a message reaches a thread's agent. */
export interface AgentTargets {
  writeToPty(ptyId: string, data: string): Result<void>
  sendToAgent(threadId: string, text: string): Promise<Result<void>>
}

/** Who got a message: a live CLI agent in the thread's terminal, or Skein's built-in agent. */
export type AgentRecipient = 'cli-agent' | 'built-in-agent'

/**
 * Sends one message to the thread's agent: typed into a live CLI agent session as a bracketed
 * paste (so its newlines do not submit early), else as a user turn of the built-in agent.
 */
export async function sendToThreadAgent(thread: Thread | undefined, text: string, targets: AgentTargets): Promise<Result<AgentRecipient>> {
  if (!thread) return err(appError(ErrorCode.ThreadNotFound, 'That thread does not exist any more.'))
  const cli = thread.agent && thread.agent.activity !== 'exited' ? thread.agent.ptyId : null
  const sent = cli ? targets.writeToPty(cli, `\x1b[200~${text}\x1b[201~\r`) : await targets.sendToAgent(thread.id, text)
  return sent.ok ? { ok: true, value: cli ? 'cli-agent' : 'built-in-agent' } : sent
}
