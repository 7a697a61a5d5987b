import type { Result } from '../../../shared/result'
import { importClaudeSession } from './claude-import'
import { importCodexSession } from './codex-import'
import type { ImportedSession, ImportOptions, SessionSource } from './import-types'

/** Imports a session file of either CLI into transcript items. */
export function importSession(source: SessionSource, path: string, options: ImportOptions): Promise<Result<ImportedSession>> {
  return source === 'claude' ? importClaudeSession(path, options) : importCodexSession(path, options)
}
