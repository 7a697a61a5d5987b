import { realpath } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'

/** A path inside the worktree, or why it was refused. */
export type GuardedPath = { ok: true; path: string; relative: string } | { ok: false; reason: string }

/** Whether `target` is `root` or below it, lexically (`..foo` is a name inside, `../foo` is not). */
export const isInside = (root: string, target: string): boolean => {
  const rel = relative(root, target)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))
}

/** The real path of `target`, or of its nearest existing ancestor joined with the missing rest. */
export async function realpathAllowingMissing(target: string): Promise<string> {
  const missing: string[] = []
  let current = target
  for (;;) {
    try {
      const real = await realpath(current)
      return missing.length ? join(real, ...missing.reverse()) : real
    } catch {
      const parent = dirname(current)
      if (parent === current) return target
      missing.push(basename(current))
      current = parent
    }
  }
}

/**
 * Resolves a path the model gave (relative to the worktree) to a real path inside the worktree.
 * Refuses `..` escapes, absolute paths elsewhere, sibling-prefix paths (/repo-x next to /repo)
 * and symlinks that point out, by comparing real paths, never strings.
 */
export async function guardPath(worktree: string, requested: string): Promise<GuardedPath> {
  if (typeof requested !== 'string' || requested.length === 0) return { ok: false, reason: 'a path is required' }
  if (requested.includes('\0')) return { ok: false, reason: 'the path contains a NUL byte' }
  const root = await realpath(worktree)
  const candidate = isAbsolute(requested) ? requested : resolve(root, requested)
  const real = await realpathAllowingMissing(candidate)
  if (!isInside(root, real))
    return { ok: false, reason: `${requested} is outside the thread's worktree (${root}); only files inside it can be used` }
  return { ok: true, path: real, relative: relative(root, real) || '.' }
}
