import { rmdirSync } from 'node:fs'
import type { Logger } from '../logger'
import { createPtyCgroup, joinCgroupSpawn, joinState, killCgroup, ownCgroupDir, populated } from './pty-cgroup'
import { procStartTime, type PtyRecords, type PtyRunRecord } from './pty-records'
import { killProcessTree, killTagged } from './process-tree'

/** How a pty's processes are held together: a cgroup (Linux with a writable cgroup2) or the process-tree fallback. */
export type ContainmentMode = 'cgroup' | 'process-tree'

/** How the terminals of one core are contained: decided once, at start, and logged. */
export class PtyContainment {
  private constructor(
    /** The folder pty cgroups are made in, or null when there is none to use. */
    readonly cgroupParent: string | null,
    /** Why cgroups are not used, when they are not. */
    readonly why: string | null,
    readonly records: PtyRecords | null,
    readonly logger: Logger
  ) {}

  /** Finds the cgroup to make pty cgroups in and tries making one; logs which mechanism is in use. */
  static detect(records: PtyRecords | null, logger: Logger): PtyContainment {
    const own = ownCgroupDir()
    let why: string | null = own.ok ? null : own.error
    if (own.ok) {
      const probe = createPtyCgroup(own.value, `probe-${process.pid}-${Date.now().toString(36)}`)
      if (probe.ok) rmdirSync(probe.value)
      else why = probe.error
    }
    const c = new PtyContainment(why ? null : (own as { value: string }).value, why, records, logger)
    if (c.cgroupParent) logger.info(`Terminals are contained in cgroups under ${c.cgroupParent}.`)
    else
      logger.warn(
        `Terminals are contained by process tree, not cgroups (${why}): a background job that calls setsid and clears its environment can outlive its terminal.`
      )
    return c
  }

  /** Makes the pty's cgroup and writes its run record, before anything is spawned. */
  prepare(ptyId: string, threadId: string): ContainedPty {
    let cgroup: string | null = null
    if (this.cgroupParent) {
      const made = createPtyCgroup(this.cgroupParent, ptyId)
      if (made.ok) cgroup = made.value
      else this.logger.warn(`Terminal ${ptyId} runs without a cgroup (${made.error}); it falls back to process-tree containment.`)
    }
    return new ContainedPty(ptyId, threadId, cgroup, this)
  }
}

/** One pty's containment: its cgroup (if any) and run record, from before the spawn until every process it started has ended. */
export class ContainedPty {
  private record: PtyRunRecord | null = null
  private rootPid: number | null = null
  private rootStart: string | null = null
  private ended: Promise<void> | null = null
  private joinCheck: Promise<void> = Promise.resolve()
  /** True once every process the pty started has ended and its cgroup and record are gone. */
  finished = false

  constructor(
    readonly ptyId: string,
    threadId: string,
    private cgroup: string | null,
    private readonly owner: PtyContainment
  ) {
    if (owner.records) {
      this.record = owner.records.fresh(ptyId, threadId, cgroup)
      try {
        owner.records.write(this.record)
      } catch (e) {
        owner.logger.warn(
          `Could not write the run record of terminal ${ptyId} (${(e as Error).message}); a crash of Skein would leave its processes running.`
        )
        this.record = null
      }
    }
  }

  /** 'cgroup' while the pty's processes are in its cgroup; 'process-tree' without one, or once joining it failed. */
  get mode(): ContainmentMode {
    return this.cgroup ? 'cgroup' : 'process-tree'
  }

  /** The file and arguments to spawn: the cgroup join wraps whatever it is given, outermost. */
  wrap(file: string, args: string[]): { file: string; args: string[] } {
    return this.cgroup ? joinCgroupSpawn(this.cgroup, file, args) : { file, args }
  }

  /** Records the spawned process (pid, start time, session) and checks that it joined its cgroup before exec'ing `program`. */
  spawned(pid: number, program: string): void {
    this.rootPid = pid
    this.rootStart = procStartTime(pid)
    this.saveRecord()
    if (this.cgroup) this.joinCheck = this.checkJoin(pid, this.cgroup, program)
  }

  /** The spawn failed: nothing runs, so the cgroup and record go. */
  abandon(): void {
    if (this.cgroup) void killCgroup(this.cgroup, { graceMs: 0 })
    this.owner.records?.remove(this.ptyId)
  }

  private saveRecord(): void {
    if (!this.record || !this.owner.records) return
    this.record = { ...this.record, cgroup: this.cgroup, pid: this.rootPid, startTime: this.rootStart, sid: this.rootPid }
    try {
      this.owner.records.write(this.record)
    } catch {
      // the first record still names the cgroup, which is what a restart needs most
    }
  }

  /** The wrapper prints its own warning in the terminal; the core notes it and falls back. */
  private async checkJoin(pid: number, cgroup: string, program: string): Promise<void> {
    const deadline = Date.now() + 10_000
    for (;;) {
      const state = joinState(pid, cgroup, program)
      if (state === 'joined' || state === 'gone') return
      if (state === 'failed' || Date.now() > deadline) {
        // An empty cgroup can be removed; one that is not has been joined after all (a slow start).
        try {
          rmdirSync(cgroup)
        } catch {
          if (joinState(pid, cgroup, program) !== 'failed') return
        }
        this.owner.logger.warn(`Terminal ${this.ptyId} could not join its cgroup ${cgroup}; it falls back to process-tree containment.`)
        this.cgroup = null
        this.saveRecord()
        return
      }
      await new Promise((r) => setTimeout(r, 10))
    }
  }

  /**
   * Ends every process the pty started and forgets its record; safe to call again (later calls wait
   * for the first). `rootRunning` is false once the pty's own process has exited.
   */
  end(rootRunning: boolean): Promise<void> {
    this.ended ??= this.endOnce(rootRunning)
    return this.ended
  }

  private async endOnce(rootRunning: boolean): Promise<void> {
    await this.joinCheck
    const marker = `SKEIN_PTY_ID=${this.ptyId}`
    if (this.cgroup) {
      const killed = await killCgroup(this.cgroup, { processGroup: rootRunning ? (this.rootPid ?? undefined) : undefined })
      if (!killed.ok) {
        this.owner.logger.warn(`Could not end every process of terminal ${this.ptyId}: ${killed.error}`)
        return // the record stays, so the next start tries again
      }
    } else if (this.rootPid !== null && process.platform !== 'win32') {
      const current = procStartTime(this.rootPid)
      // The root's pid, if it has exited, may already belong to someone else: then only the marker is trusted.
      const reused = !rootRunning && current !== null && current !== this.rootStart
      if (reused) await killTagged(marker)
      else await killProcessTree(this.rootPid, marker, 1500, rootRunning)
    }
    this.owner.records?.remove(this.ptyId)
    this.finished = true
  }

  /**
   * After the pty's own process exited: ends the containment at once when nothing else is left in
   * the cgroup (an empty cgroup stays empty: nothing outside can join it). Background jobs keep it
   * until the terminal is closed, the thread archived or Skein quit.
   */
  async endIfEmpty(): Promise<void> {
    await this.joinCheck
    if (this.cgroup && !(await populated(this.cgroup))) await this.end(false)
  }
}
