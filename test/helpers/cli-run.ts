import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { tempDir } from './fixtures'

/** The built `skein` command (npm test builds it first). */
export const CLI = join(__dirname, '..', '..', 'out', 'main', 'cli.js')

/** What a `skein` run printed and how it exited. */
export interface Run {
  code: number
  stdout: string
  stderr: string
}

/** Runs the built `skein` command with its own SKEIN_HOME and HOME (no display, so no app), against a model server. */
export function skein(args: string[], o: { home: string; modelUrl: string; userHome?: string; cwd?: string }): Promise<Run> {
  return new Promise((resolve) => {
    const env = {
      PATH: process.env.PATH!,
      SKEIN_HOME: o.home,
      HOME: o.userHome ?? tempDir('skein-user-'),
      ANTHROPIC_BASE_URL: o.modelUrl,
      ANTHROPIC_API_KEY: 'test-key'
    }
    execFile(process.execPath, [CLI, ...args], { env, cwd: o.cwd ?? process.cwd(), timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr })
    })
  })
}
