import { open, type FileHandle } from 'node:fs/promises'

/** Bytes read at a time while scanning a log: a scan never holds more than this plus the line it is on. */
export const SCAN_CHUNK_BYTES = 1 << 20

/** Bytes read at once when fetching the lines of a window: nearby lines share one read up to this size. */
export const GROUP_READ_BYTES = 1 << 20

/** One complete line of a log: its bytes without the '\n' (a view, valid only during the callback) and where it starts. */
export interface ScannedLine {
  offset: number
  bytes: Buffer
}

/** Where a line lies in a log: its first byte and its length without the '\n'. */
export interface LineSpan {
  offset: number
  length: number
}

/**
 * Calls `onLine` for each complete line of the file from byte `from` on, in order, reading fixed-size chunks
 * (a line longer than a chunk is carried across them). Stops at the end of the file as it is then; a last line
 * without its '\n' is not passed. `onLine` may return a promise: the scan waits for it. Returns `end`, the offset just past the last complete line.
 */
export async function scanLines(
  path: string,
  from: number,
  onLine: (line: ScannedLine) => void | Promise<void>,
  chunkBytes = SCAN_CHUNK_BYTES
): Promise<{ end: number }> {
  const handle = await open(path, 'r')
  try {
    return await scanHandle(handle, from, onLine, chunkBytes)
  } finally {
    await handle.close()
  }
}

async function scanHandle(
  handle: FileHandle,
  from: number,
  onLine: (line: ScannedLine) => void | Promise<void>,
  chunkBytes: number
): Promise<{ end: number }> {
  const chunk = Buffer.allocUnsafe(chunkBytes)
  let carry: Buffer[] = []
  let carryStart = from
  let pos = from
  let end = from
  for (;;) {
    const { bytesRead } = await handle.read(chunk, 0, chunkBytes, pos)
    if (bytesRead === 0) break
    let start = 0
    for (;;) {
      const nl = chunk.indexOf(10, start)
      if (nl < 0 || nl >= bytesRead) break
      const lineOffset = carry.length > 0 ? carryStart : pos + start
      const bytes = carry.length > 0 ? Buffer.concat([...carry, chunk.subarray(start, nl)]) : chunk.subarray(start, nl)
      carry = []
      end = pos + nl + 1
      const pending = onLine({ offset: lineOffset, bytes })
      if (pending) await pending
      start = nl + 1
    }
    if (start < bytesRead) {
      if (carry.length === 0) carryStart = pos + start
      // Copied: the chunk buffer is reused by the next read.
      carry.push(Buffer.from(chunk.subarray(start, bytesRead)))
    }
    pos += bytesRead
  }
  return { end }
}

/** The bytes of one line (without its '\n'), read from an open handle or a path. Short when the file is shorter. */
export async function readLineAt(file: FileHandle | string, offset: number, length: number): Promise<Buffer> {
  const handle = typeof file === 'string' ? await open(file, 'r') : file
  try {
    return await readInto(handle, Buffer.allocUnsafe(length), offset, length)
  } finally {
    if (typeof file === 'string') await handle.close()
  }
}

async function readInto(handle: FileHandle, buf: Buffer, offset: number, length: number): Promise<Buffer> {
  let got = 0
  while (got < length) {
    const { bytesRead } = await handle.read(buf, got, length - got, offset + got)
    if (bytesRead === 0) break
    got += bytesRead
  }
  return buf.subarray(0, got)
}

/**
 * Reads the lines at `spans` from an open handle, calling `onLine(i, bytes)` for each (in file order, not span order).
 * Lines close together share one read of at most `groupBytes` (a longer line is read alone), so a window costs a
 * few reads and never more memory than one group or one line.
 */
export async function readSpans(
  handle: FileHandle,
  spans: readonly LineSpan[],
  onLine: (i: number, bytes: Buffer) => void,
  groupBytes = GROUP_READ_BYTES
): Promise<void> {
  const order = spans.map((_, i) => i).sort((a, b) => spans[a]!.offset - spans[b]!.offset)
  let scratch = Buffer.allocUnsafe(0)
  let k = 0
  while (k < order.length) {
    const first = spans[order[k]!]!
    let last = k
    while (last + 1 < order.length) {
      const next = spans[order[last + 1]!]!
      if (next.offset + next.length - first.offset > groupBytes) break
      last++
    }
    const endByte = Math.max(...order.slice(k, last + 1).map((i) => spans[i]!.offset + spans[i]!.length))
    const size = endByte - first.offset
    // One buffer for every group (grown for a long line): a window leaves no trail of read buffers behind.
    if (size > scratch.length) scratch = Buffer.allocUnsafe(Math.max(size, Math.min(groupBytes, scratch.length * 2)))
    const buf = await readInto(handle, scratch, first.offset, size)
    for (let j = k; j <= last; j++) {
      const s = spans[order[j]!]!
      onLine(order[j]!, buf.subarray(s.offset - first.offset, s.offset - first.offset + s.length))
    }
    k = last + 1
  }
}
