import { renameSync, rmSync, writeFileSync } from 'node:fs'
import { open, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { randomBytes } from 'node:crypto'

/**
 * Writes a file so readers see either the old or the new content, never a mix:
 * write a temp file beside it, flush it, then rename over the original.
 * `durable: false` skips the fsyncs, for caches that can lose their last seconds (scrollback).
 */
export async function writeFileAtomic(path: string, data: string, options: { durable?: boolean } = {}): Promise<void> {
  const durable = options.durable ?? true
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  try {
    const handle = await open(temp, 'w', 0o600)
    try {
      await handle.writeFile(data, 'utf8')
      if (durable) await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, path)
  } catch (e) {
    await rm(temp, { force: true }).catch(() => undefined)
    throw e
  }
  // Make the rename itself durable where the platform allows fsync on a directory.
  if (durable && process.platform !== 'win32') {
    const dir = await open(dirname(path), 'r').catch(() => null)
    if (dir)
      await dir
        .sync()
        .catch(() => undefined)
        .finally(() => dir.close())
  }
}

/**
 * The synchronous twin of writeFileAtomic, without fsync: for small records that must be on disk
 * before the next statement runs (a pty's run record, written before its process may fork) and
 * need only survive the death of this process, not of the machine.
 */
export function writeFileAtomicSync(path: string, data: string): void {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  try {
    writeFileSync(temp, data, { encoding: 'utf8', mode: 0o600 })
    renameSync(temp, path)
  } catch (e) {
    rmSync(temp, { force: true })
    throw e
  }
}
