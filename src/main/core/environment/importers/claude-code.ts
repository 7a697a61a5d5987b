import { ok, type Result } from '../../../../shared/result'
import type { SharedFolder } from '../../../../shared/environment'
import { parseJsonc } from '../jsonc'
import { asObject, type ImportedEnvironment, type ImportFailure } from './import-types'

/** Claude Code's list of ignored files to copy into new worktrees. */
export const WORKTREE_INCLUDE_FILE = '.worktreeinclude'
/** Claude Code's project settings, where `worktree.symlinkDirectories` lives. */
export const CLAUDE_SETTINGS_FILE = '.claude/settings.json'

/** The patterns of a gitignore-style file: blank lines and comments dropped, order kept. */
export function patternLines(text: string): string[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((l) => l.replace(/\s+$/, ''))
    .filter((l) => l.trim() && !l.startsWith('#'))
}

/**
 * Reads Claude Code's `.worktreeinclude` (copied as patterns, as is) and the
 * `worktree.symlinkDirectories` of `.claude/settings.json` (shared by symlink, as Claude Code does).
 * Either may be missing. The settings file is read leniently: when it is broken, only the
 * folders are lost and a note says so.
 */
export function importClaudeCode(files: {
  worktreeInclude?: string | null
  settings?: string | null
}): Result<ImportedEnvironment, ImportFailure> {
  const notes: string[] = []
  const copy = files.worktreeInclude ? patternLines(files.worktreeInclude) : []
  const share: SharedFolder[] = []
  if (files.settings) {
    const parsed = parseJsonc(files.settings)
    if (!parsed.ok) notes.push(`${CLAUDE_SETTINGS_FILE} could not be read (${parsed.error}); no folders imported from it.`)
    else {
      const dirs = asObject(asObject(parsed.value)?.worktree)?.symlinkDirectories
      if (Array.isArray(dirs)) {
        for (const d of dirs) {
          if (typeof d !== 'string' || !d.trim()) continue
          const path = d.trim().replace(/^\/+/, '')
          if (path.split('/').includes('..')) notes.push(`"${d}" leaves the repository; left out.`)
          else share.push({ path, mode: 'symlink' })
        }
      }
    }
  }
  return ok({ format: 'claude', environment: { copy, share }, notes })
}
