import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, realpathSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createCore, type Core } from '../../src/main/core/core'
import { memoryLogger } from '../../src/main/core/logger'

const cleanups: (() => void | Promise<void>)[] = []

/** Removes every temp dir made by this file's helpers. Call from afterAll/afterEach. */
export async function cleanupTemp(): Promise<void> {
  for (const c of cleanups.splice(0)) await c()
}

/** Runs `fn` in cleanupTemp before any temp dir is removed (closing what still writes into them). */
export function beforeTempRemoval(fn: () => void | Promise<void>): void {
  cleanups.unshift(fn)
}

/** A fresh temp dir, removed by cleanupTemp. Real path, so symlinked /tmp does not confuse comparisons. */
export function tempDir(prefix = 'skein-test-'): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Runs git with a fixed identity and returns trimmed stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 't@example.com'
    },
    stdio: ['ignore', 'pipe', 'pipe']
  }).trim()
}

/** Writes a file, making parent folders. */
export function writeFile(path: string, content: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, content)
}

/** A real git repository on branch `main` with one commit. */
export function makeRepo(name = 'repo'): string {
  const dir = join(tempDir('skein-repo-'), name)
  mkdirSync(dir)
  git(dir, 'init', '-q', '-b', 'main')
  writeFile(join(dir, 'README.md'), '# test repo\n')
  writeFile(join(dir, 'src', 'app.ts'), 'export const answer = 42\n')
  git(dir, 'add', '-A')
  git(dir, 'commit', '-q', '-m', 'initial')
  return dir
}

/** A core on a temp SKEIN_HOME, with warnings captured. */
export async function makeCore(
  home = tempDir('skein-home-'),
  options: { listenSocket?: boolean; scrollbackChars?: number } = {}
): Promise<{ core: Core; home: string; logger: ReturnType<typeof memoryLogger> }> {
  const logger = memoryLogger()
  const core = await createCore({ home, logger, listenSocket: options.listenSocket ?? false, scrollbackChars: options.scrollbackChars })
  beforeTempRemoval(() => core.close())
  return { core, home, logger }
}

/** Unwraps a Result in a test, failing loudly with the error's message. */
export function must<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(`expected ok, got error: ${r.error.message}`)
  return r.value
}

/** A repository whose origin says github.com/acme/shop but pushes to a local bare repository. */
export function githubShapedRepo(): string {
  const repo = makeRepo('shop')
  const bare = join(tempDir('skein-remote-'), 'shop.git')
  git(tempDir(), 'init', '-q', '--bare', bare)
  git(repo, 'remote', 'add', 'origin', 'https://github.com/acme/shop.git')
  git(repo, 'config', 'remote.origin.pushurl', bare)
  return repo
}
