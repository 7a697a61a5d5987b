import type { Disposable } from '../../../shared/jsonrpc'
import type { Item, PtyInfo, Thread, ThreadSummary } from '../../../shared/models'
import type { Result } from '../../../shared/result'
import type { ChangeSet } from '../../../shared/review'
import type { NotificationBus } from '../notification-bus'
import { TAIL_WINDOW_CHARS, terminalTail } from './terminal-tail'

/** What the summaries are made from. */
export interface SummaryDeps {
  bus: NotificationBus
  thread(id: string): Thread | undefined
  /** For each want, the last item of the thread's conversation that matches it (read from the log's end, not all of it). */
  lastMatching(
    threadId: string,
    wants: readonly { kinds: readonly Item['kind'][]; test: (item: Item) => boolean }[]
  ): Promise<(Item | null)[]>
  /** The thread's change set against its base, as the Changes tab computes it. */
  changes(threadId: string): Promise<Result<ChangeSet>>
  /** Receives a running pty's output as it is produced. */
  tap(ptyId: string, listener: (text: string) => void): Disposable
  /** The last characters a terminal printed (live or saved). */
  outputTail(threadId: string, ptyId: string, chars: number): Promise<string>
}

/** How often the work is redone while things happen (nothing runs while nothing happens). */
export interface SummaryTiming {
  /** A terminal's tail is read again at most this often while it prints. */
  tailMs: number
  /** +/- counts are measured again this long after an edit, a finished command or a turn's end. */
  diffDebounceMs: number
  /** ...and at most this often while a CLI agent keeps printing (its edits show no other sign). */
  diffWhileRunningMs: number
  /** Counts measured at once. */
  concurrency: number
}

const DEFAULT_TIMING: SummaryTiming = { tailMs: 750, diffDebounceMs: 400, diffWhileRunningMs: 10_000, concurrency: 2 }
const MAX_TEXT = 600

interface Entry {
  summary: ThreadSummary
  /** The transcript has been read for this thread (its items since then arrive as notifications). */
  transcriptRead: Promise<void> | null
  /** Someone asked for this thread: its counts are kept current. */
  wanted: boolean
  diffTimer: NodeJS.Timeout | null
  lastDiffAt: number
  diffRunning: boolean
  diffAgain: boolean
  /** The agent pty being followed, its raw output tail and the pending re-read. */
  pty: { id: string; tap: Disposable; raw: string; timer: NodeJS.Timeout | null } | null
  /** The terminal whose saved or kept output was read (once) for a thread whose output was not followed. */
  tailReadFor: string | null
  /** The thread's agent (built-in or CLI) was at work when last seen. */
  busy: boolean
  published: string
}

/**
 * Keeps a compact summary of each thread's live work for dashboard cards: the agent's last words,
 * +/- counts against the base, and a pending approval. It is driven by the core's own events (items,
 * thread and pty changes, terminal output): nothing polls, so an idle Skein does no work here. Counts
 * are measured only for threads a client asked about, debounced, two at a time.
 */
export class SummaryService implements Disposable {
  private readonly entries = new Map<string, Entry>()
  private readonly queue: string[] = []
  private active = 0
  private readonly sub: Disposable
  private disposed = false

  constructor(
    private readonly deps: SummaryDeps,
    private readonly timing: SummaryTiming = DEFAULT_TIMING
  ) {
    this.sub = deps.bus.subscribe((name, params) => {
      if (name === 'item/started' || name === 'item/completed' || name === 'approval/requested')
        this.onItem((params as { item: Item }).item)
      else if (name === 'thread/updated') this.onThread((params as { thread: Thread }).thread)
      else if (name === 'thread/removed') this.forget((params as { threadId: string }).threadId)
      else if (name === 'pty/updated') this.onPty((params as { pty: PtyInfo }).pty)
    })
  }

  /** The summaries of these threads as known now; their counts are measured again and follow as `thread/summary` when they differ. */
  async summaries(threadIds: readonly string[]): Promise<ThreadSummary[]> {
    const out: ThreadSummary[] = []
    await Promise.all(
      threadIds.map(async (id) => {
        const t = this.deps.thread(id)
        if (!t) return
        const e = this.entry(id)
        if (!e.wanted) e.busy = t.conversation.busy || t.agent?.activity === 'running'
        e.wanted = true
        await this.readTranscript(id, e)
        await this.readTerminal(t, e)
        // Asking again (a dashboard shown again) measures again: edits made by hand leave no other sign.
        if (!e.diffTimer && !e.diffRunning && t.status !== 'archived') this.enqueue(id)
        this.publish(e, false)
        out.push(e.summary)
      })
    )
    return out
  }

  /** A change set computed elsewhere (an open Changes tab) updates the counts for free. */
  noteChanges(threadId: string, changes: ChangeSet): void {
    const e = this.entries.get(threadId)
    if (!e) return
    e.lastDiffAt = Date.now()
    this.setDiff(e, changes)
  }

  /** Resolves when no count is being measured or waits to be (tests). */
  async settled(): Promise<void> {
    while (
      this.active > 0 ||
      this.queue.length > 0 ||
      [...this.entries.values()].some((e) => e.diffTimer || e.diffRunning || e.pty?.timer)
    ) {
      await new Promise((r) => setTimeout(r, 20))
    }
  }

  dispose(): void {
    this.disposed = true
    this.sub.dispose()
    for (const id of [...this.entries.keys()]) this.forget(id)
  }

  private entry(threadId: string): Entry {
    let e = this.entries.get(threadId)
    if (!e) {
      e = {
        summary: { threadId, lastLine: null, diffStat: null, pendingApproval: null },
        transcriptRead: null,
        wanted: false,
        diffTimer: null,
        lastDiffAt: 0,
        diffRunning: false,
        diffAgain: false,
        pty: null,
        tailReadFor: null,
        busy: false,
        published: ''
      }
      this.entries.set(threadId, e)
    }
    return e
  }

  private forget(threadId: string): void {
    const e = this.entries.get(threadId)
    if (!e) return
    if (e.diffTimer) clearTimeout(e.diffTimer)
    this.stopTail(e)
    this.entries.delete(threadId)
  }

  private readTranscript(threadId: string, e: Entry): Promise<void> {
    const wants = [
      { kinds: ['assistant', 'tool'] as const, test: (i: Item) => lineOf(i) !== null },
      { kinds: ['approval'] as const, test: () => true }
    ]
    e.transcriptRead ??= this.deps.lastMatching(threadId, wants).then(
      ([lineItem, approval]) => {
        const lastLine = lineItem ? lineOf(lineItem) : null
        const pending = approval ? pendingOf(approval) : null
        // Items that arrived while the log was read are newer: they win.
        if (!e.summary.lastLine || (lastLine && lastLine.at > e.summary.lastLine.at)) e.summary = { ...e.summary, lastLine }
        if (!e.summary.pendingApproval) e.summary = { ...e.summary, pendingApproval: pending }
      },
      () => undefined
    )
    return e.transcriptRead
  }

  /** The tail of a thread's CLI agent terminal, when its output has not been followed since it started. */
  private async readTerminal(t: Thread, e: Entry): Promise<void> {
    if (!t.agent || e.pty?.id === t.agent.ptyId || e.tailReadFor === t.agent.ptyId) return
    e.tailReadFor = t.agent.ptyId
    const raw = await this.deps.outputTail(t.id, t.agent.ptyId, TAIL_WINDOW_CHARS).catch(() => '')
    const lines = terminalTail(raw)
    if (lines.length > 0 && !(e.summary.lastLine && e.summary.lastLine.at > t.lastActivityAt)) {
      e.summary = { ...e.summary, lastLine: { source: 'terminal', text: lines.join('\n'), at: t.lastActivityAt } }
    }
  }

  private onItem(item: Item): void {
    const e = this.entries.get(item.threadId) ?? (this.deps.thread(item.threadId) ? this.entry(item.threadId) : null)
    if (!e) return
    const line = lineOf(item)
    let next = e.summary
    if (line) next = { ...next, lastLine: line }
    if (item.kind === 'approval') {
      const pending = pendingOf(item)
      if (pending) next = { ...next, pendingApproval: pending }
      else if (next.pendingApproval?.itemId === item.id) next = { ...next, pendingApproval: null }
    }
    e.summary = next
    if (
      item.kind === 'tool' &&
      item.status !== 'running' &&
      item.tool &&
      item.tool.name !== 'read_file' &&
      item.tool.name !== 'list_files' &&
      item.tool.name !== 'search'
    ) {
      this.scheduleDiff(item.threadId, e, this.timing.diffDebounceMs)
    }
    this.publish(e)
  }

  private onThread(t: Thread): void {
    if (t.status === 'archived') {
      const e = this.entries.get(t.id)
      if (e) this.stopTail(e)
      return
    }
    const e = this.entries.get(t.id)
    if (!e) return
    // A turn ended, or a CLI agent went quiet or exited: what it changed is worth counting now.
    const busy = t.conversation.busy || t.agent?.activity === 'running'
    if (e.busy && !busy) this.scheduleDiff(t.id, e, this.timing.diffDebounceMs)
    e.busy = busy
  }

  private onPty(pty: PtyInfo): void {
    if (pty.kind !== 'agent') return
    const t = this.deps.thread(pty.threadId)
    if (!t) return
    const e = this.entry(pty.threadId)
    if (pty.state === 'running') {
      if (e.pty?.id === pty.id) return
      this.stopTail(e)
      const followed: NonNullable<Entry['pty']> = { id: pty.id, raw: '', timer: null, tap: { dispose: () => undefined } }
      followed.tap = this.deps.tap(pty.id, (text) => this.onOutput(pty.threadId, e, followed, text))
      e.pty = followed
    } else if (e.pty?.id === pty.id) {
      const followed = e.pty
      if (followed.timer) clearTimeout(followed.timer)
      followed.timer = null
      this.readTail(pty.threadId, e, followed)
      this.stopTail(e)
    }
  }

  private onOutput(threadId: string, e: Entry, followed: NonNullable<Entry['pty']>, text: string): void {
    followed.raw = (followed.raw + text).slice(-TAIL_WINDOW_CHARS)
    followed.timer ??= setTimeout(() => {
      followed.timer = null
      this.readTail(threadId, e, followed)
    }, this.timing.tailMs)
    followed.timer.unref?.()
    if (e.wanted && !e.diffTimer && Date.now() - e.lastDiffAt > this.timing.diffWhileRunningMs)
      this.scheduleDiff(threadId, e, this.timing.diffWhileRunningMs)
  }

  private readTail(threadId: string, e: Entry, followed: NonNullable<Entry['pty']>): void {
    if (this.entries.get(threadId) !== e) return
    const lines = terminalTail(followed.raw)
    if (lines.length === 0) return
    const text = lines.join('\n')
    if (e.summary.lastLine?.source === 'terminal' && e.summary.lastLine.text === text) return
    e.summary = { ...e.summary, lastLine: { source: 'terminal', text, at: Date.now() } }
    this.publish(e)
  }

  private stopTail(e: Entry): void {
    if (!e.pty) return
    e.pty.tap.dispose()
    if (e.pty.timer) clearTimeout(e.pty.timer)
    e.pty = null
  }

  private scheduleDiff(threadId: string, e: Entry, delay: number): void {
    if (!e.wanted || this.disposed) return
    if (e.diffTimer) clearTimeout(e.diffTimer)
    e.diffTimer = setTimeout(() => {
      e.diffTimer = null
      this.enqueue(threadId)
    }, delay)
    e.diffTimer.unref?.()
  }

  private enqueue(threadId: string): void {
    if (!this.queue.includes(threadId)) this.queue.push(threadId)
    this.pump()
  }

  private pump(): void {
    while (this.active < this.timing.concurrency && this.queue.length > 0) {
      const id = this.queue.shift()!
      const e = this.entries.get(id)
      if (!e) continue
      if (e.diffRunning) {
        e.diffAgain = true
        continue
      }
      this.active++
      e.diffRunning = true
      void this.measure(id, e).finally(() => {
        this.active--
        e.diffRunning = false
        if (e.diffAgain && this.entries.get(id) === e) {
          e.diffAgain = false
          this.queue.push(id)
        }
        this.pump()
      })
    }
  }

  private async measure(threadId: string, e: Entry): Promise<void> {
    const t = this.deps.thread(threadId)
    if (!t || t.status === 'archived') return
    e.lastDiffAt = Date.now()
    const r = await this.deps.changes(threadId).catch(() => null)
    if (r?.ok && this.entries.get(threadId) === e) this.setDiff(e, r.value)
  }

  private setDiff(e: Entry, changes: ChangeSet): void {
    let added = 0
    let removed = 0
    for (const f of changes.files) {
      added += f.additions ?? 0
      removed += f.deletions ?? 0
    }
    e.summary = { ...e.summary, diffStat: { files: changes.files.length, added, removed } }
    this.publish(e)
  }

  /** Tells every client when a summary differs from the one last told (`send` false: only remember it). */
  private publish(e: Entry, send = true): void {
    const text = JSON.stringify(e.summary)
    if (text === e.published) return
    e.published = text
    if (send && !this.disposed) this.deps.bus.publish('thread/summary', { summary: e.summary })
  }
}

/** What an item says on a card: a reply's text, or the command a tool runs. */
function lineOf(item: Item): ThreadSummary['lastLine'] {
  if (item.kind === 'assistant' && item.status !== 'streaming' && item.text?.trim()) {
    return { source: 'agent', text: clip(item.text.trim()), at: item.createdAt }
  }
  if (item.kind === 'tool' && item.tool && item.status === 'running') {
    return { source: 'tool', text: clip(toolText(item.tool.name, item.tool.input)), at: item.createdAt }
  }
  return null
}

function toolText(name: string, input: Record<string, unknown>): string {
  const s = (k: string) => (typeof input[k] === 'string' ? (input[k] as string) : '')
  if (name === 'bash') return `$ ${s('command')}`
  if (name === 'edit_file') return `Editing ${s('path')}`
  if (name === 'write_file') return `Writing ${s('path')}`
  if (name === 'read_file') return `Reading ${s('path')}`
  if (name === 'search') return `Searching for ${s('pattern') || s('query')}`
  if (name === 'list_files') return `Listing ${s('path') || 'files'}`
  return name
}

function pendingOf(item: Item): ThreadSummary['pendingApproval'] {
  const a = item.approval
  if (item.kind !== 'approval' || !a || item.status !== 'pending' || a.decision !== null) return null
  return { itemId: item.id, summary: a.summary, ...(a.command ? { command: a.command } : {}), ...(a.path ? { path: a.path } : {}) }
}

const clip = (text: string): string => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text)
