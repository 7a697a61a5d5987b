import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Milliseconds since an arbitrary origin, sub-millisecond precision. */
export const now = (): number => Number(process.hrtime.bigint()) / 1e6

/** Percentile of a sample (p in 0..100). */
export function percentile(sample: number[], p: number): number {
  const s = [...sample].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!
}

/** Formats milliseconds for a report line. */
export const ms = (v: number): string => `${v.toFixed(2)} ms`

/** A temp dir for one bench run. */
export const benchDir = (name: string): string => realpathSync(mkdtempSync(join(tmpdir(), `skein-bench-${name}-`)))

/** Runs git quietly with a fixed identity. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Bench',
      GIT_AUTHOR_EMAIL: 'b@example.com',
      GIT_COMMITTER_NAME: 'Bench',
      GIT_COMMITTER_EMAIL: 'b@example.com'
    },
    stdio: ['ignore', 'pipe', 'pipe']
  }).trim()
}

/** A repository with `files` source files in nested folders, one commit on main. */
export function makeBenchRepo(parent: string, name: string, files: number): string {
  const dir = join(parent, name)
  mkdirSync(dir, { recursive: true })
  git(dir, 'init', '-q', '-b', 'main')
  for (let i = 0; i < files; i++) {
    const sub = join(dir, 'src', `mod${i % 40}`)
    mkdirSync(sub, { recursive: true })
    writeFileSync(join(sub, `file${i}.ts`), `export const value${i} = ${i}\n`.repeat(20))
  }
  git(dir, 'add', '-A')
  git(dir, 'commit', '-q', '-m', 'init')
  return dir
}

/** Runs a bench's main function and exits with its outcome. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e)
      process.exit(1)
    }
  )
}
