import stripAnsiCodes from 'strip-ansi'
import type { LogSegment } from '../../../shared/ci'

/** How much of a log to keep. Byte budgets are UTF-8 bytes of kept lines. */
export interface ExcerptOptions {
  /** Lines kept before the first error. */
  beforeLines?: number
  /** Lines kept after the first error. */
  afterLines?: number
  /** Lines kept at the end. */
  tailLines?: number
  /** Budget for the first error and its context. */
  errorBytes?: number
  /** Budget for the tail. A log within both budgets together is kept whole. */
  tailBytes?: number
  /** Longer lines are cut, so one giant line cannot blow the budgets or the memory. */
  maxLineChars?: number
}

/** What was kept of a log: segments of consecutive lines, and where the first error is. */
export interface LogExcerpt {
  segments: LogSegment[]
  totalLines: number
  /** 1-based line of the first line that looks like an error; null when none does. */
  firstErrorLine: number | null
  /** Whether lines were left out or cut short. */
  truncated: boolean
}

/** A log as chunks of bytes or text: a Readable, a fetch body, a generator, or an array. */
export type LogSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>

/** Defaults for an excerpt sent to an agent: about 8 KB around the first error and 8 KB of tail. */
export const AGENT_EXCERPT: Required<ExcerptOptions> = {
  beforeLines: 10,
  afterLines: 40,
  tailLines: 60,
  errorBytes: 8 * 1024,
  tailBytes: 8 * 1024,
  maxLineChars: 2000
}

/** Removes ANSI escape sequences (colours, cursor moves, links). */
export const stripAnsi = (text: string): string => (text.includes('\x1b') || text.includes('\x9b') ? stripAnsiCodes(text) : text)

// Cheap first look: a line without any of these words cannot be an error line.
const MAYBE = /err|fail|[✗✖×]|traceback|exit|exception|panic|fatal|\*\*\*|ELIFECYCLE/i
const PASSING = /^\s*(?:[✓✔√]|PASS\b|ok \d|ok\s*$)/
const TIMESTAMP = /^\d{4}-\d\d-\d\dT[\d:.]+Z\s?/
const STRONG = [
  /##\[error\]/,
  /\bnpm ERR!/,
  /^Traceback \(most recent call last\)/,
  /^\s*(?:FAIL|FAILED|FAILURE)\b/,
  /^\s*[✗✖×]\s/,
  /\berror(?:\[E\d+\])?:/i,
  /\berror TS\d+/,
  /\b[A-Z]\w*(?:Error|Exception)\b(?::|$)/,
  /\bpanic:|\bpanicked at\b/,
  /\bfatal:/i,
  /\bexit(?:ed)?(?: with)? (?:code|status):? [1-9]/i,
  /\bmake(?:\[\d+\])?: \*\*\*/,
  /\bELIFECYCLE\b/,
  /\bERROR\b/,
  /(?:^|[^\d.])[1-9]\d* (?:failed|failing|errors?)\b/i
]
const GENERIC = /\berrors?\b/gi
const NEGATED_BEFORE = /(?:\b0|\bno|\bzero|\bwithout|[-./\\])\s*$/i
const NEGATED_AFTER = /^(?:\s*[:=]\s*0\b|[-_.]\w|\/)/

/**
 * Whether a log line looks like an error. Catches compiler and test-runner failures, stack
 * traces, `npm ERR!`, GitHub's `##[error]`, non-zero exit codes and make failures, and ignores
 * "0 errors", "no errors", passing-test lines and file names like `error-handler.ts`.
 */
export function isErrorLine(raw: string): boolean {
  if (!MAYBE.test(raw)) return false
  const line = stripAnsi(raw).replace(TIMESTAMP, '')
  if (PASSING.test(line)) return false
  for (const p of STRONG) if (p.test(line)) return true
  GENERIC.lastIndex = 0
  for (let m = GENERIC.exec(line); m; m = GENERIC.exec(line)) {
    const before = line.slice(Math.max(0, m.index - 12), m.index)
    const after = line.slice(m.index + m[0].length, m.index + m[0].length + 6)
    if (!NEGATED_BEFORE.test(before) && !NEGATED_AFTER.test(after)) return true
  }
  return false
}

/** A fixed-size ring of the last lines. */
class Ring {
  private readonly items: string[]
  private next = 0
  private count = 0
  constructor(readonly size: number) {
    this.items = new Array<string>(size)
  }
  push(line: string): void {
    if (this.size === 0) return
    this.items[this.next] = line
    this.next = (this.next + 1) % this.size
    this.count = Math.min(this.count + 1, this.size)
  }
  /** Oldest first. */
  lines(): string[] {
    const out: string[] = []
    for (let i = 0; i < this.count; i++) out.push(this.items[(this.next - this.count + i + this.size) % this.size]!)
    return out
  }
}

const bytes = (s: string): number => Buffer.byteLength(s) + 1

/** Builds an excerpt line by line, holding only bounded state. */
class Excerpter {
  private readonly options: Required<ExcerptOptions>
  private lineNo = 0
  private cut = false
  private whole: string[] | null = []
  private wholeBytes = 0
  private readonly before: Ring
  private readonly tail: Ring
  private errorAt: number | null = null
  /** The kept lines before the first error, the error line, and the lines after it. */
  private errorBlock: string[] = []
  private errorIndex = 0
  private afterLeft = 0

  constructor(options: ExcerptOptions) {
    this.options = { ...AGENT_EXCERPT, ...options }
    this.before = new Ring(this.options.beforeLines)
    this.tail = new Ring(this.options.tailLines)
  }

  /** Takes one line; `length` is its real length when the caller already cut it short. */
  push(raw: string, length = raw.length): void {
    const line = this.capLine(raw.endsWith('\r') ? raw.slice(0, -1) : raw, length)
    const n = ++this.lineNo
    if (this.whole) {
      this.whole.push(line)
      this.wholeBytes += bytes(line)
      if (this.wholeBytes > this.options.errorBytes + this.options.tailBytes) this.whole = null
    }
    if (this.errorAt === null) {
      if (isErrorLine(line)) {
        this.errorAt = n
        this.errorBlock = [...this.before.lines(), line]
        this.errorIndex = this.errorBlock.length - 1
        this.afterLeft = this.options.afterLines
      } else this.before.push(line)
    } else if (this.afterLeft > 0) {
      this.errorBlock.push(line)
      this.afterLeft--
    }
    this.tail.push(line)
  }

  private capLine(line: string, length: number): string {
    if (length <= this.options.maxLineChars) return line
    this.cut = true
    return `${line.slice(0, this.options.maxLineChars)}… [${length - this.options.maxLineChars} more characters]`
  }

  finish(): LogExcerpt {
    const total = this.lineNo
    if (this.whole)
      return {
        segments: total ? [{ startLine: 1, lines: this.whole }] : [],
        totalLines: total,
        firstErrorLine: this.errorAt,
        truncated: this.cut
      }
    const kept = new Map<number, string>()
    if (this.errorAt !== null) {
      const first = this.errorAt - this.errorIndex
      const at = (n: number) => this.errorBlock[n - first]!
      kept.set(this.errorAt, at(this.errorAt))
      let budget = this.options.errorBytes - bytes(at(this.errorAt))
      // A third of the budget looks back, the rest forward: what follows an error says more about it.
      let back = Math.floor(this.options.errorBytes / 3)
      for (let n = this.errorAt - 1; n >= first; n--) {
        const b = bytes(at(n))
        if (b > back || b > budget) break
        kept.set(n, at(n))
        back -= b
        budget -= b
      }
      for (let n = this.errorAt + 1; n < first + this.errorBlock.length; n++) {
        const b = bytes(at(n))
        if (b > budget) break
        kept.set(n, at(n))
        budget -= b
      }
    }
    const tail = this.tail.lines()
    let budget = this.options.tailBytes
    for (let i = tail.length - 1; i >= 0; i--) {
      const b = bytes(tail[i]!)
      if (b > budget) break
      kept.set(total - (tail.length - 1 - i), tail[i]!)
      budget -= b
    }
    const segments: LogSegment[] = []
    for (const n of [...kept.keys()].sort((a, b) => a - b)) {
      const last = segments[segments.length - 1]
      if (last && last.startLine + last.lines.length === n) last.lines.push(kept.get(n)!)
      else segments.push({ startLine: n, lines: [kept.get(n)!] })
    }
    return { segments, totalLines: total, firstErrorLine: this.errorAt, truncated: this.cut || kept.size < total }
  }
}

/**
 * Reads a log of any size as a stream (bytes or text chunks) and keeps what a person or an agent
 * needs: the lines around the first error and the tail, each within its budget. Memory stays
 * bounded by the budgets, whatever the log's size.
 */
export async function excerptLog(source: LogSource, options: ExcerptOptions = {}): Promise<LogExcerpt> {
  return (await excerptLogs(source, [options]))[0]!
}

/** Several excerpts of one stream in a single pass, e.g. one for the log view and one for the agent. */
export async function excerptLogs(source: LogSource, optionsList: readonly ExcerptOptions[]): Promise<LogExcerpt[]> {
  const all = optionsList.map((o) => new Excerpter(o))
  const push =
    all.length === 1
      ? (line: string, length?: number) => all[0]!.push(line, length)
      : (line: string, length?: number) => all.forEach((e) => e.push(line, length))
  const maxLine = Math.max(...optionsList.map((o) => o.maxLineChars ?? AGENT_EXCERPT.maxLineChars))
  const decoder = new TextDecoder('utf-8')
  let partial = ''
  let partialLength = 0
  const feed = (text: string) => {
    let start = 0
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      if (partialLength === 0) push(text.slice(start, nl))
      else {
        push(partial + text.slice(start, Math.min(nl, start + maxLine + 1)), partialLength + nl - start)
        partial = ''
        partialLength = 0
      }
      start = nl + 1
    }
    if (start < text.length) {
      // A line without its end yet: keep no more of it than can be shown.
      if (partial.length <= maxLine) partial += text.slice(start, start + maxLine + 1 - partial.length)
      partialLength += text.length - start
    }
  }
  for await (const chunk of source) feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }))
  feed(decoder.decode())
  if (partialLength > 0) push(partial, partialLength)
  return all.map((e) => e.finish())
}
