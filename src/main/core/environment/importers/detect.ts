import { existsSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describeIssues, Environment, type DetectedImport } from '../../../../shared/environment'
import type { Result } from '../../../../shared/result'
import { CLAUDE_SETTINGS_FILE, importClaudeCode, WORKTREE_INCLUDE_FILE } from './claude-code'
import { CONDUCTOR_FILE, importConductor } from './conductor'
import { CURSOR_FILE, importCursor } from './cursor'
import { DEVCONTAINER_FILE, importDevcontainer } from './devcontainer'
import type { ImportedEnvironment, ImportFailure } from './import-types'

// Other tools' files are small; a huge one is not what it claims to be.
const MAX_BYTES = 1024 * 1024

async function readSmall(root: string, rel: string): Promise<string | null> {
  const path = join(root, rel)
  try {
    const s = statSync(path)
    if (!s.isFile() || s.size > MAX_BYTES) return null
    return await readFile(path, 'utf8')
  } catch {
    return null
  }
}

/** A detected source, or why its file could not be read. */
export type Detection = DetectedImport | { format: ImportFailure['format']; files: string[]; error: string }

/** Finds Conductor, Cursor, Claude Code and dev container setups in a checkout, and what each would import. */
export async function detectImports(root: string): Promise<Detection[]> {
  const out: Detection[] = []
  const add = (files: string[], r: Result<ImportedEnvironment, ImportFailure>) => {
    if (!r.ok) return out.push({ format: r.error.format, files, error: r.error.message })
    const parsed = Environment.safeParse(r.value.environment)
    if (!parsed.success)
      return out.push({
        format: r.value.format,
        files,
        error: `The imported setup is not a valid environment: ${describeIssues(parsed.error)}`
      })
    out.push({ format: r.value.format, files, environment: parsed.data, notes: r.value.notes })
  }
  const conductor = await readSmall(root, CONDUCTOR_FILE)
  if (conductor !== null) add([CONDUCTOR_FILE], importConductor(conductor))
  const cursor = await readSmall(root, CURSOR_FILE)
  if (cursor !== null) add([CURSOR_FILE], importCursor(cursor, { scriptExists: (rel) => existsSync(join(root, rel)) }))
  const include = await readSmall(root, WORKTREE_INCLUDE_FILE)
  const settings = await readSmall(root, CLAUDE_SETTINGS_FILE)
  const claude = importClaudeCode({ worktreeInclude: include, settings })
  // A settings file alone counts only when it shares folders: most projects have one for other reasons.
  if (include !== null || (claude.ok && (claude.value.environment.share?.length ?? 0) > 0)) {
    add(
      [include !== null ? WORKTREE_INCLUDE_FILE : null, settings !== null ? CLAUDE_SETTINGS_FILE : null].filter(
        (f): f is string => f !== null
      ),
      claude
    )
  }
  for (const rel of [DEVCONTAINER_FILE, '.devcontainer.json']) {
    const text = await readSmall(root, rel)
    if (text === null) continue
    add([rel], importDevcontainer(text))
    break
  }
  return out
}
