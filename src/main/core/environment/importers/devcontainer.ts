import { err, ok, type Result } from '../../../../shared/result'
import { parseJsonc } from '../jsonc'
import { asObject, type ImportedEnvironment, type ImportFailure } from './import-types'

/** Where a dev container's configuration usually lives. */
export const DEVCONTAINER_FILE = '.devcontainer/devcontainer.json'

/** An exec-form command (array of words) as one shell command. */
const fromArgv = (argv: unknown[]): string | null => {
  const words = argv.filter((w): w is string => typeof w === 'string')
  return words.length ? words.map((w) => (/^[\w./:=@%+-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ') : null
}

/**
 * Reads the `postCreateCommand` of a dev container's configuration (JSONC: comments and trailing
 * commas allowed): a string (one shell command), an array (one command in exec form), or an
 * object of named commands (each becomes a command; the dev container runs them in parallel,
 * Skein in order). Commands meant for inside a container may not suit the host; a note says so.
 */
export function importDevcontainer(text: string): Result<ImportedEnvironment, ImportFailure> {
  const parsed = parseJsonc(text)
  if (!parsed.ok) return err({ format: 'devcontainer', message: `${DEVCONTAINER_FILE} is not valid JSON with comments: ${parsed.error}` })
  const root = asObject(parsed.value)
  if (!root) return err({ format: 'devcontainer', message: `${DEVCONTAINER_FILE} is not a JSON object.` })
  const value = root.postCreateCommand
  const notes: string[] = []
  const setup: string[] = []
  if (typeof value === 'string' && value.trim()) setup.push(value.trim())
  else if (Array.isArray(value)) {
    const c = fromArgv(value)
    if (c) setup.push(c)
  } else if (asObject(value)) {
    for (const [name, v] of Object.entries(asObject(value)!)) {
      const c = typeof v === 'string' ? v.trim() || null : Array.isArray(v) ? fromArgv(v) : null
      if (c) setup.push(c)
      else notes.push(`"${name}" has no command; left out.`)
    }
    if (setup.length > 1) notes.push('The dev container runs these named commands in parallel; Skein runs them in order.')
  }
  const others = ['onCreateCommand', 'updateContentCommand', 'postStartCommand', 'postAttachCommand'].filter((k) => root[k] !== undefined)
  if (others.length) notes.push(`Only postCreateCommand is imported; ${others.join(', ')} ${others.length === 1 ? 'is' : 'are'} not.`)
  if (setup.length) notes.push('These commands were written for inside a container: check they suit this machine before saving.')
  return ok({ format: 'devcontainer', environment: { setup }, notes })
}
