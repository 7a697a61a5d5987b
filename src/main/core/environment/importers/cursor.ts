import { err, ok, type Result } from '../../../../shared/result'
import { asObject, type ImportedEnvironment, type ImportFailure } from './import-types'

/** Where Cursor keeps its worktree setup. */
export const CURSOR_FILE = '.cursor/worktrees.json'

const KEYS = ['setup-worktree', 'setup-worktree-unix', 'setup-worktree-windows']

/**
 * Reads Cursor's `.cursor/worktrees.json`. The platform key (`setup-worktree-unix` here, or
 * `-windows` on Windows) wins over `setup-worktree`. An array is a list of commands Cursor runs
 * in one shell, which is how Skein runs setup too; comment-only and empty entries are dropped.
 * A string names a script (relative to `.cursor/`, as Cursor resolves it) when `scriptExists`
 * says so, else it is one command.
 */
export function importCursor(
  text: string,
  o: { platform?: NodeJS.Platform; scriptExists?: (relPath: string) => boolean } = {}
): Result<ImportedEnvironment, ImportFailure> {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (e) {
    return err({ format: 'cursor', message: `${CURSOR_FILE} is not valid JSON: ${(e as Error).message}` })
  }
  const root = asObject(parsed)
  if (!root) return err({ format: 'cursor', message: `${CURSOR_FILE} is not a JSON object.` })
  const notes: string[] = []
  const platformKey = (o.platform ?? process.platform) === 'win32' ? 'setup-worktree-windows' : 'setup-worktree-unix'
  const key = root[platformKey] !== undefined && root[platformKey] !== null ? platformKey : 'setup-worktree'
  const value = root[key]
  let setup: string[] = []
  if (Array.isArray(value)) {
    const entries = value.filter((v): v is string => typeof v === 'string')
    setup = entries.map((v) => v.trim()).filter((v) => v && !v.startsWith('#'))
    const dropped = entries.length - setup.length
    if (dropped) notes.push(`${dropped} empty or comment-only ${dropped === 1 ? 'entry was' : 'entries were'} left out.`)
  } else if (typeof value === 'string' && value.trim()) {
    const path = value.trim()
    const inCursor = `.cursor/${path.replace(/^\.\//, '')}`
    if (!path.startsWith('/') && !path.split('/').includes('..') && o.scriptExists?.(inCursor)) setup = [`sh ${shellQuote(inCursor)}`]
    else if (!path.startsWith('/') && !path.split('/').includes('..') && o.scriptExists?.(path.replace(/^\.\//, '')))
      setup = [`sh ${shellQuote(path.replace(/^\.\//, ''))}`]
    else setup = [path]
  }
  const unknown = Object.keys(root).filter((k) => !KEYS.includes(k) && !k.startsWith('_') && k !== '$schema')
  if (unknown.length) notes.push(`Not Cursor worktree settings, left out: ${unknown.join(', ')}.`)
  if (key !== 'setup-worktree' && root['setup-worktree'] !== undefined)
    notes.push(`Used "${key}" (this platform's) instead of "setup-worktree".`)
  return ok({ format: 'cursor', environment: { setup }, notes })
}

const shellQuote = (s: string): string => (/^[\w./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`)
