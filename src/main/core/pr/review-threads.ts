import { readFile } from 'node:fs/promises'
import { appError, ErrorCode, type AppError } from '../../../shared/errors'
import type { DeliveryOutcome, Thread } from '../../../shared/models'
import { requestRef, type PrStatus } from '../../../shared/pr'
import type { RemoteThread, RemoteThreads } from '../../../shared/pr-threads'
import { err, ok, type Result } from '../../../shared/result'
import type { ReviewComment } from '../../../shared/review'
import { guardPath } from '../agent/path-guard'
import type { GitRunner } from '../git/git-runner'
import { readBlob } from '../git/read-blob'
import { formatReview, reanchor } from '../review/review-comments'
import type { CiProblem } from '../../../shared/ci'
import { problemOf, refusal, type PrProvider, type ServiceFailure, type ServiceThread } from './pr-provider'

/** What the review threads service joins. */
export interface ReviewThreadsDeps {
  thread: (id: string) => Thread | undefined
  git: GitRunner
  /** The thread's request as last read (its number and service). */
  status: (threadId: string) => PrStatus | null
  /** The client of the thread's repository's service, or why there is none. */
  provider: (threadId: string) => Promise<{ provider: PrProvider } | { problem: CiProblem }>
  /** Gives text to the thread's agent (AgentDelivery: never typed into a shell). */
  deliver: (thread: Thread, text: string) => Promise<Result<DeliveryOutcome>>
  /** The threads changed. */
  notify: (threads: RemoteThreads) => void
  now?: () => number
  /** After a read (or a failed one) starts, asking again within this long never reads the service (default 15 s). */
  freshMs?: number
  /**
   * Whether some client has the thread's Changes tab open: then (or for `staleMs` after a client asked for
   * them) the request's polling reads its review threads. Without it, threads are watched from the first `list` on.
   */
  watching?: (threadId: string) => boolean
  /**
   * Watched threads are read with the request's polling when it changed or its head moved, and at the latest
   * this long after the last read, resolved states included (resolving on the website changes no comment).
   */
  staleMs?: number
}

interface Entry {
  raw: ServiceThread[]
  fetchedAt: number
  /** When a read last started (a failed one leaves fetchedAt as it was). */
  triedAt: number
  problem: string | null
  shown: string
  /** When a client last asked for them (`list`). */
  askedAt: number
  /** The request's head at the last read: a push may outdate threads. */
  head: string | null
  /** When the resolved states were last read for sure (not reused from an unchanged read). */
  resolvedAt: number
  reading: Promise<void> | null
  /** The read in flight reads resolved states anew. */
  readingFresh: boolean
}

const SHA = /^[0-9a-f]{40,64}$/
const MAX_BLOB = 2_000_000

/** A service's refusal as an AppError in words to act on. */
function serviceError(f: ServiceFailure, p: PrProvider, what: string): AppError {
  const code =
    f.kind === 'http' && f.status < 500 && f.status !== 401 && f.status !== 403 ? ErrorCode.InvalidThreadState : ErrorCode.Unsupported
  return appError(code, refusal(f, p.words, what), { kind: f.kind, ...(f.kind === 'rate-limited' ? { until: f.until } : {}) })
}

/**
 * Review threads of a thread's pull or merge request, read on demand (the Changes tab) and again when
 * the request's polling sees it change, placed on the lines of the files as they are in the worktree
 * now: a thread made on an older commit is re-found there the way Skein's own comments are (its lines
 * looked up again), and shown as outdated once they are gone. Replies and resolves go to the service;
 * the unresolved threads go to the agent as one review message.
 */
export class ReviewThreadsService {
  private readonly entries = new Map<string, Entry>()
  /** Reads the request's polling started, until their news is published. */
  private readonly polling = new Set<Promise<unknown>>()
  private readonly now: () => number
  private readonly freshMs: number
  private readonly staleMs: number

  constructor(private readonly deps: ReviewThreadsDeps) {
    this.now = deps.now ?? Date.now
    this.freshMs = deps.freshMs ?? 15_000
    this.staleMs = deps.staleMs ?? 1_800_000
  }

  /**
   * The threads, placed on the current files. They are read from the service with `force` (Refresh), or
   * when the last read is `staleMs` old (the first ask included), at most once per `freshMs`; otherwise
   * the request's polling keeps them current while they are watched, and asking again only re-places them
   * (the Changes tab asks each time the files change).
   */
  async list(threadId: string, o: { force?: boolean } = {}): Promise<Result<RemoteThreads>> {
    const t = this.deps.thread(threadId)
    if (!t) return err(appError(ErrorCode.ThreadNotFound, `No thread with id ${threadId}.`))
    const e = this.entry(threadId)
    const now = this.now()
    e.askedAt = now
    if (o.force || (now - e.fetchedAt > this.staleMs && now - e.triedAt > this.freshMs)) await this.read(threadId, e, true)
    return ok(await this.publish(t, e))
  }

  /**
   * The request was read on schedule (`changed`: it was not a 304): watched threads are read with it when it
   * changed (a new comment changes it), its head moved, the last read failed or is `staleMs` old, and news is published.
   * Unchanged review comments reuse the resolved states until they are `staleMs` old.
   */
  async prUpdated(threadId: string, changed = true): Promise<void> {
    const e = this.entries.get(threadId)
    const t = this.deps.thread(threadId)
    const now = this.now()
    if (!e || !t) return
    const watched = !this.deps.watching || this.deps.watching(threadId) || now - e.askedAt < this.staleMs
    if (!watched) return
    const moved = (this.deps.status(threadId)?.headSha ?? null) !== e.head
    // A read that failed is tried again with the next poll.
    if (!changed && !moved && e.problem === null && now - e.fetchedAt < this.staleMs) return
    const done = this.read(threadId, e, now - e.resolvedAt >= this.staleMs).then(() => this.publish(t, e))
    this.polling.add(done)
    await done.finally(() => this.polling.delete(done))
  }

  /** Resolves once no read is in flight (for tests and benches on a manual clock). */
  async whenIdle(): Promise<void> {
    for (;;) {
      const busy = [...this.polling, ...[...this.entries.values()].flatMap((e) => (e.reading ? [e.reading] : []))]
      if (busy.length === 0) return
      await Promise.all(busy)
    }
  }

  /** Forgets a thread (archived or deleted). */
  forget(threadId: string): void {
    this.entries.delete(threadId)
  }

  /** Replies to a review thread on the service, then reads the threads again. */
  async reply(threadId: string, remoteThreadId: string, body: string): Promise<Result<RemoteThreads>> {
    return this.act(threadId, remoteThreadId, 'replied to', (p, n) => p.reply(n, remoteThreadId, body))
  }

  /** Resolves or reopens a review thread on the service, then reads the threads again. */
  async resolve(threadId: string, remoteThreadId: string, resolved: boolean): Promise<Result<RemoteThreads>> {
    return this.act(threadId, remoteThreadId, resolved ? 'resolved' : 'reopened', (p, n) => p.resolve(n, remoteThreadId, resolved))
  }

  /** Sends every unresolved thread to the thread's agent as one message; nothing is sent when there is none. */
  async send(threadId: string): Promise<Result<{ sent: number; delivery: DeliveryOutcome }>> {
    const listed = await this.list(threadId, { force: true })
    if (!listed.ok) return listed
    const t = this.deps.thread(threadId)!
    const open = listed.value.threads.filter((x) => !x.resolved)
    if (open.length === 0) return err(appError(ErrorCode.InvalidThreadState, 'There are no unresolved review threads to send.'))
    const status = this.deps.status(threadId)
    const text = await this.message(t, open, status)
    const sent = await this.deps.deliver(t, text)
    if (!sent.ok) return sent
    return ok({ sent: sent.value.delivered ? open.length : 0, delivery: sent.value })
  }

  private entry(threadId: string): Entry {
    let e = this.entries.get(threadId)
    if (!e) {
      e = {
        raw: [],
        fetchedAt: 0,
        triedAt: 0,
        problem: null,
        shown: '',
        askedAt: 0,
        head: null,
        resolvedAt: 0,
        reading: null,
        readingFresh: false
      }
      this.entries.set(threadId, e)
    }
    return e
  }

  // One read at a time; one that must read resolved states anew waits for a read that may reuse them.
  private read(threadId: string, e: Entry, fresh: boolean): Promise<void> {
    if (e.reading && (e.readingFresh || !fresh)) return e.reading
    const run: Promise<void> = (e.reading ?? Promise.resolve()).then(() =>
      this.readOnce(threadId, e, fresh).finally(() => {
        if (e.reading === run) e.reading = null
      })
    )
    e.reading = run
    e.readingFresh = fresh
    return run
  }

  private async readOnce(threadId: string, e: Entry, fresh: boolean): Promise<void> {
    const status = this.deps.status(threadId)
    const at = this.now()
    e.triedAt = at
    if (!status) {
      e.raw = []
      e.problem = null
      e.fetchedAt = e.resolvedAt = at
      e.head = null
      return
    }
    const found = await this.deps.provider(threadId)
    if ('problem' in found) {
      e.problem = found.problem.message
      return
    }
    const provider = found.provider
    const got = await provider.reviewThreads(status.number, { reuseResolved: !fresh })
    if (!got.ok) {
      e.problem = problemOf(got.error, provider.words).message
      return
    }
    e.raw = got.value.value
    e.problem = null
    e.fetchedAt = at
    e.head = status.headSha
    // Resolved states reused from an earlier read (no comment was new) leave the floor where it was.
    if (!got.value.reused) e.resolvedAt = at
  }

  private async act(
    threadId: string,
    remoteThreadId: string,
    what: string,
    run: (p: PrProvider, number: number) => Promise<Result<void, ServiceFailure>>
  ): Promise<Result<RemoteThreads>> {
    const t = this.deps.thread(threadId)
    if (!t) return err(appError(ErrorCode.ThreadNotFound, `No thread with id ${threadId}.`))
    const status = this.deps.status(threadId)
    if (!status) return err(appError(ErrorCode.InvalidThreadState, 'This thread has no pull or merge request.'))
    const found = await this.deps.provider(threadId)
    if ('problem' in found) return err(appError(ErrorCode.InvalidThreadState, found.problem.message))
    const e = this.entry(threadId)
    if (e.fetchedAt > 0 && !e.raw.some((x) => x.id === remoteThreadId))
      return err(appError(ErrorCode.InvalidParams, 'That review thread is not on the request any more.'))
    const done = await run(found.provider, status.number)
    if (!done.ok) return err(serviceError(done.error, found.provider, `${what} (the review thread)`))
    return this.list(threadId, { force: true })
  }

  private async publish(t: Thread, e: Entry): Promise<RemoteThreads> {
    const status = this.deps.status(t.id)
    const threads = status ? await this.place(t, status, e.raw) : []
    const out: RemoteThreads = { threadId: t.id, threads, problem: e.problem, fetchedAt: e.fetchedAt }
    const shown = JSON.stringify({ threads, problem: e.problem })
    if (shown !== e.shown) {
      e.shown = shown
      this.deps.notify(out)
    }
    return out
  }

  /** Each thread on the lines of the worktree's file: re-found from the commit it was made on, or outdated. */
  private async place(t: Thread, status: PrStatus, raw: readonly ServiceThread[]): Promise<RemoteThread[]> {
    const files = new Map<string, string | null>()
    const blobs = new Map<string, string | null>()
    const current = async (path: string) => {
      if (!files.has(path)) {
        const p = await guardPath(t.worktreePath, path).catch(() => null)
        files.set(path, p?.ok ? await readFile(p.path, 'utf8').catch(() => null) : null)
      }
      return files.get(path)!
    }
    const at = async (commit: string, path: string) => {
      const key = `${commit}:${path}`
      if (!blobs.has(key)) {
        const b = await readBlob(this.deps.git, t.worktreePath, commit, path, MAX_BLOB).catch(() => null)
        blobs.set(key, b?.kind === 'ok' ? b.bytes.toString('utf8') : null)
      }
      return blobs.get(key)!
    }
    const out: RemoteThread[] = []
    for (const r of raw) {
      const base = { ...r, provider: status.provider }
      delete (base as { commit?: unknown }).commit
      if (r.outdated || r.side === 'left' || r.line === null || !r.commit || !SHA.test(r.commit) || r.path.startsWith('-')) {
        out.push(base)
        continue
      }
      const then = await at(r.commit, r.path)
      const start = r.startLine ?? r.line
      const thenLines = then?.split('\n')
      // The commit is not here (pushed from elsewhere, not fetched): the service's line is the best there is.
      if (!thenLines || r.line > thenLines.length) {
        out.push(base)
        continue
      }
      const comment: ReviewComment = {
        id: r.id,
        path: r.path,
        startLine: start,
        endLine: r.line,
        body: '',
        code: thenLines.slice(start - 1, r.line).join('\n'),
        status: 'sent',
        createdAt: 0,
        sentAt: null
      }
      const moved = reanchor(comment, await current(r.path))
      if (moved.status === 'outdated') out.push({ ...base, outdated: true })
      else out.push({ ...base, line: moved.endLine, startLine: r.startLine === null ? null : moved.startLine })
    }
    return out
  }

  /** One review message in Skein's format: each thread's file and lines, the code there, and its comments. */
  private async message(t: Thread, threads: readonly RemoteThread[], status: PrStatus | null): Promise<string> {
    const items: ReviewComment[] = []
    for (const x of threads) {
      const p = await guardPath(t.worktreePath, x.path).catch(() => null)
      const text = p?.ok ? await readFile(p.path, 'utf8').catch(() => null) : null
      const line = x.line ?? 1
      const start = x.startLine ?? line
      const code =
        !x.outdated && x.side === 'right' && text
          ? text
              .split('\n')
              .slice(start - 1, line)
              .join('\n')
          : ''
      const said = x.comments.map((c) => `@${c.author}: ${c.body.trim()}`).join('\n\n')
      const note = x.outdated
        ? `(Outdated: the lines this was said about have changed since; it was on line ${line}.)\n\n`
        : x.side === 'left'
          ? `(On removed line ${line} of the base.)\n\n`
          : ''
      items.push({
        id: x.id,
        path: x.path,
        startLine: start,
        endLine: line,
        body: note + said,
        code,
        status: 'sent',
        createdAt: 0,
        sentAt: null
      })
    }
    const formatted = formatReview(items)
    const where = status ? `${status.provider === 'gitlab' ? 'GitLab' : 'GitHub'} ${requestRef(status)}` : 'the request'
    const n = threads.length
    const head = `Unresolved review threads on ${where} — ${n} thread${n === 1 ? '' : 's'}. Please address each one.`
    return head + formatted.slice(formatted.indexOf('\n\n'))
  }
}
