import { existsSync } from 'node:fs'
import { chmod, lstat, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from '../logger'
import type { DataDir } from './data-dir'

/** Written after the first full sweep of a home. */
const SWEPT_MARKER = '.private'

/** The mode Skein gives folders it makes under SKEIN_HOME. */
export const PRIVATE_DIR = 0o700
/** The mode Skein gives files it writes under SKEIN_HOME. */
export const PRIVATE_FILE = 0o600

/**
 * Makes SKEIN_HOME private to its owner (POSIX): folders 0700, files 0600, tightening only what is
 * looser. Under worktrees/ only the folders Skein made (worktrees/ and worktrees/<repo>/) are touched:
 * a worktree's own files are the user's. Returns how many entries were tightened.
 */
export async function secureHome(dir: DataDir, logger: Logger): Promise<number> {
  if (process.platform === 'win32') return 0
  // Everything is checked once (a home from an older Skein); after that Skein makes its files private
  // itself, and a start only checks the top-level entries, so 49k threads cost nothing at each start.
  const marker = join(dir.home, SWEPT_MARKER)
  const deep = !existsSync(marker)
  let fixed = 0
  const tighten = async (path: string, isDir: boolean, mode: number) => {
    if ((mode & 0o077) === 0) return
    try {
      // Keep the owner's bits (an executable stays executable); drop group and other.
      await chmod(path, isDir ? PRIVATE_DIR : (mode & 0o700) | PRIVATE_FILE)
      fixed++
    } catch (e) {
      logger.warn(
        `Could not make ${path} private (${(e as NodeJS.ErrnoException).code ?? String(e)}); other users of this machine may be able to read it.`
      )
    }
  }
  const walk = async (path: string, depthUnderWorktrees: number | null): Promise<void> => {
    const st = await lstat(path).catch(() => null)
    if (!st || st.isSymbolicLink()) return
    const isDir = st.isDirectory()
    if (!isDir && !st.isFile()) return
    await tighten(path, isDir, st.mode)
    // worktrees/ is depth 0, worktrees/<repo>/ depth 1; a worktree folder (depth 2) and its files are the user's.
    if (!isDir || (depthUnderWorktrees !== null && depthUnderWorktrees >= 1)) return
    // After the first sweep a start checks the home's own entries and the worktree folders Skein made,
    // and descends nowhere else: a repository someone keeps inside the home would cost a walk per start.
    if (!deep && path !== dir.home && depthUnderWorktrees === null) return
    const names = await readdir(path).catch(() => [] as string[])
    for (const name of names) {
      const child = join(path, name)
      const childDepth = depthUnderWorktrees !== null ? depthUnderWorktrees + 1 : child === dir.worktreesDir ? 0 : null
      await walk(child, childDepth)
    }
  }
  await walk(dir.home, null)
  if (deep) await writeFile(marker, '1\n', { mode: PRIVATE_FILE }).catch(() => undefined)
  if (fixed > 0)
    logger.info(`Made ${fixed} entr${fixed === 1 ? 'y' : 'ies'} in ${dir.home} private to this user (folders 0700, files 0600).`)
  return fixed
}
