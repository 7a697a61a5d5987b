/**
 * Containment of a terminal's processes in a cgroup v2, one per pty (Linux).
 *
 * Why a cgroup: a process cannot leave its cgroup by itself. `setsid`, a double fork, `env -i`,
 * `nohup`, `disown` and ignoring SIGHUP/SIGTERM all escape what a walk of the process tree can see
 * (session, process group, parentage, an environment marker), but none of them moves a process out
 * of its cgroup; only a write to another cgroup's `cgroup.procs` does, which needs write access to
 * that cgroup. So every process a pty ever starts is listed in its cgroup's `cgroup.procs`, and the
 * kernel ends them all at once with `cgroup.kill` (5.14+), with no race against forks.
 *
 * How: the core finds the cgroup2 mount (/proc/self/mountinfo) and its own cgroup (the `0::` line
 * of /proc/self/cgroup), and makes `<mount><own cgroup>/skein-<ptyId>` beside nothing else it owns.
 * That works where the core's cgroup is writable: as root, or inside a delegated subtree such as a
 * systemd user scope. The pty is spawned through `/bin/sh -c 'echo 0 > <cgroup>/cgroup.procs; exec
 * "$@"'` (JOIN_ARGV0 below), so the process moves itself into the cgroup before it can fork, and
 * `exec` keeps its pid. If the cgroup cannot be made, or the join fails, the caller falls back to
 * the process-tree kill (process-tree.ts) and says why.
 *
 * Ending: SIGHUP and SIGTERM to every member first (shells save history, editors their files), a
 * short grace polled on `cgroup.events`, then `cgroup.kill` (or, on kernels without it, freeze,
 * SIGKILL every member, thaw, until empty), then `rmdir`.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { err, ok, type Result } from '../../../shared/result'

/** argv[0] of the wrapper shell; also how a not-yet-joined pty is recognised in /proc. */
export const JOIN_ARGV0 = 'skein-cgroup'

/** Prefix of every pty cgroup's folder name; a leftover record is only ever trusted with such a folder. */
export const CGROUP_PREFIX = 'skein-'

// $1 is the cgroup.procs file; the rest is the program and its arguments.
const JOIN_SCRIPT =
  'echo 0 > "$1" 2>/dev/null || printf "skein: could not move this terminal into its cgroup (%s); processes it starts in the background may outlive it.\\r\\n" "$1" >&2; shift; exec "$@"'

const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms))

/** The cgroup2 mount point, from a /proc/self/mountinfo text; null when there is none. */
export function cgroup2Mount(mountinfo: string): string | null {
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ')
    if (!left || !right || right.split(' ')[0] !== 'cgroup2') continue
    // Octal escapes (\040 for a space) are how mountinfo writes unusual characters.
    return left.split(' ')[4]!.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)))
  }
  return null
}

/** The folder this process's own cgroup v2 is in (mount + the `0::` path), or why there is none. */
export function ownCgroupDir(): Result<string, string> {
  if (process.platform !== 'linux') return err(`cgroups exist only on Linux (this is ${process.platform})`)
  let mountinfo: string
  let self: string
  try {
    mountinfo = readFileSync('/proc/self/mountinfo', 'utf8')
    self = readFileSync('/proc/self/cgroup', 'utf8')
  } catch (e) {
    return err(`cannot read /proc/self: ${(e as Error).message}`)
  }
  const mount = cgroup2Mount(mountinfo)
  if (!mount) return err('no cgroup2 file system is mounted')
  const line = self.split('\n').find((l) => l.startsWith('0::'))
  if (!line) return err('this process has no cgroup v2 (no 0:: line in /proc/self/cgroup)')
  const own = line.slice(3).trim()
  if (own.endsWith(' (deleted)')) return err(`this process's cgroup ${own} was removed`)
  const dir = join(mount, own)
  if (!existsSync(join(dir, 'cgroup.procs'))) return err(`${dir} is not a cgroup2 folder (mounted elsewhere in this namespace?)`)
  return ok(dir)
}

/** Makes the cgroup of one pty under `parent` (usually ownCgroupDir()); returns its folder, or why not. */
export function createPtyCgroup(parent: string, ptyId: string): Result<string, string> {
  const dir = join(parent, `${CGROUP_PREFIX}${ptyId}`)
  try {
    mkdirSync(dir)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code !== 'EEXIST') return err(`cannot create ${dir} (${code ?? (e as Error).message}); the cgroup is not writable by this user`)
  }
  return ok(dir)
}

/** The file and arguments that run `file args` inside `cgroupDir`: the wrapper goes outermost, around whatever it is given. */
export function joinCgroupSpawn(cgroupDir: string, file: string, args: readonly string[]): { file: string; args: string[] } {
  return { file: '/bin/sh', args: ['-c', JOIN_SCRIPT, JOIN_ARGV0, join(cgroupDir, 'cgroup.procs'), file, ...args] }
}

/** The cgroup v2 path of a process (the `0::` line), or null when it is gone. */
export function cgroupOf(pid: number): string | null {
  try {
    const line = readFileSync(`/proc/${pid}/cgroup`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('0::'))
    return line ? line.slice(3).trim() : null
  } catch {
    return null
  }
}

/**
 * Whether `pid` has moved into `cgroupDir` ('joined'), has exec'd `program` without joining
 * ('failed'), is gone, or is anything else ('pending': the forked copy of the core before exec, the
 * wrapper before its join, a process caught mid-exec). Only positive evidence counts as a failure.
 */
export function joinState(pid: number, cgroupDir: string, program: string): 'joined' | 'failed' | 'pending' | 'gone' {
  const inside = () => {
    const path = cgroupOf(pid)
    return path === null ? null : `${path}/`.includes(`/${basename(cgroupDir)}/`)
  }
  const before = inside()
  if (before === null) return 'gone'
  if (before) return 'joined'
  let argv: string[]
  try {
    argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
  } catch {
    return 'gone'
  }
  const isWrapper = argv[1] === '-c' && argv[3] === JOIN_ARGV0
  // Looked at again after reading argv: the wrapper may have joined and exec'd in between.
  if (inside()) return 'joined'
  return !isWrapper && argv[0] === program ? 'failed' : 'pending'
}

/** Every folder of a cgroup subtree, deepest first (a member may have made sub-cgroups if it could). */
function subtree(dir: string): string[] {
  const out: string[] = []
  const walk = (d: string) => {
    let entries: string[] = []
    try {
      entries = readdirSync(d, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
    } catch {
      // gone
    }
    for (const e of entries) walk(join(d, e))
    out.push(d)
  }
  walk(dir)
  return out
}

/** The pids in a cgroup subtree. */
export async function cgroupPids(dir: string): Promise<number[]> {
  const pids: number[] = []
  for (const d of subtree(dir)) {
    const text = await readFile(join(d, 'cgroup.procs'), 'utf8').catch(() => '')
    for (const l of text.split('\n')) if (l.trim()) pids.push(Number(l))
  }
  return pids
}

/** True while any process is in the cgroup or below it; false once it is empty or gone. */
export async function populated(dir: string): Promise<boolean> {
  const events = await readFile(join(dir, 'cgroup.events'), 'utf8').catch(() => null)
  if (events === null) return false
  return /^populated 1$/m.test(events)
}

async function emptyWithin(dir: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  while (await populated(dir)) {
    if (Date.now() > deadline) return false
    await tick()
  }
  return true
}

const send = (pid: number, sig: NodeJS.Signals) => {
  try {
    process.kill(pid, sig)
  } catch {
    // already gone
  }
}

/** What ending a cgroup did. */
export interface CgroupKillReport {
  /** How many processes were in it when the kill began. */
  members: number
  /** True when some needed SIGKILL (they ignored or outlived SIGHUP/SIGTERM for the grace). */
  forced: boolean
}

/**
 * Ends every process in a pty's cgroup and removes it: SIGHUP + SIGTERM to each member (and to
 * `processGroup`, the pty's own group, if given), up to `graceMs` for them to exit, then
 * `cgroup.kill` (or freeze + SIGKILL + thaw where the kernel lacks it), then rmdir.
 */
export async function killCgroup(
  dir: string,
  o: { graceMs?: number; processGroup?: number } = {}
): Promise<Result<CgroupKillReport, string>> {
  if (!existsSync(dir)) return ok({ members: 0, forced: false })
  const pids = await cgroupPids(dir)
  if (o.processGroup) send(-o.processGroup, 'SIGHUP')
  for (const pid of pids) {
    send(pid, 'SIGHUP')
    send(pid, 'SIGTERM')
  }
  let forced = false
  if (!(await emptyWithin(dir, o.graceMs ?? 1500))) {
    forced = true
    const killed = await forceKill(dir)
    if (!killed.ok) return killed
  }
  if (!(await emptyWithin(dir, 10_000))) return err(`${dir} still has processes after SIGKILL: ${(await cgroupPids(dir)).join(', ')}`)
  for (const d of subtree(dir)) {
    try {
      rmdirSync(d)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      if (code !== 'ENOENT') return err(`cannot remove ${d}: ${code ?? (e as Error).message}`)
    }
  }
  return ok({ members: pids.length, forced })
}

async function forceKill(dir: string): Promise<Result<void, string>> {
  try {
    await writeFile(join(dir, 'cgroup.kill'), '1')
    return ok(undefined)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return err(`cannot write ${dir}/cgroup.kill: ${(e as Error).message}`)
  }
  // Before Linux 5.14: a frozen cgroup cannot fork, so a SIGKILL to each listed member misses none.
  const deadline = Date.now() + 10_000
  while ((await populated(dir)) && Date.now() < deadline) {
    await writeFile(join(dir, 'cgroup.freeze'), '1').catch(() => undefined)
    for (const pid of await cgroupPids(dir)) send(pid, 'SIGKILL')
    await writeFile(join(dir, 'cgroup.freeze'), '0').catch(() => undefined)
    await tick()
  }
  return ok(undefined)
}

/** Whether a folder may be a pty cgroup from a leftover record: under a cgroup2 mount and named for that pty. */
export function isPtyCgroupPath(dir: string, ptyId: string): boolean {
  if (basename(dir) !== `${CGROUP_PREFIX}${ptyId}` || dir.includes('/../') || dir.includes('/./')) return false
  let mount: string | null = null
  try {
    mount = cgroup2Mount(readFileSync('/proc/self/mountinfo', 'utf8'))
  } catch {
    return false
  }
  return !!mount && dir.startsWith(mount.endsWith('/') ? mount : `${mount}/`) && existsSync(join(dir, 'cgroup.procs'))
}
