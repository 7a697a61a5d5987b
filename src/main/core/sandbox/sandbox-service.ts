import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Thread } from '../../../shared/models'
import { findExecutable } from '../agents/command-lookup'
import { gitDirs } from '../git/git-dirs'
import type { GitRunner } from '../git/git-runner'
import { bwrapArgs, SECCOMP_FD } from './bwrap-args'
import type { Command, SandboxLevel, SandboxPolicy, SandboxSupport } from './sandbox-types'
import { SANDBOX_EXEC, seatbeltArgs } from './seatbelt-profile'
import { unixSocketFilter } from './seccomp-filter'

/** A command wrapped in the sandbox, and how to clean up after it (its private temp folder). */
export interface Sandboxed extends Command {
  policy: SandboxPolicy
  /** Extra environment for the launcher. */
  env: Record<string, string>
  dispose(): Promise<void>
}

const PROBE_ARGS = [
  '--ro-bind',
  '/',
  '/',
  '--dev',
  '/dev',
  '--proc',
  '/proc',
  '--unshare-pid',
  '--unshare-net',
  '--die-with-parent',
  '--cap-drop',
  'ALL',
  '--',
  'true'
]

/** Why bubblewrap could not start, in words a person can act on. */
function probeFailure(stderr: string): string {
  const said = stderr.trim().split('\n').pop() ?? ''
  if (/uid map|user namespace|Operation not permitted|Permission denied/i.test(said)) {
    return `bubblewrap cannot create a sandbox here: user namespaces are not allowed (${said}). On Ubuntu 24.04 and later, AppArmor restricts them; allow bwrap or enable kernel.unprivileged_userns_clone.`
  }
  return `bubblewrap failed its self-test: ${said || 'no output'}`
}

/**
 * The OS sandbox for agent commands: finds out once whether this machine has one (bubblewrap
 * on Linux, Seatbelt on macOS), builds the policy for a thread (read-only for Plan mode; only
 * the worktree writable otherwise) and wraps a shell in it.
 */
export class SandboxService {
  private support: Promise<SandboxSupport> | null = null
  private filterPath: Promise<string | null> | null = null

  constructor(
    private readonly git: GitRunner,
    private readonly home: string,
    private readonly env: NodeJS.ProcessEnv = process.env
  ) {}

  /** Which sandbox this machine has; probed once (bubblewrap may exist and still be refused by the kernel). */
  detect(): Promise<SandboxSupport> {
    this.support ??= this.probe()
    return this.support
  }

  /** The policy for a thread's shell at `level`: what it may write, what is hidden, where it starts. */
  async policy(thread: Thread, level: SandboxLevel, tmp: string): Promise<SandboxPolicy> {
    const worktree = await realpath(thread.worktreePath)
    const home = await realpath(this.home).catch(() => this.home)
    const insideHome = worktree === home || worktree.startsWith(home + '/')
    const writable: string[] = []
    const readOnly: string[] = []
    if (level === 'worktree') {
      writable.push(worktree)
      const dirs = await gitDirs(this.git, worktree)
      if (dirs) {
        const [gitDir, common] = await Promise.all([realpath(dirs.gitDir), realpath(dirs.commonDir)])
        // A commit writes objects, the worktree's own index, HEAD and reflog, and its branch: only
        // the folder of the thread's branch (refs/heads/skein for skein/<thread>) is writable, so
        // the person's own branches, tags and remotes cannot be moved.
        const branchDir = thread.branch ? dirname(thread.branch) : '.'
        for (const p of [
          gitDir,
          join(common, 'objects'),
          join(common, 'refs', 'heads', branchDir),
          join(common, 'logs', 'refs', 'heads', branchDir)
        ]) {
          if (!writable.includes(p) && existsSync(p)) writable.push(p)
        }
        // Never writable, even where a local thread's checkout holds its .git: git config and hooks
        // (they name programs the next git command Skein runs would start, outside the sandbox), the
        // `.git` pointer of a linked worktree (it could point git at a forged config), and Skein's
        // snapshots and checkpoints (other threads' saved work).
        for (const p of [
          join(common, 'config'),
          join(common, 'hooks'),
          join(common, 'info'),
          join(common, 'refs', 'skein'),
          join(worktree, '.git'),
          join(gitDir, 'config.worktree')
        ]) {
          if (existsSync(p) && !(p === join(worktree, '.git') && gitDir === join(worktree, '.git'))) readOnly.push(p)
        }
      }
    }
    return {
      level,
      writable,
      readOnly,
      hidden: [home],
      reexposed: insideHome ? [worktree] : [],
      tmp,
      cwd: worktree,
      network: thread.conversation.network
    }
  }

  /** Wraps `command` in the sandbox for `thread` at `level`; an error names why it cannot. */
  async wrap(
    thread: Thread,
    level: SandboxLevel,
    command: Command
  ): Promise<{ ok: true; value: Sandboxed } | { ok: false; reason: string }> {
    const support = await this.detect()
    if (support.kind === 'none') return { ok: false, reason: support.reason }
    const tmp = await realpath(await mkdtemp(join(tmpdir(), 'skein-sandbox-')))
    const dispose = () => rm(tmp, { recursive: true, force: true })
    try {
      const policy = await this.policy(thread, level, tmp)
      if (support.kind === 'seatbelt')
        return { ok: true, value: { file: support.path, args: seatbeltArgs(policy, command), policy, env: {}, dispose } }
      const filter = await this.seccompFilter()
      if (!filter) {
        await dispose()
        return {
          ok: false,
          reason: `there is no seccomp filter for this CPU (${process.arch}), so a sandboxed command could reach Unix sockets`
        }
      }
      // The launching shell opens the filter on SECCOMP_FD for bubblewrap to read.
      const launch = `exec "$0" "$@" ${SECCOMP_FD}<"$SKEIN_SECCOMP_FILTER"`
      return {
        ok: true,
        value: {
          file: '/bin/sh',
          args: ['-c', launch, support.path, ...bwrapArgs(policy, command, { seccomp: true })],
          policy,
          dispose,
          env: { SKEIN_SECCOMP_FILTER: filter }
        }
      }
    } catch (e) {
      await dispose()
      return { ok: false, reason: `the sandbox could not be prepared: ${(e as Error).message}` }
    }
  }

  private seccompFilter(): Promise<string | null> {
    this.filterPath ??= (async () => {
      const filter = unixSocketFilter()
      if (!filter) return null
      const dir = join(this.home, 'sandbox')
      await mkdir(dir, { recursive: true, mode: 0o700 })
      const path = join(dir, `unix-socket-filter-${process.arch}.bpf`)
      await writeFile(path, filter, { mode: 0o600 })
      return path
    })()
    return this.filterPath
  }

  private async probe(): Promise<SandboxSupport> {
    if (this.env.SKEIN_SANDBOX === 'off') return { kind: 'none', reason: 'the sandbox is turned off (SKEIN_SANDBOX=off)' }
    if (process.platform === 'darwin') {
      return existsSync(SANDBOX_EXEC) ? { kind: 'seatbelt', path: SANDBOX_EXEC } : { kind: 'none', reason: `${SANDBOX_EXEC} is missing` }
    }
    if (process.platform !== 'linux') return { kind: 'none', reason: `there is no sandbox for ${process.platform} yet` }
    const path = await findExecutable('bwrap', this.env)
    if (!path)
      return {
        kind: 'none',
        reason: 'bubblewrap is not installed (Debian and Ubuntu: apt install bubblewrap; Fedora: dnf install bubblewrap)'
      }
    return new Promise((resolve) => {
      execFile(path, PROBE_ARGS, { timeout: 20_000 }, (error, _stdout, stderr) => {
        resolve(error ? { kind: 'none', reason: probeFailure(String(stderr || error.message)) } : { kind: 'bwrap', path })
      })
    })
  }
}
