import { mkdir, readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { LocalRun } from '../../../shared/ci'
import type { Logger } from '../logger'
import { writeFileAtomic } from '../store/atomic-write'
import { appendEvent } from '../store/event-log'

/** How many runs per thread are kept across restarts (newest first); older ones are dropped on load. */
export const RUNS_KEPT_PER_THREAD = 50

/**
 * Local check runs on disk (SKEIN_HOME/ci-logs/runs.jsonl): one line each time a run starts or ends,
 * flushed before the change is shown, so run history and the thread's CI state outlive a restart.
 */
export class LocalRunLog {
  private tail: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly path: string,
    private readonly logger: Logger
  ) {}

  /** Appends a run as it now stands; appends happen in call order. */
  record(run: LocalRun): Promise<void> {
    const next = this.tail.then(async () => {
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 })
      await appendEvent(this.path, run)
    })
    this.tail = next.catch((e) => this.logger.warn(`Could not save local check run ${run.id} to ${this.path}: ${(e as Error).message}`))
    return this.tail.then(() => undefined)
  }

  /**
   * Every saved run, its latest line winning. A run still "running" on disk was cut off when Skein
   * stopped: it comes back failed, with a note. Rewrites the file when it holds dropped lines.
   */
  async load(now: number): Promise<LocalRun[]> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
        this.logger.warn(`Could not read local check runs from ${this.path}: ${(e as Error).message}`)
      return []
    }
    const byId = new Map<string, LocalRun>()
    let lines = 0
    for (const line of text.split('\n')) {
      if (!line.trim()) continue
      lines++
      let parsed: unknown
      try {
        parsed = JSON.parse(line)
      } catch {
        this.logger.warn(`Skipped an unreadable line in ${this.path}; the other runs are kept.`)
        continue
      }
      const run = LocalRun.safeParse(parsed)
      if (run.success) byId.set(run.data.id, run.data)
    }
    const perThread = new Map<string, LocalRun[]>()
    for (const run of byId.values()) {
      const fixed: LocalRun =
        run.state === 'running'
          ? {
              ...run,
              state: 'failed',
              endedAt: run.endedAt ?? now,
              durationMs: null,
              exitCode: null,
              detail: 'interrupted: Skein stopped while this check ran'
            }
          : run
      perThread.set(fixed.threadId, [...(perThread.get(fixed.threadId) ?? []), fixed])
    }
    const kept = [...perThread.values()].flatMap((runs) => runs.sort((a, b) => b.startedAt - a.startedAt).slice(0, RUNS_KEPT_PER_THREAD))
    const changed = kept.length !== lines || kept.some((r) => byId.get(r.id)!.state === 'running')
    if (changed) {
      const body = kept
        .sort((a, b) => a.startedAt - b.startedAt)
        .map((r) => `${JSON.stringify(r)}\n`)
        .join('')
      await writeFileAtomic(this.path, body).catch((e) => this.logger.warn(`Could not compact ${this.path}: ${(e as Error).message}`))
    }
    return kept
  }
}
