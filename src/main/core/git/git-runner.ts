import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { GitError as SimpleGitError, simpleGit, type SimpleGit } from 'simple-git'

/** What one git invocation printed and how it exited. */
export interface GitOutput {
  exitCode: number
  stdout: string
  stderr: string
}

/** An unexpected git failure (git missing, a folder vanished mid-command). Carries the command. */
export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly cwd: string,
    readonly output: GitOutput | null,
    cause?: unknown
  ) {
    super(`git ${args.join(' ')} failed in ${cwd}: ${output?.stderr.trim() || String(cause ?? 'unknown error')}`)
    this.name = 'GitError'
  }
}

/** Options for one git call. */
export interface GitExecOptions {
  /** Extra environment, e.g. GIT_INDEX_FILE for a scratch index. */
  env?: Record<string, string>
}

// Subclasses simple-git's own error so simple-git passes it through unwrapped.
class ExitError extends SimpleGitError {
  constructor(readonly output: GitOutput) {
    super(undefined, output.stderr)
  }
}

// simple-git refuses explicit env containing guarded keys (GIT_*, EDITOR, PAGER…), so a custom env
// starts from what git needs to find its binary, config and temp space.
const BASE_ENV_KEYS = [
  'PATH',
  'HOME',
  'USERPROFILE',
  'APPDATA',
  'LOCALAPPDATA',
  'SYSTEMROOT',
  'XDG_CONFIG_HOME',
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
  'TMPDIR',
  'TEMP',
  'TMP'
]

function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const k of BASE_ENV_KEYS) if (process.env[k] !== undefined) env[k] = process.env[k]!
  return env
}

const toText = (chunks: Buffer[]): string => Buffer.concat(chunks).toString('utf8')

// Variables we pass on purpose; simple-git strips every other ambient GIT_* variable.
const allowEnvironment = ['GIT_INDEX_FILE', 'GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL']

/**
 * The one way Skein runs git: argument arrays only (never a shell string), on simple-git.
 * Non-zero exits come back as data so each command file can tag its expected outcomes.
 */
export class GitRunner {
  private readonly clients = new Map<string, SimpleGit>()

  /** Runs git in `cwd`; resolves for any exit code, throws GitError only when git could not run. */
  async exec(cwd: string, args: readonly string[], options: GitExecOptions = {}): Promise<GitOutput> {
    let git: SimpleGit
    try {
      // A client with its own env is never shared: .env() mutates the instance.
      git = options.env ? this.create(cwd).env({ ...baseEnv(), ...options.env }) : this.client(cwd)
    } catch (cause) {
      throw new GitError(args, cwd, null, cause)
    }
    try {
      const stdout = await git.raw([...args])
      return { exitCode: 0, stdout, stderr: '' }
    } catch (e) {
      if (e instanceof ExitError) return e.output
      const err = e as { task?: unknown; message?: string }
      throw new GitError(args, cwd, null, err.message ?? e)
    }
  }

  /** Runs git and returns stdout, throwing GitError on any non-zero exit. For calls that cannot fail expectedly. */
  async run(cwd: string, args: readonly string[], options: GitExecOptions = {}): Promise<string> {
    const out = await this.exec(cwd, args, options)
    if (out.exitCode !== 0) throw new GitError(args, cwd, out)
    return out.stdout
  }

  /** The raw bytes git prints for `args` (e.g. a blob through cat-file), or null on a non-zero exit. */
  async bytes(cwd: string, args: readonly string[]): Promise<Buffer | null> {
    try {
      // showBuffer is simple-git's only buffer-returning call; it runs `git show <args>`.
      return await this.client(cwd).showBuffer([...args])
    } catch (e) {
      if (e instanceof ExitError) return null
      throw new GitError(['show', ...args], cwd, null, (e as Error).message ?? e)
    }
  }

  /**
   * Runs git with `input` on stdin and returns stdout as bytes (for `cat-file --batch`, which reads
   * object names from stdin). simple-git cannot feed stdin, so this one call spawns git itself, with
   * the same environment rules: argument array, no shell, only the variables git needs (plus `options.env`).
   */
  withInput(
    cwd: string,
    args: readonly string[],
    input: Buffer,
    options: GitExecOptions = {}
  ): Promise<{ exitCode: number; stdout: Buffer; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn('git', [...args], { cwd, env: { ...baseEnv(), ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] })
      const out: Buffer[] = []
      const err: Buffer[] = []
      child.stdout.on('data', (c: Buffer) => out.push(c))
      child.stderr.on('data', (c: Buffer) => err.push(c))
      child.on('error', (cause) => reject(new GitError(args, cwd, null, cause)))
      child.on('close', (code) => resolve({ exitCode: code ?? -1, stdout: Buffer.concat(out), stderr: toText(err) }))
      // git may exit early (a bad repository); its stdin then closes under us, which is not our error.
      child.stdin.on('error', () => undefined)
      child.stdin.end(input)
    })
  }

  private client(cwd: string): SimpleGit {
    let git = this.clients.get(cwd)
    if (git && existsSync(cwd)) return git
    git = this.create(cwd)
    this.clients.set(cwd, git)
    return git
  }

  private create(cwd: string): SimpleGit {
    return simpleGit({
      baseDir: cwd,
      maxConcurrentProcesses: 8,
      trimmed: false,
      allowEnvironment,
      completion: { onClose: true, onExit: false },
      errors: (error, result) => {
        if (result.exitCode === 0 && !error) return undefined
        if (result.exitCode < 0) return error ?? new Error('git did not start')
        return new ExitError({
          exitCode: result.exitCode,
          stdout: toText(result.stdOut),
          stderr: toText(result.stdErr) || (error instanceof Error ? error.message : (error?.toString('utf8') ?? ''))
        })
      }
    } as Parameters<typeof simpleGit>[0])
  }
}
