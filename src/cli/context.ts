import { resolve, sep } from 'node:path'
import { ErrorCode, RpcError } from '../shared/errors'
import type { Repo, Thread } from '../shared/models'
import type { RpcClient } from '../shared/rpc-client'
import type { ThreadState } from '../shared/thread-state'
import type { DataDir } from '../main/core/store/data-dir'
import { CliError, Exit } from './cli-error'
import { connectToRunningCore } from './connect'
import { ensureCore } from './core-launcher'

/** What every command gets: where to print, where it runs, and how to reach the core. */
export interface CliContext {
  dataDir: DataDir
  cwd: string
  out: (text: string) => void
  err: (text: string) => void
  /** Connects to the running core, starting one when `start` is set. */
  connect(o?: { start?: boolean; headless?: boolean }): Promise<RpcClient>
}

/** The real context: stdout, stderr, the working directory and SKEIN_HOME. */
export function processContext(dataDir: DataDir): CliContext {
  const err = (text: string) => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`)
  return {
    dataDir,
    cwd: process.cwd(),
    out: (text) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err,
    async connect(o = {}) {
      if (o.start) return ensureCore({ dataDir, headless: o.headless ?? false, say: err })
      const client = await connectToRunningCore(dataDir)
      if (!client)
        throw new CliError(`No Skein core is running for ${dataDir.home}. Start the app, or run \`skein serve\`.`, Exit.coreUnreachable)
      return client
    }
  }
}

/** Turns a core error into the exit code a script can act on. */
export function exitCodeFor(e: unknown): number {
  if (e instanceof CliError) return e.code
  if (e instanceof RpcError) {
    if (e.code === ErrorCode.ThreadNotFound || e.code === ErrorCode.RepoNotFound || e.code === ErrorCode.SessionNotFound)
      return Exit.notFound
    if (e.code === ErrorCode.NotAGitRepository || e.code === ErrorCode.PathNotFound || e.code === ErrorCode.NotADirectory)
      return Exit.notARepository
    if (e.code === ErrorCode.Disconnected) return Exit.coreUnreachable
  }
  return Exit.failure
}

/** How many threads one `thread/list` request asks for. */
export const LIST_PAGE = 1000

/**
 * Every thread matching the filter, fetched page by page (most recently active first). A thread that becomes active
 * while the pages are read moves ahead of the cursor and is not in the result (it is in a list made a moment later).
 */
export async function listAllThreads(
  client: RpcClient,
  filter: { repoId?: string; archived: 'exclude' | 'include' | 'only'; states?: ThreadState[] }
): Promise<Thread[]> {
  const threads: Thread[] = []
  let cursor: string | undefined
  do {
    const page = await client.request('thread/list', { ...filter, limit: LIST_PAGE, cursor })
    threads.push(...page.threads)
    cursor = page.next ?? undefined
  } while (cursor)
  return threads
}

/** Finds a thread by id, unique id prefix or exact title. */
export async function findThread(client: RpcClient, ref: string | undefined): Promise<Thread> {
  if (!ref) throw new CliError('Name a thread: its id (or the start of it) or its title. `skein list` shows them.', Exit.usage)
  const threads = await listAllThreads(client, { archived: 'include' })
  const exact = threads.find((t) => t.id === ref)
  if (exact) return exact
  const byPrefix = ref.length >= 3 ? threads.filter((t) => t.id.startsWith(ref)) : []
  const byTitle = threads.filter((t) => t.title.toLowerCase() === ref.toLowerCase())
  const matches = byPrefix.length ? byPrefix : byTitle
  if (matches.length === 1) return matches[0]!
  if (matches.length > 1)
    throw new CliError(
      `"${ref}" matches ${matches.length} threads: ${matches
        .slice(0, 5)
        .map((t) => `${t.id} (${t.title})`)
        .join(', ')}. Use more of the id.`,
      Exit.usage
    )
  throw new CliError(`Unknown thread "${ref}". \`skein list\` shows the threads and their ids.`, Exit.notFound)
}

/** The known repository that contains `path`, if any (without adding one). */
export async function knownRepoFor(client: RpcClient, path: string): Promise<Repo | null> {
  const abs = resolve(path)
  const { repos } = await client.request('repo/list')
  const inside = repos.filter((r) => abs === r.path || abs.startsWith(r.path.endsWith(sep) ? r.path : r.path + sep))
  return inside.sort((a, b) => b.path.length - a.path.length)[0] ?? null
}

/**
 * Asks every open window to show a thread (or repository): how many windows there are, the
 * browser-mode address, and the link to the thread there (or the command that shows it in the app).
 */
export async function showInApp(
  client: RpcClient,
  target: { threadId?: string; repoId?: string }
): Promise<{ windows: number; webUrl: string | null; url: string | null }> {
  const { windows } = await client.request('app/focus', target)
  const { webUrl } = await client.request('core/hello', { client: 'cli' })
  return { windows, webUrl, url: target.threadId ? threadLink(webUrl, target.threadId) : webUrl }
}

/** The link that opens a thread in browser mode, or the command that focuses it in the app. */
export function threadLink(webUrl: string | null, threadId: string): string {
  return webUrl ? `${webUrl}${webUrl.includes('?') ? '&' : '?'}thread=${encodeURIComponent(threadId)}` : `skein open ${threadId}`
}
