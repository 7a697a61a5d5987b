import { execFile } from 'node:child_process'
import { lstat, mkdir, readdir, rm, stat, symlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { err, ok, type Result } from '../../../shared/result'

const run = promisify(execFile)

/**
 * How a folder reaches a new worktree:
 * - `symlink`: the worktree gets a link to one shared folder. Costs nothing; every worktree sees the
 *   same files, so a tool that writes into it (an install with other versions) changes them for all.
 * - `reflink`: a copy-on-write clone (`cp --reflink=auto` on Linux, `cp -c` / clonefile on macOS).
 *   Each worktree has its own files that share disk blocks until written. On a file system without
 *   clones (ext4, tmpfs) it falls back to a full copy, and says so.
 * - `copy`: a full, independent copy (the baseline).
 */
export type ShareMode = 'symlink' | 'reflink' | 'copy'

/** What sharing did: the mode asked, the mode used (a reflink may become a copy), and why if it fell back. */
export interface ShareOutcome {
  asked: ShareMode
  used: ShareMode
  fellBack: string | null
}

/** Why a folder could not be shared. */
export type ShareFailure = { kind: 'source-missing' | 'target-exists' | 'failed'; message: string }

/** Makes `target` hold the folder `source` by link, clone or copy; never overwrites an existing target. */
export async function shareFolder(source: string, target: string, mode: ShareMode): Promise<Result<ShareOutcome, ShareFailure>> {
  const src = await lstat(source).catch(() => null)
  if (!src?.isDirectory()) return err({ kind: 'source-missing', message: `${source} is not a folder, so there is nothing to share.` })
  if (
    await lstat(target).then(
      () => true,
      () => false
    )
  )
    return err({ kind: 'target-exists', message: `${target} already exists; it was left as it is.` })
  await mkdir(dirname(target), { recursive: true })
  try {
    if (mode === 'symlink') {
      await symlink(source, target, 'dir')
      return ok({ asked: mode, used: mode, fellBack: null })
    }
    if (mode === 'copy') {
      await copyTree(source, target, 'never')
      return ok({ asked: mode, used: mode, fellBack: null })
    }
    if (process.platform === 'darwin') {
      // APFS clonefile; on another file system cp -c fails, and a plain copy is made instead.
      const cloned = await run('cp', ['-c', '-R', '-p', source, target]).then(
        () => true,
        () => false
      )
      if (cloned) return ok({ asked: mode, used: mode, fellBack: null })
      await rm(target, { recursive: true, force: true })
      await copyTree(source, target, 'never')
      return ok({ asked: mode, used: 'copy', fellBack: 'this file system cannot clone files (clonefile failed), so the folder was copied' })
    }
    const clones = await canClone(source, dirname(target))
    await copyTree(source, target, clones ? 'always' : 'never')
    return clones
      ? ok({ asked: mode, used: mode, fellBack: null })
      : ok({ asked: mode, used: 'copy', fellBack: 'this file system cannot clone files (no reflink support), so the folder was copied' })
  } catch (e) {
    await rm(target, { recursive: true, force: true }).catch(() => undefined)
    return err({
      kind: 'failed',
      message: `Could not ${mode === 'symlink' ? 'link' : 'copy'} ${source} to ${target}: ${(e as Error).message}`
    })
  }
}

// Whether files clone between two file systems, probed once per pair of devices.
const cloneable = new Map<string, boolean>()

/**
 * Clones one file of `source` next to the target: GNU cp goes on through every file after a failed
 * clone, so a whole tree tried on a file system without clones costs as much as two copies.
 */
async function canClone(source: string, targetDir: string): Promise<boolean> {
  const file = await firstFile(source)
  if (!file) return true
  const key = `${(await stat(source)).dev}:${(await stat(targetDir)).dev}`
  const known = cloneable.get(key)
  if (known !== undefined) return known
  const probe = join(targetDir, `.skein-clone-probe-${process.pid}-${Date.now()}`)
  const cloned = await run('cp', ['--reflink=always', '--', file, probe]).then(
    () => true,
    () => false
  )
  await rm(probe, { force: true })
  cloneable.set(key, cloned)
  return cloned
}

/** Some regular file under `dir`, or null when it holds none. */
async function firstFile(dir: string): Promise<string | null> {
  const pending = [dir]
  for (let d = pending.shift(); d !== undefined; d = pending.shift()) {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      if (e.isFile()) return join(d, e.name)
      if (e.isDirectory()) pending.push(join(d, e.name))
    }
  }
  return null
}

async function copyTree(source: string, target: string, reflink: 'always' | 'never'): Promise<void> {
  const args = process.platform === 'darwin' ? ['-R', '-p', source, target] : ['-a', `--reflink=${reflink}`, '--', source, target]
  await run('cp', args, { maxBuffer: 16 * 1024 * 1024 })
}
