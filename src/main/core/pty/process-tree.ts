// The fallback containment where a pty has no cgroup (macOS, no writable cgroup2; see
// pty-cgroup.ts): a walk of the process table. What it cannot catch:
// - a process that calls setsid (or double-forks) AND clears or rewrites its environment
//   (`setsid -f env -i …`): it has left the session, the process group and the parentage, and no
//   longer carries SKEIN_PTY_ID;
// - processes forked between the last walk and the SIGKILL (a fork loop can outrun it);
// - anything a setuid program or another user's process started (no permission to read /proc/<pid>/environ);
// - after a kill -9 of the core, a leftover whose session leader is gone and whose environment
//   was cleared: nothing then ties it to the pty.
import { execFile } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'

/** A process as `ps` reports it. */
interface Proc {
  pid: number
  ppid: number
  pgid: number
  sid: number
}

function listProcesses(): Promise<Proc[] | null> {
  return new Promise((resolve) => {
    execFile('ps', ['-A', '-o', 'pid=,ppid=,pgid=,sess='], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      if (error) return resolve(null)
      const procs: Proc[] = []
      for (const line of stdout.split('\n')) {
        const [pid, ppid, pgid, sid] = line.trim().split(/\s+/).map(Number)
        if (pid && !Number.isNaN(ppid!) && !Number.isNaN(pgid!) && !Number.isNaN(sid!))
          procs.push({ pid, ppid: ppid!, pgid: pgid!, sid: sid! })
      }
      resolve(procs)
    })
  })
}

/**
 * Processes whose environment carries `marker` (e.g. SKEIN_PTY_ID=p123). Every process a pty
 * starts inherits it, so this finds even those that left the session with setsid and a double fork.
 */
async function processesWithEnv(marker: string): Promise<number[]> {
  const needle = Buffer.from(`\0${marker}\0`)
  if (process.platform === 'linux') {
    const pids = (await readdir('/proc').catch(() => [] as string[])).filter((n) => /^\d+$/.test(n))
    const found: number[] = []
    await Promise.all(
      pids.map(async (pid) => {
        const env = await readFile(`/proc/${pid}/environ`).catch(() => null)
        if (env && Buffer.concat([Buffer.from([0]), env]).includes(needle)) found.push(Number(pid))
      })
    )
    return found
  }
  // BSD/macOS ps prints the environment after the command with -E.
  return new Promise((resolve) => {
    execFile('ps', ['-A', '-E', '-ww', '-o', 'pid=,command='], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
      if (error) return resolve([])
      resolve(
        stdout
          .split('\n')
          .filter((l) => l.includes(` ${marker}`))
          .map((l) => Number(l.trim().split(/\s+/)[0]))
          .filter(Boolean)
      )
    })
  })
}

/**
 * Every process that belongs to a pty whose session leader is `root`: its session (which holds
 * background jobs a shell moved to other process groups), its process group, its descendants,
 * and anything carrying the pty's environment marker.
 */
export async function processTree(root: number, envMarker?: string, includeRoot = true): Promise<number[]> {
  const [procs, tagged] = await Promise.all([listProcesses(), envMarker ? processesWithEnv(envMarker) : Promise.resolve([])])
  const members = new Set<number>([...(includeRoot ? [root] : []), ...tagged])
  if (!procs) return [...members]
  for (const p of procs) if (p.sid === root || p.pgid === root) members.add(p.pid)
  let grew = true
  while (grew) {
    grew = false
    for (const p of procs) {
      if (!members.has(p.pid) && members.has(p.ppid) && p.ppid !== 1) {
        members.add(p.pid)
        grew = true
      }
    }
  }
  members.delete(process.pid)
  return [...members]
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

const signal = (pid: number, sig: NodeJS.Signals) => {
  try {
    process.kill(pid, sig)
  } catch {
    // already gone
  }
}

/**
 * Ends a pty's whole process tree: SIGHUP and SIGTERM first, SIGKILL for whatever is left after
 * `graceMs`; returns the pids it signalled. `includeRoot: false` once the root has exited (its pid
 * may be reused): its session and group are still matched, as their ids are not reused while a member lives.
 */
export async function killProcessTree(root: number, envMarker?: string, graceMs = 1500, includeRoot = true): Promise<number[]> {
  if (process.platform === 'win32') return [] // conpty tears down its console's processes when the pty is killed
  const pids = await processTree(root, envMarker, includeRoot)
  if (includeRoot) signal(-root, 'SIGHUP')
  for (const pid of pids) {
    signal(pid, 'SIGHUP')
    signal(pid, 'SIGTERM')
  }
  const deadline = Date.now() + graceMs
  while (Date.now() < deadline && pids.some(alive)) await new Promise((r) => setTimeout(r, 25))
  // Children forked during the grace period are caught by a second look.
  const left = new Set([...pids.filter(alive), ...(await processTree(root, envMarker, includeRoot)).filter(alive)])
  for (const pid of left) signal(pid, 'SIGKILL')
  return [...new Set([...pids, ...left])]
}

/** Ends the processes carrying `envMarker` and nothing else (SIGTERM, then SIGKILL after `graceMs`); returns how many there were. */
export async function killTagged(envMarker: string, graceMs = 1500): Promise<number> {
  if (process.platform === 'win32') return 0
  const pids = (await processesWithEnv(envMarker)).filter((p) => p !== process.pid)
  for (const pid of pids) signal(pid, 'SIGTERM')
  const deadline = Date.now() + graceMs
  while (Date.now() < deadline && pids.some(alive)) await new Promise((r) => setTimeout(r, 25))
  for (const pid of new Set([...pids, ...(await processesWithEnv(envMarker))])) if (pid !== process.pid) signal(pid, 'SIGKILL')
  return pids.length
}
