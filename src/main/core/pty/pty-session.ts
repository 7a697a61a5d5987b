import { readFileSync } from 'node:fs'
import { StringDecoder } from 'node:string_decoder'
import * as nodePty from 'node-pty'
import type { PtyInfo } from '../../../shared/models'
import { FlowControl } from './flow-control'
import { OutputBatcher } from './output-batcher'
import { PasteMode } from './paste-mode'
import { killProcessTree } from './process-tree'
import type { ContainedPty, ContainmentMode, PtyContainment } from './pty-containment'
import type { PlumbingFilter } from './plumbing-filter'
import { Scrollback } from './scrollback'

/** How long text the view filter holds back may wait for the rest of its line before it is shown anyway. */
const HELD_TEXT_MS = 250

/** Process names of interactive shells: one of them in the foreground means the shell is at its prompt. */
// Processes that only wrap the shell (the sandbox and its pid-namespace init): the shell is their only child.
const WRAPPERS = new Set(['bwrap'])

/** The process group and the terminal's foreground group of a process, from /proc/<pid>/stat. */
function procStat(pid: number): { comm: string; state: string; pgrp: number; tpgid: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // "pid (comm) state ppid pgrp session tty_nr tpgid …": comm may hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return {
    comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
    state: fields[0]!,
    pgrp: Number(fields[2]),
    tpgid: Number(fields[5])
  }
}

/** The pids of a process's children. */
const childrenOf = (pid: number): number[] =>
  readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ').filter(Boolean).map(Number)

/** The shell under the pty's own process: past the sandbox's wrappers, down their only child. */
function innerShell(pid: number): number {
  for (let depth = 0; depth < 4 && WRAPPERS.has(procStat(pid).comm); depth++) {
    const children = childrenOf(pid)
    if (children.length !== 1) break
    pid = children[0]!
  }
  return pid
}

/** What a session needs to start. */
export interface SpawnSpec {
  file: string
  args: string[]
  cwd: string
  env: Record<string, string>
  cols: number
  rows: number
}

/** What a session reports to its host. */
export interface SessionEvents {
  /**
   * A batch of decoded output (≈5 ms worth): `text` as the pty printed it, `view` as people see it
   * (the same unless a view filter is set), already in the scrollback. Either may be empty.
   */
  data(text: string, view: string): void
  exit(exitCode: number | null, signal: number | null): void
}

/**
 * One live pty: node-pty process, UTF-8 decoding that is safe across chunk boundaries,
 * 5 ms output batching, per-client flow control and a bounded scrollback.
 */
export class PtySession {
  readonly scrollback: Scrollback
  readonly flow: FlowControl
  /** Whether the program turned on bracketed paste, so a paste is wrapped the way a terminal wraps it. */
  readonly pasteMode = new PasteMode()
  private readonly process: nodePty.IPty
  private readonly decoder = new StringDecoder('utf8')
  private readonly batcher: OutputBatcher
  private exitPromise: Promise<void>
  private exited = false
  private viewFilter: PlumbingFilter | null = null
  private flushTimer: NodeJS.Timeout | undefined
  /** The pty's cgroup and run record; null for a session made without containment (only some tests). */
  private readonly contained: ContainedPty | null

  constructor(
    public info: PtyInfo,
    spec: SpawnSpec,
    scrollbackLimit: number,
    private readonly events: SessionEvents,
    containment?: PtyContainment
  ) {
    this.scrollback = new Scrollback(scrollbackLimit)
    this.batcher = new OutputBatcher((text) => {
      this.pasteMode.feed(text)
      this.output(text, this.viewFilter ? this.viewFilter.push(text) : text)
    })
    // The cgroup and run record exist before the process does, so nothing it forks can escape either.
    this.contained = containment?.prepare(info.id, info.threadId) ?? null
    const { file, args } = this.contained ? this.contained.wrap(spec.file, spec.args) : spec
    try {
      // encoding: null hands us raw bytes, decoded here so a character split across reads stays whole.
      this.process = nodePty.spawn(file, args, {
        name: 'xterm-256color',
        cols: spec.cols,
        rows: spec.rows,
        cwd: spec.cwd,
        env: spec.env,
        encoding: null
      } as nodePty.IPtyForkOptions)
    } catch (e) {
      this.contained?.abandon()
      throw e
    }
    this.contained?.spawned(this.process.pid, spec.file)
    this.info = { ...info, pid: this.process.pid }
    this.flow = new FlowControl((paused) => (paused ? this.process.pause() : this.process.resume()))
    this.process.onData((chunk: string | Buffer) => {
      this.batcher.push(typeof chunk === 'string' ? chunk : this.decoder.write(chunk))
    })
    this.exitPromise = new Promise((resolve) => {
      this.process.onExit(({ exitCode, signal }) => {
        this.batcher.push(this.decoder.end())
        this.batcher.dispose()
        clearTimeout(this.flushTimer)
        if (this.viewFilter?.holding) this.output('', this.viewFilter.flush())
        this.exited = true
        void this.contained?.endIfEmpty()
        this.events.exit(exitCode ?? null, signal ? signal : null)
        resolve()
      })
    })
  }

  /** Takes plumbing out of what people see from now on (the built-in agent's shell); null shows everything. */
  setViewFilter(filter: PlumbingFilter | null): void {
    this.viewFilter = filter
  }

  private output(text: string, view: string): void {
    if (view) this.scrollback.append(view)
    this.events.data(text, view)
    clearTimeout(this.flushTimer)
    // Held text that no more output follows was not plumbing after all: show it.
    if (this.viewFilter?.holding) {
      this.flushTimer = setTimeout(() => {
        if (this.viewFilter && !this.exited) this.output('', this.viewFilter.flush())
      }, HELD_TEXT_MS)
    }
  }

  /** How this pty's processes are held together: its own cgroup, or the process-tree fallback. */
  get containment(): ContainmentMode {
    return this.contained?.mode ?? 'process-tree'
  }

  /** True while processes the pty started may still run after its own process exited (background jobs), until kill() ends them. */
  get holdsProcesses(): boolean {
    return this.contained !== null && !this.contained.finished
  }

  /** True until the process exits. */
  get running(): boolean {
    return !this.exited
  }

  /**
   * True while the shell is not simply waiting at its prompt: a job holds the terminal's foreground
   * (a quiet `sleep 3`, a build, a nested shell), or the shell is still taking in a command line.
   * Read from /proc on Linux; false elsewhere or when it cannot be told. Groups are compared, not
   * process names, because a job the shell has just forked is still called "bash" until it execs.
   */
  foregroundJob(): boolean {
    if (process.platform !== 'linux' || this.exited) return false
    try {
      const pid = innerShell(this.process.pid)
      const shell = procStat(pid)
      if (!(shell.tpgid > 0)) return false
      // A job holds the terminal.
      if (shell.tpgid !== shell.pgrp) return true
      // The shell itself is running: reading, parsing or forking a command line it was just sent (on a
      // busy machine that can take seconds). At its prompt it sleeps in read().
      if (shell.state === 'R') return true
      // A child forked for the foreground that has not yet moved to its own group (background jobs have theirs).
      return childrenOf(pid).some((child) => procStat(child).pgrp === shell.tpgid)
    } catch {
      return false
    }
  }

  /** Sends keystrokes or pasted text. */
  write(data: string): void {
    this.process.write(data)
  }

  /** Resizes the terminal. */
  resize(cols: number, rows: number): void {
    this.process.resize(cols, rows)
  }

  /**
   * Ends every process the pty started (its cgroup, or its process tree) and waits for the pty to
   * report its exit. Also after the pty's own process exited: its background jobs may still run.
   */
  async kill(): Promise<void> {
    if (this.exited) {
      await this.contained?.end(false)
      return
    }
    // A paused pty may never deliver its exit; let it drain.
    this.process.resume()
    if (this.contained) await this.contained.end(true)
    else await killProcessTree(this.process.pid, `SKEIN_PTY_ID=${this.info.id}`)
    try {
      this.process.kill()
    } catch {
      // already gone
    }
    await Promise.race([this.exitPromise, new Promise((r) => setTimeout(r, 3000))])
  }
}
