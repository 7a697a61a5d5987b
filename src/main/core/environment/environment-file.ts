import { mkdir, readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { appError, ErrorCode } from '../../../shared/errors'
import { describeIssues, Environment, ENVIRONMENT_FILE, type EnvironmentInput } from '../../../shared/environment'
import { err, ok, type Result } from '../../../shared/result'
import { writeFileAtomic } from '../store/atomic-write'
import { parseJsonc } from './jsonc'

const MAX_BYTES = 256 * 1024

/** Checks an environment as written; the error names the field, e.g. `share[0].mode: …`. */
export function validateEnvironment(input: unknown, where: string): Result<Environment> {
  const parsed = Environment.safeParse(input)
  if (parsed.success) return ok(parsed.data)
  return err(appError(ErrorCode.InvalidEnvironment, `${where} is not a valid environment: ${describeIssues(parsed.error)}.`))
}

/** Reads `.skein/environment.json` from a checkout: null when there is none, an error naming the bad field when it is invalid. */
export async function readEnvironmentFile(root: string): Promise<Result<Environment | null>> {
  const path = join(root, ENVIRONMENT_FILE)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return ok(null)
    return err(appError(ErrorCode.InvalidEnvironment, `${ENVIRONMENT_FILE} could not be read: ${(e as Error).message}`))
  }
  if (text.length > MAX_BYTES)
    return err(appError(ErrorCode.InvalidEnvironment, `${ENVIRONMENT_FILE} is larger than 256 KB; it cannot be an environment.`))
  // Comments are allowed, as in the other tools' files people copy from.
  const parsed = parseJsonc(text)
  if (!parsed.ok) return err(appError(ErrorCode.InvalidEnvironment, `${ENVIRONMENT_FILE} is not valid JSON: ${parsed.error}`))
  return validateEnvironment(parsed.value, ENVIRONMENT_FILE)
}

/** Writes `.skein/environment.json` (validated, with defaults left in so the file documents itself). */
export async function writeEnvironmentFile(root: string, input: EnvironmentInput): Promise<Result<Environment>> {
  const valid = validateEnvironment(input, 'The environment')
  if (!valid.ok) return valid
  const path = join(root, ENVIRONMENT_FILE)
  try {
    await mkdir(dirname(path), { recursive: true })
    const { $schema: _drop, ...body } = valid.value
    await writeFileAtomic(path, JSON.stringify(body, null, 2) + '\n')
    return valid
  } catch (e) {
    return err(appError(ErrorCode.StorageFailed, `Could not write ${path}: ${(e as Error).message}`))
  }
}
