import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import type { Item, Repo, Thread } from '../../src/shared/models'
import { Transcript } from '../../src/main/core/agent/transcript'
import { memoryLogger } from '../../src/main/core/logger'
import { DataDir } from '../../src/main/core/store/data-dir'
import { ThreadStore } from '../../src/main/core/store/thread-store'
import { beforeTempRemoval } from './fixtures'
import { storeThread } from './thread-fixture'

/** A thread as ThreadStore keeps it (no worktree behind it: the transcript never looks at one). */
export function rigThread(id: string): { thread: Thread; repo: Repo } {
  const now = Date.now()
  const repo: Repo = { id: 'r_rig', name: 'rig', path: '/nonexistent/rig', addedAt: now }
  const thread = storeThread(id, {
    repoId: repo.id,
    title: `Thread ${id}`,
    worktreePath: '/nonexistent/rig',
    createdAt: now,
    lastActivityAt: now
  })
  return { thread, repo }
}

/** An item of the rig's conversation: `n` in its id; `text` and `output` make it as big as wanted. */
export function rigItem(threadId: string, n: number, o: Partial<Item> & { output?: string } = {}): Item {
  const { output, ...rest } = o
  const base: Item = {
    id: `item-${n}`,
    threadId,
    turnId: `turn-${Math.floor(n / 4)}`,
    kind: output !== undefined ? 'tool' : 'assistant',
    status: 'completed',
    createdAt: 1_700_000_000_000 + n,
    ...(output !== undefined
      ? { tool: { useId: `toolu_${n}`, name: 'bash', input: { command: `echo ${n}` }, output, exitCode: 0 } }
      : { text: `reply ${n}` })
  } as Item
  return { ...base, ...rest }
}

/** A home with a thread store and a transcript over it, as the core builds them. */
export async function openRig(home: string, threadId = 'tRig000001'): Promise<Rig> {
  const logger = memoryLogger()
  const dir = new DataDir(home)
  const store = await ThreadStore.open(dir, logger)
  if (!store.get(threadId)) {
    const { thread, repo } = rigThread(threadId)
    const r = await store.create(thread, repo)
    if (!r.ok) throw new Error(r.error.message)
  }
  // A delayed index save still writing into the home would make removing it fail.
  beforeTempRemoval(() => store.flush())
  return { dir, store, logger, threadId, transcript: new Transcript(store, logger), log: dir.eventsFile(threadId) }
}

/** What `openRig` gives. */
export interface Rig {
  dir: DataDir
  store: ThreadStore
  logger: ReturnType<typeof memoryLogger>
  threadId: string
  transcript: Transcript
  log: string
}

/** Appends `count` item lines to a log straight on disk (as the transcript logs them), `bytesEach` of tool output each. */
export async function appendItems(log: string, from: number, count: number, threadId: string, bytesEach: number): Promise<void> {
  const out = createWriteStream(log, { flags: 'a' })
  const filler = 'x'.repeat(Math.max(0, bytesEach - 200))
  for (let n = from; n < from + count; n++) {
    const item = rigItem(threadId, n, { output: `${n}:${filler}` })
    if (!out.write(`${JSON.stringify({ type: 'item.completed', at: item.createdAt, item })}\n`)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'close')
}
