import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from '../logger'
import { writeFileAtomicSync } from '../store/atomic-write'
import { isPtyCgroupPath, killCgroup } from './pty-cgroup'
import { killProcessTree, killTagged } from './process-tree'

/**
 * What a running pty leaves on disk so that a core killed with `kill -9` can be cleaned up after:
 * run/ptys/<ptyId>.json, written before the pty's process exists and removed once every process
 * it started has ended.
 */
export interface PtyRunRecord {
  version: 1
  ptyId: string
  threadId: string
  /** The pty's cgroup folder, or null where it runs uncontained (process-tree fallback). */
  cgroup: string | null
  /** The pty's first process (its session leader), once spawned. */
  pid: number | null
  /** Field 22 of /proc/<pid>/stat: tells the pid apart from a later process that reuses it. */
  startTime: string | null
  /** The pty's session id: forkpty makes the child a session leader, so it equals pid. */
  sid: number | null
  /** The core that wrote the record; a record of a core still running is never reaped. */
  corePid: number
  coreStartTime: string | null
  createdAt: number
}

/** The start time of a process (field 22 of /proc/<pid>/stat, clock ticks since boot), or null when it is gone or unknowable. */
export function procStartTime(pid: number): string | null {
  if (process.platform !== 'linux') return null
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null
  } catch {
    return null
  }
}

const ownStartTime = procStartTime(process.pid)

/** The run records of one data dir (SKEIN_HOME/run/ptys). */
export class PtyRecords {
  constructor(readonly dir: string) {}

  /** A record for a pty about to start, owned by this core. */
  fresh(ptyId: string, threadId: string, cgroup: string | null): PtyRunRecord {
    return {
      version: 1,
      ptyId,
      threadId,
      cgroup,
      pid: null,
      startTime: null,
      sid: null,
      corePid: process.pid,
      coreStartTime: ownStartTime,
      createdAt: Date.now()
    }
  }

  /** Writes a record atomically and synchronously: it must be on disk before the pty can fork. */
  write(record: PtyRunRecord): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 })
    writeFileAtomicSync(join(this.dir, `${record.ptyId}.json`), JSON.stringify(record))
  }

  /** Forgets a pty whose processes have all ended. */
  remove(ptyId: string): void {
    rmSync(join(this.dir, `${ptyId}.json`), { force: true })
  }

  /** Every record on disk; unreadable ones come back as null with their file name. */
  async list(): Promise<{ ptyId: string; record: PtyRunRecord | null }[]> {
    const names = (await readdir(this.dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json'))
    const out: { ptyId: string; record: PtyRunRecord | null }[] = []
    for (const name of names) {
      const ptyId = name.slice(0, -'.json'.length)
      const parsed = await readFile(join(this.dir, name), 'utf8')
        .then(
          (t) => JSON.parse(t) as PtyRunRecord,
          () => null
        )
        .catch(() => null)
      out.push({ ptyId, record: parsed && parsed.version === 1 && parsed.ptyId === ptyId ? parsed : null })
    }
    return out
  }
}

/** What a start-up sweep found. */
export interface ReapReport {
  /** Records of ptys of a previous run that were ended. */
  reaped: string[]
  /** Records left alone because the core that wrote them is still running. */
  skipped: string[]
}

const alive = (pid: number, startTime: string | null): boolean => startTime !== null && procStartTime(pid) === startTime
const exists = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Ends what a core that died without cleaning up (kill -9, a crash) left running, from its run
 * records: the whole cgroup where there is one; otherwise the recorded session and process group,
 * but only when the recorded pid still has its recorded start time, plus the processes carrying
 * the pty's unique environment marker. Never signals a reused pid. Call before serving.
 */
export async function reapLeftovers(records: PtyRecords, logger: Logger): Promise<ReapReport> {
  const report: ReapReport = { reaped: [], skipped: [] }
  for (const { ptyId, record } of await records.list()) {
    if (!record) {
      logger.warn(`Dropping an unreadable terminal run record ${ptyId}.json.`)
      records.remove(ptyId)
      continue
    }
    // Without a start time (not Linux) a core pid that exists is taken to be alive: better to leave a leftover than to end a running core's terminals.
    if (record.coreStartTime === null ? exists(record.corePid) : alive(record.corePid, record.coreStartTime)) {
      report.skipped.push(ptyId)
      continue
    }
    if (record.cgroup && isPtyCgroupPath(record.cgroup, ptyId)) {
      const killed = await killCgroup(record.cgroup, { graceMs: 500 })
      if (!killed.ok) {
        logger.warn(`Could not end what terminal ${ptyId} left running: ${killed.error}`)
        continue
      }
      logger.warn(
        `Ended ${killed.value.members} process(es) left running by terminal ${ptyId} of a previous run (cgroup ${record.cgroup}).`
      )
    } else {
      if (record.cgroup)
        logger.warn(`Ignoring the cgroup ${record.cgroup} in run record ${ptyId}.json: it is gone or not a Skein terminal's cgroup.`)
      const marker = `SKEIN_PTY_ID=${ptyId}`
      // A reused pid (another start time) is someone else's process: only the marker is trusted then.
      const n =
        record.pid && alive(record.pid, record.startTime)
          ? (await killProcessTree(record.pid, marker, 500)).length
          : await killTagged(marker, 500)
      if (n > 0)
        logger.warn(
          `Ended ${n} process(es) left running by terminal ${ptyId} of a previous run (its session, process group and environment marker; no cgroup).`
        )
    }
    records.remove(ptyId)
    report.reaped.push(ptyId)
  }
  return report
}
