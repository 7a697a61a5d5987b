import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'

/**
 * Commands whose presence on the machine changes what Skein offers or does: agent CLIs (profile
 * availability) and the GitHub/GitLab CLIs (token lookup). Tests never find the machine's own copies;
 * a test that wants one puts its own (a stub or the real package) on PATH explicitly.
 */
export const MACHINE_DEPENDENT_COMMANDS = ['claude', 'codex', 'gh', 'glab']

/** Variables that would point Skein at the user's own data, keys or services. */
const MACHINE_DEPENDENT_VARS = [
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'ANTHROPIC_BASE_URL',
  'OPENAI_API_KEY',
  'CLAUDE_CONFIG_DIR',
  'CODEX_HOME',
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'GH_HOST',
  'GITLAB_TOKEN',
  'GITLAB_HOST',
  'SKEIN_HOME',
  'SKEIN_TOKEN',
  'SKEIN_SCROLLBACK_CHARS',
  'XDG_CONFIG_HOME',
  'XDG_DATA_HOME',
  'XDG_STATE_HOME',
  'ELECTRON_RENDERER_URL'
]

const built = new Map<string, string>()
const removeOnExit = new Set<string>()

// One exit listener for every folder: one per folder would pass Node's listener limit in a long run.
function removeWhenProcessExits(dir: string): void {
  if (removeOnExit.size === 0) process.once('exit', () => removeOnExit.forEach((d) => rmSync(d, { recursive: true, force: true })))
  removeOnExit.add(dir)
}

/**
 * A PATH with every command of `path` except `omit`: one temp folder of links, first match wins as
 * in a PATH lookup. Filtering folders cannot do this: `npm install -g` puts `claude` in /usr/bin,
 * next to git and bash. The folder is removed when the process exits.
 */
export function pathWithout(omit: readonly string[] = MACHINE_DEPENDENT_COMMANDS, path = process.env.PATH ?? ''): string {
  const key = `${omit.join(',')}\0${path}`
  const cached = built.get(key)
  if (cached && existsSync(cached)) return cached
  const dir = mkdtempSync(join(tmpdir(), 'skein-test-path-'))
  removeWhenProcessExits(dir)
  const taken = new Set(omit)
  for (const folder of path.split(delimiter).filter(Boolean)) {
    let names: string[]
    try {
      if (!statSync(folder).isDirectory()) continue
      names = readdirSync(folder)
    } catch {
      continue // a PATH entry that does not exist is not an error for a shell either
    }
    for (const name of names) {
      if (taken.has(name)) continue
      taken.add(name)
      symlinkSync(join(folder, name), join(dir, name))
    }
  }
  built.set(key, dir)
  return dir
}

/**
 * A fresh HOME for a test user, removed when the process exits. It holds only a git identity, as a
 * person who has set up git has: commits Skein makes on their behalf need one.
 */
export function makeUserHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'skein-test-user-'))
  removeWhenProcessExits(home)
  writeFileSync(join(home, '.gitconfig'), '[user]\n\tname = Skein Tests\n\temail = tests@skein.invalid\n')
  return home
}

/**
 * The environment every process a test starts should see: the machine's own, minus anything that
 * depends on what is installed or configured there, with HOME in a fresh temp folder.
 */
export function isolatedEnv(base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(base)) if (v !== undefined && !MACHINE_DEPENDENT_VARS.includes(k)) env[k] = v
  env.HOME = makeUserHome()
  env.PATH = pathWithout(MACHINE_DEPENDENT_COMMANDS, base.PATH)
  // Git must not read the machine's ~/.gitconfig or /etc/gitconfig (hooks, signing, aliases).
  env.GIT_CONFIG_NOSYSTEM = '1'
  return env
}

/** Replaces this process's environment with isolatedEnv(), for test runners whose children inherit it. */
export function isolateProcessEnv(): void {
  const env = isolatedEnv()
  for (const k of Object.keys(process.env)) if (!(k in env)) delete process.env[k]
  Object.assign(process.env, env)
}
