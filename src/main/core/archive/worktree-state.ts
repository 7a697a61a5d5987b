import type { GitRunner } from '../git/git-runner'
import { listIgnored } from '../git/ignored-paths'
import { measureFolder, type SkippedPath, utf8Path, walkFolder, type WalkResult } from './fs-walk'

/** Ignored folders bigger than this are left out of a snapshot (and reported): regenerable bulk like node_modules. */
export const LEAVE_OUT_BYTES = 50 * 1024 * 1024
/** Ignored folders with more files than this are left out of a snapshot (and reported). */
export const LEAVE_OUT_FILES = 10_000

/** Git-dir files that name where the worktree lives; the restore's `git worktree add` writes its own. */
const GIT_DIR_OWN = new Set(['gitdir', 'commondir', 'locked'])

/** A worktree folder and its private git dir, walked. */
export interface WorktreeState {
  worktree: WalkResult
  gitDir: WalkResult
}

/** What to leave out: decide now (ignored folders over the limits), or exactly the paths a manifest lists. */
export type LeaveOutRule = { decide: { bytes: number; files: number } } | { given: ReadonlySet<string> }

/** Walks a worktree (minus its `.git` file) and its git dir (minus location files, locks and `extraSkip`). */
export async function readWorktreeState(
  git: GitRunner,
  worktree: string,
  gitDir: string,
  algo: 'sha1' | 'sha256',
  rule: LeaveOutRule,
  extraSkip: readonly string[] = []
): Promise<WorktreeState> {
  const leaveOut = 'given' in rule ? async (p: string) => (rule.given.has(p) ? given(p) : null) : await bulkRule(git, worktree, rule.decide)
  const work = await walkFolder(worktree, { algo, ignore: (p) => p === '.git', leaveOut })
  const skip = new Set([...GIT_DIR_OWN, ...extraSkip])
  const admin = await walkFolder(gitDir, { algo, ignore: (p) => skip.has(p) || p.endsWith('.lock') })
  return { worktree: work, gitDir: admin }
}

const given = (path: string): SkippedPath => ({ path, bytes: 0, files: 0, reason: 'left out when archived' })

/** Leaves out the git-ignored folders over the size or file-count limit. */
async function bulkRule(git: GitRunner, worktree: string, limits: { bytes: number; files: number }) {
  const ignored = await listIgnored(git, worktree)
  return async (path: string, abs: Buffer): Promise<SkippedPath | null> => {
    const text = utf8Path(path)
    if (text === null || !ignored.has(`${text}/`)) return null
    // Counting stops at ten times a limit, so a runaway folder does not stall the archive.
    const size = await measureFolder(abs, { bytes: limits.bytes * 10, files: limits.files * 10 })
    if (size.bytes <= limits.bytes && size.files <= limits.files) return null
    const over =
      size.bytes > limits.bytes ? `over ${Math.round(limits.bytes / 1024 / 1024)} MB` : `over ${limits.files.toLocaleString('en-US')} files`
    return {
      path,
      bytes: size.bytes,
      files: size.files,
      reason: `git-ignored and ${over}, so taken as regenerable (dependencies, build output)`
    }
  }
}
