import { open, type FileHandle } from 'node:fs/promises'
import type { Stats } from 'node:fs'

/** How a file was read: what the import stats and the memory tests look at. */
export interface LineReadStats {
  /** Bytes read from the file. */
  bytes: number
  /** Non-blank lines handed to the callback. */
  lines: number
  /** Lines longer than `maxLineBytes`: dropped without being buffered whole. */
  oversized: number
  /** The most bytes held at once (the chunk plus a partial line): the reader's memory bound. */
  maxBuffered: number
  /** The callback asked to stop, or `maxBytes` was reached before the end of the file. */
  stopped: boolean
  /** The file's stat, taken on the open handle. */
  stat: Stats
}

/** Limits for one read. */
export interface LineReadOptions {
  /** Read at most this many bytes (a head read); a line cut by the cap is not delivered. */
  maxBytes?: number
  /** Longer lines are dropped and counted, so one huge line never sits in memory. Default 16 MB. */
  maxLineBytes?: number
  /** Bytes per read. Default 64 KB. */
  chunkBytes?: number
}

/** The callback: a decoded line (no newline, no trailing \r) and its 1-based line number. Return false to stop. */
export type LineHandler = (line: string, lineNo: number) => void | boolean

const DEFAULT_MAX_LINE = 16 * 1024 * 1024
const DEFAULT_CHUNK = 64 * 1024
const NL = 0x0a
const EMPTY = Buffer.alloc(0)
// A pending buffer grown past this for one long line is let go once the line is done.
const KEEP_PENDING = 1024 * 1024

/**
 * Streams a file line by line with a fixed read buffer. Lines are split on the byte 0x0A before
 * decoding, so a multi-byte character cut by a chunk boundary is never garbled; only a line that
 * spans chunks is copied. Blank lines are skipped but still numbered, so line numbers are stable.
 */
export async function forEachLine(path: string, onLine: LineHandler, options: LineReadOptions = {}): Promise<LineReadStats> {
  const handle = await open(path, 'r')
  try {
    return await readLines(handle, onLine, options)
  } finally {
    await handle.close()
  }
}

async function readLines(handle: FileHandle, onLine: LineHandler, options: LineReadOptions): Promise<LineReadStats> {
  const stat = await handle.stat()
  const maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE
  const limit = Math.min(options.maxBytes ?? Infinity, stat.size)
  const chunk = Buffer.allocUnsafe(Math.max(1, Math.min(options.chunkBytes ?? DEFAULT_CHUNK, limit || 1)))
  const s: LineReadStats = { bytes: 0, lines: 0, oversized: 0, maxBuffered: 0, stopped: false, stat }
  // A line that spans chunks is gathered in one reused buffer, so long lines make no garbage Buffers.
  let pending = EMPTY
  let pendingBytes = 0
  let dropping = false
  let lineNo = 0
  let stop = false

  const deliver = (buf: Buffer, start: number, end: number): void => {
    lineNo++
    if (lineNo === 1 && end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) start += 3
    if (end > start && buf[end - 1] === 0x0d) end--
    let blank = true
    for (let i = start; i < end; i++) {
      const c = buf[i]!
      if (c !== 0x20 && c !== 0x09) {
        blank = false
        break
      }
    }
    if (blank) return
    s.lines++
    if (onLine(buf.toString('utf8', start, end), lineNo) === false) stop = true
  }

  // Keeps chunk[from, to) after what is pending; false (and nothing kept) when the line gets too long.
  const keep = (from: number, to: number): boolean => {
    const need = pendingBytes + (to - from)
    if (need > maxLine) {
      s.oversized++
      pendingBytes = 0
      return false
    }
    if (need > pending.length) {
      const grown = Buffer.allocUnsafe(Math.min(maxLine, Math.max(need, pending.length * 2, 64 * 1024)))
      pending.copy(grown, 0, 0, pendingBytes)
      pending = grown
    }
    chunk.copy(pending, pendingBytes, from, to)
    pendingBytes = need
    s.maxBuffered = Math.max(s.maxBuffered, chunk.length + pending.length)
    return true
  }

  const release = (): void => {
    pendingBytes = 0
    if (pending.length > KEEP_PENDING) pending = EMPTY
  }

  // The line that ends at `end` in this chunk, joined to what earlier chunks left over.
  const finishLine = (from: number, end: number): void => {
    if (dropping) {
      dropping = false
      lineNo++
    } else if (pendingBytes === 0) {
      if (end - from > maxLine) {
        s.oversized++
        lineNo++
      } else deliver(chunk, from, end)
    } else if (keep(from, end)) {
      deliver(pending, 0, pendingBytes)
      release()
    } else {
      lineNo++
      release()
    }
  }

  s.maxBuffered = chunk.length
  while (!stop && s.bytes < limit) {
    const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, limit - s.bytes), s.bytes)
    if (bytesRead === 0) break
    s.bytes += bytesRead
    let from = 0
    for (let nl = chunk.indexOf(NL, 0); nl !== -1 && nl < bytesRead && !stop; nl = chunk.indexOf(NL, from)) {
      finishLine(from, nl)
      from = nl + 1
    }
    if (!stop && from < bytesRead && !dropping && !keep(from, bytesRead)) {
      dropping = true
      release()
    }
  }
  const cut = s.bytes < stat.size
  if (!stop && !cut && pendingBytes > 0) deliver(pending, 0, pendingBytes)
  s.stopped = stop || cut
  return s
}
