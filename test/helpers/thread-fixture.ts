import { defaultConversation, type Thread } from '../../src/shared/models'
import { DEFAULT_MODEL } from '../../src/shared/pricing'

/** A local thread as ThreadStore keeps it, in repository `r1` with no worktree behind it; `o` overrides any field. */
export function storeThread(id: string, o: Partial<Thread> = {}): Thread {
  return {
    id,
    repoId: 'r1',
    title: id,
    slug: id,
    mode: 'local',
    branch: null,
    baseRef: 'main',
    worktreePath: '/nowhere/r1',
    status: 'idle',
    statusMessage: null,
    createdAt: 1,
    lastActivityAt: 1,
    archivedAt: null,
    snapshotRef: null,
    agent: null,
    unread: false,
    conversation: defaultConversation(DEFAULT_MODEL),
    imported: null,
    ...o
  }
}
