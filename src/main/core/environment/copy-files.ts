import { constants } from 'node:fs'
import { copyFile, lstat, mkdir, readlink, realpath, symlink } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve, sep } from 'node:path'
import type { GitRunner } from '../git/git-runner'

/** What copying files into a new worktree did. */
export interface CopyOutcome {
  copied: string[]
  warnings: string[]
}

// A pattern list that matches a whole data folder should not fill the disk silently.
const MAX_FILES = 5000

const inside = (root: string, path: string): boolean => {
  const rel = relative(root, path)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)
}

/**
 * Makes the parent folders of `rel` inside `root`, refusing to go through anything that is not a
 * real folder of the worktree (a tracked symlink could otherwise lead the copy out of it).
 */
export async function safeParent(root: string, rel: string): Promise<boolean> {
  const parts = rel.split('/').slice(0, -1)
  let at = root
  for (const p of parts) {
    at = join(at, p)
    const s = await lstat(at).catch(() => null)
    if (!s) await mkdir(at)
    else if (!s.isDirectory() || s.isSymbolicLink()) return false
  }
  return true
}

/**
 * Copies the untracked files of the main checkout that match gitignore-style `patterns` (e.g.
 * `.env`, `**\/.env.local`) into the same place in a new worktree. Git lists the matches, so only
 * files inside the checkout are ever considered, and `../x` or `/etc/passwd` patterns match nothing
 * outside it. Symbolic links are never followed: one pointing inside the checkout is recreated as a
 * link, one pointing out of it is skipped. Files the worktree already has are left alone, as are
 * paths under `skip` (shared folders).
 */
export async function copyMatchingFiles(
  git: GitRunner,
  source: string,
  dest: string,
  patterns: string[],
  skip: string[] = []
): Promise<CopyOutcome> {
  const outcome: CopyOutcome = { copied: [], warnings: [] }
  if (patterns.length === 0) return outcome
  const listed = await git.exec(source, ['ls-files', '-z', '--others', '--ignored', ...patterns.map((p) => `--exclude=${p}`)])
  if (listed.exitCode !== 0) {
    outcome.warnings.push(`git could not list the files to copy: ${listed.stderr.trim()}`)
    return outcome
  }
  const realSource = await realpath(source)
  const files = listed.stdout
    .split('\0')
    .filter(Boolean)
    .filter((f) => !skip.some((s) => f === s || f.startsWith(`${s}/`)))
  if (files.length > MAX_FILES)
    outcome.warnings.push(`${files.length} files match the copy patterns; only the first ${MAX_FILES} were copied. Narrow the patterns.`)
  for (const rel of files.slice(0, MAX_FILES)) {
    const from = resolve(source, rel)
    const to = resolve(dest, rel)
    if (!inside(source, from) || !inside(dest, to) || rel.split('/').includes('..')) {
      outcome.warnings.push(`${rel}: outside the checkout; not copied.`)
      continue
    }
    const s = await lstat(from).catch(() => null)
    if (!s) continue
    if (!(await safeParent(dest, rel))) {
      outcome.warnings.push(`${rel}: a folder on its way in the worktree is a link or a file; not copied.`)
      continue
    }
    try {
      if (s.isSymbolicLink()) {
        const target = await readlink(from)
        const resolved = await realpath(from).catch(() => null)
        if (isAbsolute(target) || !resolved || !(resolved === realSource || resolved.startsWith(realSource + sep))) {
          outcome.warnings.push(`${rel}: a link to ${target}, outside the checkout; not copied.`)
          continue
        }
        await symlink(target, to)
      } else if (s.isFile()) {
        // EXCL: never overwrite what the worktree has, and never write through a link placed there.
        await copyFile(from, to, constants.COPYFILE_EXCL)
      } else continue
      outcome.copied.push(rel)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      if (code !== 'EEXIST') outcome.warnings.push(`${rel}: ${(e as Error).message}`)
    }
  }
  return outcome
}
