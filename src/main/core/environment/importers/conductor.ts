import { err, ok, type Result } from '../../../../shared/result'
import { asCommand, asObject, type ImportedEnvironment, type ImportFailure } from './import-types'

/** The file Conductor reads at the repository root. */
export const CONDUCTOR_FILE = 'conductor.json'

/**
 * Reads Conductor's `conductor.json`: `scripts.setup`, `scripts.run`, `scripts.archive` (each one
 * shell script, kept whole) and `runScriptMode`; the newer `setup.script` shape is read too.
 * Conductor's `$CONDUCTOR_ROOT_PATH` and `$CONDUCTOR_PORT` keep working: Skein exports them.
 */
export function importConductor(text: string): Result<ImportedEnvironment, ImportFailure> {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (e) {
    return err({ format: 'conductor', message: `${CONDUCTOR_FILE} is not valid JSON: ${(e as Error).message}` })
  }
  const root = asObject(parsed)
  if (!root) return err({ format: 'conductor', message: `${CONDUCTOR_FILE} is not a JSON object.` })
  const scripts = asObject(root.scripts) ?? {}
  const notes: string[] = []
  const setup = asCommand(scripts.setup) ?? asCommand(asObject(root.setup)?.script) ?? asCommand(root.setup)
  const run = asCommand(scripts.run) ?? asCommand(asObject(root.run)?.script) ?? asCommand(root.run)
  const archive = asCommand(scripts.archive) ?? asCommand(asObject(root.archive)?.script) ?? asCommand(root.archive)
  if (root.runScriptMode === 'nonconcurrent')
    notes.push(
      'runScriptMode "nonconcurrent": Conductor runs one workspace\'s run script at a time; Skein gives each thread its own ports instead, so run commands may run side by side.'
    )
  if (asObject(root.commands))
    notes.push(
      `"commands" (${Object.keys(asObject(root.commands)!).join(', ')}) are not imported: none of them is marked as the run script.`
    )
  return ok({
    format: 'conductor',
    environment: { setup: setup ? [setup] : [], ...(run ? { run: { command: run } } : {}), archive },
    notes
  })
}
