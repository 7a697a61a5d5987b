import { createHash } from 'node:crypto'
import { open, readFile, stat, truncate, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { Logger } from '../logger'
import { readLineAt, scanLines, type LineSpan } from './log-lines'

/** The log event that rewinds turns, or brings them back. */
export const REWOUND_EVENT = 'turns.rewound'

const MAGIC = 'SKNIDX01'
const VERSION = 1
const HEADER_BYTES = 32
const RECORD_BYTES = 32
const FINGERPRINT_BYTES = 4096
const REC_ITEM = 1
const REC_REWOUND = 2
const FLAG_PENDING = 1
const FLUSH_RECORDS = 16_384

/** The kinds of item, coded in a byte of each index record (0: a kind this version does not know). */
export const KIND_CODES: Record<string, number> = { user: 1, assistant: 2, tool: 3, approval: 4, notice: 5, error: 6 }

/** Where the offset index of a log lies: events.idx beside it. */
export function indexPathOf(logPath: string): string {
  return join(dirname(logPath), 'events.idx')
}

/** A thrown marker: a catch-up stopped by its signal between two lines. */
const STOPPED = Symbol('stopped')

/** The hash of a log's first bytes kept in the header (8 bytes of a SHA-256). */
const headHash = (head: Buffer): Buffer => createHash('sha256').update(head).digest().subarray(0, 8)

/** A 52-bit hash of an item id: exact in a double, so the index keeps numbers, not strings. Readers verify the id on the line. */
export function idHash(id: string): number {
  let h1 = 0x811c9dc5
  let h2 = 0x9747b28c
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 0x01000193)
    h2 = Math.imul(h2 ^ c, 0x5bd1e995)
    h2 ^= h2 >>> 15
  }
  return (h1 >>> 0) * 0x100000 + ((h2 >>> 0) >>> 12)
}

/** An item line as the index reads it: only what it records. */
interface LoggedItem {
  id: string
  kind?: string
  status?: string
  turnId?: string
  approval?: { toolItemId?: string } | null
}

/**
 * The offset index of one thread's events.jsonl, kept in a sidecar file (events.idx, 0600): a 32-byte header
 * (magic, version, fingerprint of the log's first bytes, log bytes covered) and one 32-byte record per indexed
 * line, appended in log order: an item line (kind, flags, id hash, offset, length) or a `turns.rewound` line.
 * In memory: per item position (first appearance of its id) the offset and length of its latest line, its kind
 * and whether it is a pending approval. The log is never held whole: it is streamed once to build the index,
 * then only the tail it grew by is indexed (`catchUp`). Anything inconsistent on open rebuilds it from the log.
 */
export class LogIndex {
  private offsets = new Float64Array(256)
  private lengths = new Uint32Array(256)
  private kinds = new Uint8Array(256)
  private n = 0
  private readonly positions = new Map<number, number>()
  /** Positions whose latest line is an approval waiting for an answer, with the hash of its tool item's id. */
  private readonly pending = new Map<number, number>()
  private readonly rewound = new Set<string>()
  private covered = 0
  private fingerprint: { length: number; hash: Buffer } = { length: 0, hash: Buffer.alloc(8) }
  private recordsWritten = 0

  private constructor(
    readonly logPath: string,
    readonly indexPath: string,
    private readonly logger: Logger
  ) {}

  /**
   * The log bytes a sidecar's header says it covers, reading only that header and the log's first bytes (its
   * fingerprint): 0 when the sidecar is absent, not an index, of another version or of another log. Cheap: it
   * tells whether opening the index means a long build or catch-up without loading it.
   */
  static async coveredOnDisk(logPath: string, indexPath: string): Promise<number> {
    try {
      const h = await readLineAt(indexPath, 0, HEADER_BYTES)
      if (h.length < HEADER_BYTES || h.toString('latin1', 0, 8) !== MAGIC || h.readUInt32LE(8) !== VERSION) return 0
      const covered = h.readDoubleLE(16)
      const length = h.readUInt32LE(12)
      if (!Number.isSafeInteger(covered) || covered < 0 || length > FINGERPRINT_BYTES) return 0
      const head = await readLineAt(logPath, 0, length)
      return head.length === length && headHash(head).equals(h.subarray(24, 32)) ? covered : 0
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0
      throw e
    }
  }

  /**
   * Opens the index of a log, verifying its sidecar (rebuilt from the log when absent or inconsistent), then catches
   * up (`signal` may stop that part way: see catchUp).
   */
  static async open(logPath: string, indexPath: string, logger: Logger, signal?: AbortSignal): Promise<LogIndex> {
    let index = new LogIndex(logPath, indexPath, logger)
    const problem = await index.load().catch((e: unknown) => `unreadable (${(e as Error).message})`)
    if (problem !== null) {
      if (problem !== 'absent') logger.warn(`The offset index ${indexPath} is ${problem}; rebuilding it from the log.`)
      index = new LogIndex(logPath, indexPath, logger)
      await index.reset()
    }
    await index.catchUp(undefined, signal)
    return index
  }

  /** How many items (distinct ids) the indexed part of the log holds. */
  get count(): number {
    return this.n
  }

  /** The log bytes indexed so far (whole lines only). */
  get coveredBytes(): number {
    return this.covered
  }

  /** The position of an item id (by its hash: the caller checks the id on the line), or null. */
  positionOf(id: string): number | null {
    return this.positions.get(idHash(id)) ?? null
  }

  /** Where the latest line of the item at `position` lies. */
  span(position: number): LineSpan {
    return { offset: this.offsets[position]!, length: this.lengths[position]! }
  }

  /** The kind code (KIND_CODES) of the item at `position`. */
  kindAt(position: number): number {
    return this.kinds[position]!
  }

  /** The turns marked rewound by the log's `turns.rewound` events, as they stand now. */
  rewoundTurns(): ReadonlySet<string> {
    return this.rewound
  }

  /** The positions of the approvals still waiting for an answer (few). */
  pendingPositions(): number[] {
    return [...this.pending.keys()].sort((a, b) => a - b)
  }

  /** Whether the item stays as it is across a restart: a waiting approval, or the tool call it asks about. */
  isWaiting(id: string): boolean {
    const h = idHash(id)
    const at = this.positions.get(h)
    if (at !== undefined && this.pending.has(at)) return true
    for (const tool of this.pending.values()) if (tool === h) return true
    return false
  }

  /**
   * Indexes the lines the log grew by since the last call (a torn last line waits until it is complete), and
   * records them in the sidecar. `onItem` sees each item line indexed. A log shorter than what is covered, or
   * with other first bytes, was replaced: the index is rebuilt. Once `signal` aborts, it stops before the next line,
   * leaving the index (and its sidecar) sound up to there: the next catch-up goes on from that line.
   */
  async catchUp(onItem?: (item: LoggedItem) => void, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return
    const size = await stat(this.logPath).then(
      (s) => s.size,
      (e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return 0
        throw e
      }
    )
    if (size < this.covered || (this.covered > 0 && !(await this.sameLog()))) {
      this.logger.warn(`${this.logPath} changed under its offset index; rebuilding the index from the log.`)
      this.clear()
      await this.reset()
    }
    if (size === this.covered) return
    const handle = await open(this.indexPath, 'r+').catch(async (e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e
      // The sidecar went away while open: start it again from the log.
      this.logger.warn(`The offset index ${this.indexPath} is gone; rebuilding it from the log.`)
      this.clear()
      await this.reset()
      return open(this.indexPath, 'r+')
    })
    try {
      const batch = Buffer.alloc(FLUSH_RECORDS * RECORD_BYTES)
      let used = 0
      let at = HEADER_BYTES + this.recordsWritten * RECORD_BYTES
      const flush = async () => {
        await handle.write(batch, 0, used, at)
        at += used
        this.recordsWritten += used / RECORD_BYTES
        used = 0
      }
      // The end of the last line indexed: where a stopped scan leaves the index.
      let done = this.covered
      const { end } = await scanLines(this.logPath, this.covered, (line) => {
        if (signal?.aborted) throw STOPPED
        if (this.indexLine(line.offset, line.bytes, batch.subarray(used, used + RECORD_BYTES), onItem)) used += RECORD_BYTES
        done = line.offset + line.bytes.length + 1
        return used === batch.length ? flush() : undefined
      }).catch((e: unknown) => {
        if (e === STOPPED) return { end: done }
        throw e
      })
      if (used > 0) await flush()
      this.covered = Math.max(this.covered, end)
      await this.writeHeader(handle)
    } finally {
      await handle.close()
    }
  }

  /** Indexes one line, writing its record into `rec` (zeroed here); false when the line makes no record. */
  private indexLine(offset: number, bytes: Buffer, rec: Buffer, onItem?: (item: LoggedItem) => void): boolean {
    if (bytes.length === 0 || (bytes.length === 1 && bytes[0] === 13)) return false
    let e: { type?: unknown; item?: LoggedItem; turnIds?: unknown; rewound?: unknown }
    try {
      e = JSON.parse(bytes.toString('utf8'))
      if (!e || typeof e !== 'object') throw new Error('not an object')
    } catch {
      this.logger.warn(`The offset index skipped a corrupt line at byte ${offset} of ${this.logPath}; the rest of the log is intact.`)
      return false
    }
    rec.fill(0)
    rec.writeUInt32LE(bytes.length, 4)
    rec.writeDoubleLE(offset, 8)
    if (e.type === 'item.completed' && e.item && typeof e.item.id === 'string') {
      const item = e.item
      const h = idHash(item.id)
      const kind = KIND_CODES[item.kind ?? ''] ?? 0
      const waiting = item.kind === 'approval' && item.status === 'pending' && item.approval && typeof item.approval === 'object'
      const tool = waiting && typeof item.approval!.toolItemId === 'string' ? idHash(item.approval!.toolItemId) : 0
      rec[0] = REC_ITEM
      rec[1] = kind
      rec[2] = waiting ? FLAG_PENDING : 0
      rec.writeDoubleLE(h, 16)
      rec.writeDoubleLE(tool, 24)
      this.applyItem(h, offset, bytes.length, kind, waiting ? tool : null)
      onItem?.(item)
      return true
    }
    if (e.type === REWOUND_EVENT) {
      rec[0] = REC_REWOUND
      this.applyRewound(e)
      return true
    }
    return false
  }

  private applyItem(h: number, offset: number, length: number, kind: number, pendingTool: number | null): void {
    let at = this.positions.get(h)
    if (at === undefined) {
      at = this.n++
      if (at >= this.offsets.length) this.grow()
      this.positions.set(h, at)
    }
    this.offsets[at] = offset
    this.lengths[at] = length
    this.kinds[at] = kind
    if (pendingTool !== null) this.pending.set(at, pendingTool)
    else this.pending.delete(at)
  }

  private applyRewound(e: { turnIds?: unknown; rewound?: unknown }): void {
    if (!Array.isArray(e.turnIds)) return
    for (const id of e.turnIds) if (typeof id === 'string') e.rewound === true ? this.rewound.add(id) : this.rewound.delete(id)
  }

  private grow(): void {
    const cap = this.offsets.length * 2
    const offsets = new Float64Array(cap)
    offsets.set(this.offsets)
    const lengths = new Uint32Array(cap)
    lengths.set(this.lengths)
    const kinds = new Uint8Array(cap)
    kinds.set(this.kinds)
    this.offsets = offsets
    this.lengths = lengths
    this.kinds = kinds
  }

  private clear(): void {
    this.offsets = new Float64Array(256)
    this.lengths = new Uint32Array(256)
    this.kinds = new Uint8Array(256)
    this.n = 0
    this.positions.clear()
    this.pending.clear()
    this.rewound.clear()
    this.covered = 0
    this.recordsWritten = 0
    this.fingerprint = { length: 0, hash: Buffer.alloc(8) }
  }

  /** An empty sidecar: the next catch-up indexes the whole log. */
  private async reset(): Promise<void> {
    await writeFile(this.indexPath, this.header(), { mode: 0o600 })
  }

  private header(): Buffer {
    const h = Buffer.alloc(HEADER_BYTES)
    h.write(MAGIC, 0, 'latin1')
    h.writeUInt32LE(VERSION, 8)
    h.writeUInt32LE(this.fingerprint.length, 12)
    h.writeDoubleLE(this.covered, 16)
    this.fingerprint.hash.copy(h, 24, 0, 8)
    return h
  }

  private async writeHeader(handle: Awaited<ReturnType<typeof open>>): Promise<void> {
    if (this.fingerprint.length < FINGERPRINT_BYTES && this.covered > this.fingerprint.length) this.fingerprint = await this.fingerprintOf()
    const h = this.header()
    await handle.write(h, 0, h.length, 0)
  }

  private async fingerprintOf(length = Math.min(FINGERPRINT_BYTES, this.covered)): Promise<{ length: number; hash: Buffer }> {
    const head = await readLineAt(this.logPath, 0, length)
    return { length: head.length, hash: headHash(head) }
  }

  private async sameLog(): Promise<boolean> {
    const now = await this.fingerprintOf(this.fingerprint.length)
    return now.length === this.fingerprint.length && now.hash.equals(this.fingerprint.hash)
  }

  /** Reads the sidecar; null when it is sound, else what is wrong with it ('absent' when there is none). */
  private async load(): Promise<string | null> {
    let buf: Buffer
    try {
      buf = await readFile(this.indexPath)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'absent'
      throw e
    }
    if (buf.length < HEADER_BYTES || buf.toString('latin1', 0, 8) !== MAGIC) return 'not an index'
    if (buf.readUInt32LE(8) !== VERSION) return `of another version (${buf.readUInt32LE(8)})`
    this.fingerprint = { length: buf.readUInt32LE(12), hash: Buffer.from(buf.subarray(24, 32)) }
    this.covered = buf.readDoubleLE(16)
    const logSize = await stat(this.logPath).then(
      (s) => s.size,
      () => 0
    )
    if (!Number.isSafeInteger(this.covered) || this.covered > logSize) return 'ahead of its log'
    if (!(await this.sameLog())) return 'the index of another log'
    const whole = Math.floor((buf.length - HEADER_BYTES) / RECORD_BYTES)
    const torn = HEADER_BYTES + whole * RECORD_BYTES !== buf.length
    if (torn) {
      this.logger.warn(`The offset index ${this.indexPath} ends in a torn record; dropping it and indexing the log again from there.`)
      await truncate(this.indexPath, HEADER_BYTES + whole * RECORD_BYTES)
    }
    const rewoundSpans: LineSpan[] = []
    let prevEnd = -1
    let lastStart = 0
    for (let r = 0; r < whole; r++) {
      const at = HEADER_BYTES + r * RECORD_BYTES
      const length = buf.readUInt32LE(at + 4)
      const offset = buf.readDoubleLE(at + 8)
      if (!Number.isSafeInteger(offset) || offset <= prevEnd || offset + length >= logSize) return 'out of step with its log'
      prevEnd = offset + length
      lastStart = offset
      if (buf[at] === REC_ITEM) {
        const pendingTool = buf[at + 2]! & FLAG_PENDING ? buf.readDoubleLE(at + 24) : null
        this.applyItem(buf.readDoubleLE(at + 16), offset, length, buf[at + 1]!, pendingTool)
      } else if (buf[at] === REC_REWOUND) rewoundSpans.push({ offset, length })
      else return 'holding a record of an unknown type'
    }
    this.recordsWritten = whole
    if (whole > 0) {
      const nl = await readLineAt(this.logPath, prevEnd, 1)
      const before = lastStart === 0 ? Buffer.from('\n') : await readLineAt(this.logPath, lastStart - 1, 1)
      if (nl[0] !== 10 || before[0] !== 10) return 'out of step with its log (its last line does not end where it says)'
      // Records written but the header not yet: their lines were indexed whole. After a torn record, what
      // follows the last whole one is indexed again (lines that make no record are only scanned again).
      this.covered = torn ? prevEnd + 1 : Math.max(this.covered, prevEnd + 1)
    } else if (torn) this.covered = 0
    for (const s of rewoundSpans) {
      const line = await readLineAt(this.logPath, s.offset, s.length)
      try {
        this.applyRewound(JSON.parse(line.toString('utf8')))
      } catch {
        return 'out of step with its log (a rewind record does not point at one)'
      }
    }
    return null
  }
}
