import { spawn } from 'node:child_process'
import stripAnsi from 'strip-ansi'
import { setupShell } from './setup-script'

/** How the archive command went: it ran (with its exit code and the end of its output), or timed out. */
export interface ArchiveCommandOutcome {
  command: string
  exitCode: number | null
  timedOut: boolean
  output: string
}

const OUTPUT_CHARS = 4000

/**
 * Runs the environment's archive command in the worktree before it is archived, in its own
 * process group so a timeout ends everything it started. Never throws: a failure is reported
 * by the caller and the archive goes on.
 */
export function runArchiveCommand(
  command: string,
  o: { cwd: string; rootPath: string; threadId: string; timeoutMs?: number }
): Promise<ArchiveCommandOutcome> {
  return new Promise((resolve) => {
    let output = ''
    const keep = (c: Buffer) => {
      output = (output + c.toString('utf8')).slice(-OUTPUT_CHARS * 2)
    }
    const env = {
      ...process.env,
      SKEIN_THREAD_ID: o.threadId,
      SKEIN_ROOT_PATH: o.rootPath,
      SKEIN_WORKTREE_PATH: o.cwd,
      CONDUCTOR_ROOT_PATH: o.rootPath,
      CONDUCTOR_WORKSPACE_PATH: o.cwd
    }
    let child
    try {
      child = spawn(setupShell(), ['-c', command], { cwd: o.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    } catch (e) {
      return resolve({ command, exitCode: null, timedOut: false, output: (e as Error).message })
    }
    let timedOut = false
    const timer = setTimeout(
      () => {
        timedOut = true
        try {
          process.kill(-child.pid!, 'SIGKILL')
        } catch {
          /* already gone */
        }
      },
      o.timeoutMs ?? 5 * 60_000
    )
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    child.on('error', (e) => {
      clearTimeout(timer)
      resolve({ command, exitCode: null, timedOut, output: e.message })
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ command, exitCode: code, timedOut, output: stripAnsi(output).slice(-OUTPUT_CHARS).trim() })
    })
  })
}
