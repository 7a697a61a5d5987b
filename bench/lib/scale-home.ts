// Seeds a SKEIN_HOME straight onto disk in the store's own format, fast enough for 100,000 threads:
// repos.json as RepoStore writes it, threads/<id>/events.jsonl holding the `thread.created` line that
// ThreadStore.create appends, threads/index.json as ThreadStore.saveIndex leaves it (the logs' sizes
// included, so a start takes every entry as fresh), and the `.private` marker of a home already swept.
// Only statuses a start leaves as they are (idle, error, archived), so one seeded home serves many starts.
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Item, Repo, Thread } from '../../src/shared/models'
import { defaultConversation } from '../../src/shared/models'
import { DEFAULT_MODEL } from '../../src/shared/pricing'
import { repoIdFor } from '../../src/main/core/repos/repo-service'
import { DataDir } from '../../src/main/core/store/data-dir'
import { makeBenchRepo, now } from '../bench-utils'

/** What a seeded home holds. */
export interface SeededHome {
  home: string
  repos: Repo[]
  /** Every thread, in the index's order. */
  threads: Thread[]
  /** Each thread's log size in bytes, as its index entry records it. */
  logSizes: number[]
  /** Time taken to write it all, in ms. */
  seedMs: number
}

const FILE_MODE = 0o600
const DIR_MODE = 0o700
const WRITERS = 32

/** The thread id of seeded thread `i`: the shape of newThreadId (t + base-36 time + 6 characters), sortable by i. */
export const seededThreadId = (i: number): string => `t${(1_700_000_000_000 + i).toString(36)}${i.toString(36).padStart(6, '0')}`

/** The title of seeded thread `i` (what the sidebar row shows). */
export const seededTitle = (i: number): string => `Thread ${i}: investigate alert ${i * 7} in the payments pipeline`

function seededThread(i: number, repo: Repo, total: number): Thread {
  // Thread 0 is the most recent, so it heads the sidebar and the dashboard.
  const at = Date.now() - (i + 1) * 60_000
  const archived = i % 10 === 9
  const failed = !archived && i % 50 === 7
  const conversation = defaultConversation(DEFAULT_MODEL)
  if (i % 3 === 0) {
    conversation.turns = 1 + (i % 7)
    conversation.usage = { input: 1200 * (i % 13), output: 300 * (i % 11), cacheRead: 9000, cacheWrite: 500, costUsd: 0.01 * (i % 17) }
  }
  return {
    id: seededThreadId(i),
    repoId: repo.id,
    title: seededTitle(i),
    slug: `thread-${i}-investigate-alert-${i * 7}`,
    mode: 'local',
    branch: 'main',
    baseRef: 'main',
    worktreePath: repo.path,
    status: archived ? 'archived' : failed ? 'error' : 'idle',
    statusMessage: failed ? 'The agent exited with code 1.' : null,
    createdAt: at - total,
    lastActivityAt: at,
    archivedAt: archived ? at : null,
    snapshotRef: null,
    agent:
      i % 4 === 1
        ? {
            ptyId: `p${i.toString(36)}`,
            profileId: 'claude',
            activity: 'exited',
            exitCode: 0,
            session: { source: 'claude', sessionId: `s-${i}` }
          }
        : null,
    unread: i % 5 === 2,
    conversation,
    imported: null
  }
}

/** Runs `work` over 0..count-1, `WRITERS` at a time. */
async function pool(count: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    for (let i = next++; i < count; i = next++) await work(i)
  }
  await Promise.all(Array.from({ length: WRITERS }, worker))
}

/** Writes chunks to a file stream, waiting whenever its buffer is full. */
async function streamTo(path: string, chunks: Iterable<string>): Promise<number> {
  const out = createWriteStream(path, { mode: FILE_MODE })
  let bytes = 0
  for (const chunk of chunks) {
    bytes += Buffer.byteLength(chunk)
    if (!out.write(chunk)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
  return bytes
}

/**
 * Seeds `home` with `threads` local threads spread over `repos` real (small) git repositories under home/repos.
 * Every tenth thread is archived, one in fifty is in error; the rest are idle.
 */
export async function seedScaleHome(home: string, o: { threads: number; repos: number }): Promise<SeededHome> {
  const t0 = now()
  const dir = new DataDir(home)
  await mkdir(dir.threadsDir, { recursive: true, mode: DIR_MODE })
  const repos: Repo[] = []
  for (let r = 0; r < o.repos; r++) {
    const path = makeBenchRepo(join(home, 'repos'), `service-${r}`, 3)
    repos.push({ id: repoIdFor(path), name: `service-${r}`, path, addedAt: Date.now() - 86_400_000 })
  }
  await writeFile(dir.reposFile, JSON.stringify({ version: 1, repos }, null, 2), { mode: FILE_MODE })
  await writeFile(join(home, '.private'), '1\n', { mode: FILE_MODE })

  const threads = Array.from({ length: o.threads }, (_, i) => seededThread(i, repos[i % repos.length]!, o.threads))
  const sizes = new Array<number>(o.threads)
  await pool(o.threads, async (i) => {
    const thread = threads[i]!
    const repo = repos[i % repos.length]!
    const line = `${JSON.stringify({ type: 'thread.created', at: thread.createdAt, thread, repo })}\n`
    await mkdir(dir.threadDir(thread.id), { mode: DIR_MODE })
    await writeFile(dir.eventsFile(thread.id), line, { mode: FILE_MODE })
    sizes[i] = Buffer.byteLength(line)
  })
  await writeIndexes(dir, threads, sizes)
  return { home, repos, threads, logSizes: sizes, seedMs: now() - t0 }
}

/** The store's two index files, as a save writes them: the live threads in index.json, the archived in archived.json. */
async function writeIndexes(dir: DataDir, threads: Thread[], sizes: number[]): Promise<void> {
  await streamTo(dir.archivedIndexFile, indexChunks(threads, sizes, true))
  await streamTo(dir.indexFile, indexChunks(threads, sizes, false))
}

/** Exactly JSON.stringify({ version: 1, threads: entries }) of the live or the archived threads, one entry at a time. */
function* indexChunks(threads: Thread[], sizes: number[], archived: boolean): Generator<string> {
  yield '{"version":1,"threads":['
  let chunk = ''
  let first = true
  for (let i = 0; i < threads.length; i++) {
    if ((threads[i]!.status === 'archived') !== archived) continue
    chunk += `${first ? '' : ','}${JSON.stringify({ thread: threads[i], logSize: sizes[i] })}`
    first = false
    if (chunk.length > 1 << 20) {
      yield chunk
      chunk = ''
    }
  }
  yield `${chunk}]}`
}

/** A transcript item of a long conversation; tool outputs carry the bulk (`toolBytes` each). */
function seededItem(threadId: string, i: number, at: number, toolBytes: number): Item {
  const base = { id: `seed-${i}`, threadId, turnId: `turn-${Math.floor(i / 4)}`, createdAt: at, status: 'completed' as const }
  switch (i % 4) {
    case 0:
      return { ...base, kind: 'user', text: `Question number ${i}: what does module ${i} do, and why does it time out?` }
    case 1:
      return {
        ...base,
        kind: 'assistant',
        stepId: `step-${i}`,
        text: `Module ${i} handles **requests**.\n\n- parses \`input\`\n- calls the service\n\n\`\`\`ts\nhandle(${i})\n\`\`\``
      }
    case 2: {
      const line = `src/module${i}/handler.ts:${i}: export function handle${i}(request: Request): Response {\n`
      return {
        ...base,
        kind: 'tool',
        stepId: `step-${i - 1}`,
        tool: {
          useId: `toolu_${i}`,
          name: 'bash',
          input: { command: `grep -rn handle${i} src` },
          output: line.repeat(Math.ceil(toolBytes / line.length)),
          exitCode: 0
        }
      }
    }
    default:
      return { ...base, kind: 'notice', text: `Checkpoint ${i}` }
  }
}

/**
 * Gives a seeded thread a long conversation, as the agent's transcript logs it (one `item.completed` line per
 * item after the creation line): `items` items, every fourth a tool call whose output makes the log about `bytes`.
 * Rewrites the index with the log's new size, as the store would after its appends. Returns the last item's id.
 */
export async function writeLongConversation(seeded: SeededHome, threadIndex: number, o: { bytes: number; items: number }): Promise<string> {
  const dir = new DataDir(seeded.home)
  const thread = seeded.threads[threadIndex]!
  const toolBytes = Math.max(0, Math.floor(o.bytes / Math.ceil(o.items / 4)))
  const start = thread.createdAt + 1000
  const file = dir.eventsFile(thread.id)
  const first = `${JSON.stringify({ type: 'thread.created', at: thread.createdAt, thread, repo: seeded.repos.find((r) => r.id === thread.repoId) })}\n`
  function* lines(): Generator<string> {
    yield first
    let chunk = ''
    for (let i = 0; i < o.items; i++) {
      const item = seededItem(thread.id, i, start + i * 1000, toolBytes)
      chunk += `${JSON.stringify({ type: 'item.completed', at: item.createdAt, item })}\n`
      if (chunk.length > 1 << 20) {
        yield chunk
        chunk = ''
      }
    }
    yield chunk
  }
  const size = await streamTo(file, lines())
  seeded.logSizes[threadIndex] = size
  await writeIndexes(dir, seeded.threads, seeded.logSizes)
  return `seed-${o.items - 1}`
}
