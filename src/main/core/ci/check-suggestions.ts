import { constants } from 'node:fs'
import { access, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { SuggestedCheck } from '../../../shared/ci'

const SCRIPTS = ['check', 'typecheck', 'lint', 'test', 'build'] as const
const MAKE_TARGETS = ['check', 'test'] as const

const exists = (p: string, mode = constants.F_OK): Promise<boolean> =>
  access(p, mode).then(
    () => true,
    () => false
  )

async function packageRunner(dir: string): Promise<(script: string) => string> {
  if (await exists(join(dir, 'pnpm-lock.yaml'))) return (s) => (s === 'test' ? 'pnpm test' : `pnpm run ${s}`)
  if (await exists(join(dir, 'yarn.lock'))) return (s) => `yarn ${s}`
  if ((await exists(join(dir, 'bun.lockb'))) || (await exists(join(dir, 'bun.lock')))) return (s) => `bun run ${s}`
  return (s) => (s === 'test' ? 'npm test' : `npm run ${s}`)
}

async function packageScripts(dir: string): Promise<Record<string, unknown>> {
  const text = await readFile(join(dir, 'package.json'), 'utf8').catch(() => null)
  if (!text) return {}
  try {
    const scripts = (JSON.parse(text) as { scripts?: unknown }).scripts
    return scripts && typeof scripts === 'object' ? (scripts as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

async function makeTargets(dir: string): Promise<string[]> {
  for (const name of ['GNUmakefile', 'makefile', 'Makefile']) {
    const text = await readFile(join(dir, name), 'utf8').catch(() => null)
    // A rule is `target:` or `target: deps`, never `target := value`.
    if (text !== null) return MAKE_TARGETS.filter((t) => new RegExp(`^${t}\\s*:(?!=)`, 'm').test(text))
  }
  return []
}

/**
 * Check commands a repository already has, to offer as local checks: an executable `.ci/run`,
 * package.json scripts (check, typecheck, lint, test, build) with the package manager its lockfile
 * names, and Makefile targets check and test.
 */
export async function suggestChecks(dir: string): Promise<SuggestedCheck[]> {
  const out: SuggestedCheck[] = []
  if (await exists(join(dir, '.ci', 'run'), constants.X_OK)) out.push({ command: '.ci/run', source: '.ci/run' })
  const scripts = await packageScripts(dir)
  const run = await packageRunner(dir)
  for (const s of SCRIPTS) if (typeof scripts[s] === 'string') out.push({ command: run(s), source: `package.json script "${s}"` })
  for (const t of await makeTargets(dir)) out.push({ command: `make ${t}`, source: `Makefile target ${t}` })
  return out
}
