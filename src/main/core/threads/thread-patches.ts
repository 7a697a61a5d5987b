import { existsSync } from 'node:fs'
import { defaultConversation, type AgentState, type Repo, type Thread } from '../../../shared/models'
import { DEFAULT_MODEL } from '../../../shared/pricing'
import { slugify } from './slug'
import type { CreateThreadInput } from './thread-service-deps'

/** A new thread as a create records it, before its worktree (if any) is made. */
export function newThreadRecord(input: CreateThreadInput, repo: Repo, id: string, now: number, baseRef: string): Thread {
  const title = input.title.trim()
  return {
    id,
    repoId: repo.id,
    title,
    slug: slugify(title),
    mode: input.mode,
    branch: null,
    baseRef,
    worktreePath: repo.path,
    status: 'idle',
    statusMessage: null,
    createdAt: now,
    lastActivityAt: now,
    archivedAt: null,
    snapshotRef: null,
    agent: null,
    unread: false,
    conversation: defaultConversation(DEFAULT_MODEL, input.permissionMode),
    imported: input.imported ?? null,
    ...(input.focus ? { focus: input.focus } : {}),
    ...(input.forkedFrom ? { forkedFrom: input.forkedFrom } : {})
  }
}

/** The change an agent session's new state makes to its thread; status and unread follow from it. */
export function agentStatePatch(t: Thread, agent: AgentState, failure: string | undefined, viewed: boolean): Partial<Thread> {
  const patch: Partial<Thread> = { agent, lastActivityAt: Date.now() }
  const worktreeGone = t.mode === 'worktree' && (t.branch === null || !existsSync(t.worktreePath))
  // An archived thread stays archived; only its agent state is recorded.
  if (t.status !== 'archived' && failure) {
    patch.status = 'error'
    patch.statusMessage = failure
  } else if (t.status !== 'archived' && !worktreeGone) {
    // A session's activity replaces any earlier agent error; a missing worktree's error stays until restore.
    // "Needs attention" is for approvals only: an agent waiting for input is idle, its activity says "waiting".
    patch.status = agent.activity === 'running' ? 'running' : 'idle'
    if (t.status === 'error') patch.statusMessage = null
  }
  // News: an agent now waits for the person, or a session ended; a shell going quiet is not.
  if ((agent.activity === 'waiting' || agent.activity === 'exited') && !viewed) patch.unread = true
  return patch
}

/** The change the built-in agent's new state makes; `phase` sets the status: running, waiting for an approval, or done. */
export function conversationPatch(
  t: Thread,
  patch: Partial<Thread['conversation']>,
  phase: 'running' | 'approval' | 'done' | null,
  viewed: boolean
): Partial<Thread> {
  const turns = (t.conversation.turns ?? 0) + (phase === 'done' ? 1 : 0)
  const next: Partial<Thread> = { conversation: { ...t.conversation, ...patch, turns }, lastActivityAt: Date.now() }
  if (phase && t.status !== 'archived' && !(t.status === 'error' && t.mode === 'worktree' && !existsSync(t.worktreePath))) {
    next.status = phase === 'running' ? 'running' : phase === 'approval' ? 'needs-attention' : 'idle'
    if (t.status === 'error') next.statusMessage = null
    if (phase !== 'running' && !viewed) next.unread = true
  }
  return next
}
