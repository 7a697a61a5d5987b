import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { GitRunner } from '../git/git-runner'

const run = promisify(execFile)

/** What a fresh checkout of HEAD takes on disk: every tracked file rounded up to 4 KB blocks. */
export async function checkoutEstimate(git: GitRunner, repoPath: string): Promise<number> {
  const out = await git.exec(repoPath, ['ls-tree', '-r', '-l', '-z', 'HEAD'])
  if (out.exitCode !== 0) return 0
  let bytes = 0
  for (const rec of out.stdout.split('\0')) {
    const m = /^\d+ blob [0-9a-f]+ +(\d+)\t/.exec(rec)
    if (m) bytes += Math.ceil(Number(m[1]) / 4096) * 4096
  }
  return bytes
}

/**
 * A note for file systems that clone files (btrfs, XFS with reflink, APFS): a clone's blocks are
 * shared until written, but st_blocks reports them in full and only the FIEMAP ioctl (per file,
 * unreachable from Node) tells shared extents apart, so the figures are an upper bound there.
 */
export async function cloneNote(home: string): Promise<string | null> {
  if (process.platform === 'darwin')
    return 'Files cloned by APFS (copy-on-write) are counted in full, so these figures can be more than the disk really used.'
  if (process.platform !== 'linux') return null
  let dir: string | null = null
  try {
    dir = await mkdtemp(join(home, '.reflink-probe-'))
    await writeFile(join(dir, 'a'), 'x')
    await run('cp', ['--reflink=always', join(dir, 'a'), join(dir, 'b')])
    return 'This file system clones files (copy-on-write): a cloned file is counted in full, so these figures can be more than the disk really used.'
  } catch {
    return null
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true })
  }
}
