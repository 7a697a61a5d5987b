// What the polling benches (ci-polling, ci-polling-gitlab, pr-polling) share: a repository with a
// remote-tracking branch, CI threads and their service on a manual clock, GitHub check runs as a push
// makes them, and the loop that moves the clock from timer to timer and scripted event to event.
import { join } from 'node:path'
import type { CiProviderOverride, CiStatus } from '../../src/shared/ci'
import { CiHttp } from '../../src/main/core/ci/ci-http'
import { CiService, type CiThread } from '../../src/main/core/ci/ci-service'
import type { ManualClock } from '../../src/main/core/ci/clock'
import { providerFactory } from '../../src/main/core/ci/provider-factory'
import { GitRunner } from '../../src/main/core/git/git-runner'
import type { FakeGithub } from '../../test/helpers/fake-github'
import { benchDir, git, makeBenchRepo } from '../bench-utils'

/** One simulated hour. */
export const HOUR = 3_600_000
/** Check runs (or jobs) per commit. */
export const JOBS = 12

/** A check run's state as GitHub reports it. */
export interface CheckState {
  status: string
  conclusion: string | null
}

const DONE: CheckState = { status: 'completed', conclusion: 'success' }
const RUNNING: CheckState = { status: 'in_progress', conclusion: null }
const QUEUED: CheckState = { status: 'queued', conclusion: null }

/** Every check finished. */
export const settledChecks = (): CheckState[] => Array.from({ length: JOBS }, () => DONE)
/** One check running all along, the others finished. */
export const stuckChecks = (): CheckState[] => Array.from({ length: JOBS }, (_, j) => (j === 0 ? RUNNING : DONE))
/** `t` ms after a push: queued for 20 s, then running, one check ending each minute. */
export const busyChecks = (t: number): CheckState[] =>
  Array.from({ length: JOBS }, (_, j) => (t >= (j + 1) * 60_000 ? DONE : t >= 20_000 ? RUNNING : QUEUED))

/** The check runs of `sha` on every repository, as the fake GitHub answers them. */
export function setGithubChecks(gh: FakeGithub, names: readonly string[], sha: string, states: readonly CheckState[]): void {
  for (const name of names) states.forEach((c, j) => gh.setCheckRun(name, sha, { id: j + 1, name: `job ${j}`, ...c }))
}

/** A bench's temp dir and a one-file repository whose origin/main is its main. */
export function pollingRepo(name: string): { dir: string; repo: string } {
  const dir = benchDir(name)
  const repo = makeBenchRepo(dir, 'repo', 1)
  git(repo, 'update-ref', 'refs/remotes/origin/main', 'HEAD')
  return { dir, repo }
}

/** Skein pushes: a new commit on main and on the remote-tracking branch; returns its sha. */
export function pushCommit(repo: string): string {
  git(repo, 'commit', '-q', '--allow-empty', '-m', 'push')
  git(repo, 'update-ref', 'refs/remotes/origin/main', 'HEAD')
  return git(repo, 'rev-parse', 'HEAD')
}

/** CI threads `t0`…, one a repository name, all on `main` of the same worktree. */
export function ciThreads(names: readonly string[], repo: string, override: CiProviderOverride, host: string): Map<string, CiThread> {
  return new Map(
    names.map((name, i) => [
      `t${i}`,
      { id: `t${i}`, remoteUrl: `git@${host}:${name}.git`, branch: 'main', worktreePath: repo, archived: false, override }
    ])
  )
}

/** The CI service over `threads` on the manual clock, with the fake's token. */
export function benchCi(o: {
  threads: Map<string, CiThread>
  token: string
  dir: string
  clock: ManualClock
  notify?: (status: CiStatus) => void
}): CiService {
  return new CiService({
    thread: (id) => o.threads.get(id),
    providers: providerFactory({ http: new CiHttp({ now: () => o.clock.now() }), token: () => async () => o.token }),
    git: new GitRunner(),
    logDir: join(o.dir, 'logs'),
    notify: o.notify ?? (() => undefined),
    clock: o.clock
  })
}

/** Something the world does at a time of its own (a push, a review); `due` is Infinity when never. */
export interface ScriptedEvent {
  due: () => number
  run: () => Promise<void>
}

/** An event every `ms` from now on (never when null); `run` is told its time. */
export function every(clock: ManualClock, ms: number | null, run: (at: number) => Promise<void>): ScriptedEvent {
  let last = clock.now()
  return {
    due: () => (ms ? last + ms : Infinity),
    run: () => run((last = clock.now()))
  }
}

/**
 * Moves the clock until `end`: whichever comes first of the clock's next timer and the scripted events
 * (the earlier listed first on a tie) happens, then `settle` waits for the reads it started. Before a timer
 * fires, `beforeTimer` sets the world as of just before it, so the fake answers with the states of that time.
 */
export async function runUntil(o: {
  clock: ManualClock
  end: number
  events: ScriptedEvent[]
  beforeTimer: () => void
  settle: () => Promise<void>
  /** Told the time of each step before it happens. */
  onStep?: (at: number) => void
}): Promise<void> {
  await o.settle()
  for (;;) {
    const at = o.clock.nextAt() ?? Infinity
    const event = o.events.reduce<ScriptedEvent | null>((a, e) => (e.due() < (a?.due() ?? Infinity) ? e : a), null)
    const next = Math.min(at, event?.due() ?? Infinity)
    if (!Number.isFinite(next) || next > o.end) return
    o.onStep?.(next)
    if (event && event.due() === next) {
      o.clock.advanceTo(next)
      await event.run()
    } else {
      o.clock.advanceTo(at - 1)
      o.beforeTimer()
      o.clock.advanceTo(at)
    }
    await o.settle()
  }
}

/**
 * One simulated hour of CI alone from now: every thread watched, the checks set before each poll, and a
 * push every `pushEveryMs` (`pushed` is told the new commit and the time before the checks are set again).
 */
export async function ciHour(o: {
  clock: ManualClock
  ci: CiService
  ids: readonly string[]
  repo: string
  pushEveryMs: number | null
  setChecks: () => void
  pushed: (sha: string, at: number) => void
}): Promise<void> {
  o.setChecks()
  for (const id of o.ids) o.ci.watch(id)
  await runUntil({
    clock: o.clock,
    end: o.clock.now() + HOUR,
    events: [
      every(o.clock, o.pushEveryMs, async (at) => {
        o.pushed(pushCommit(o.repo), at)
        o.setChecks()
        for (const id of o.ids) await o.ci.pushed(id)
      })
    ],
    beforeTimer: o.setChecks,
    settle: () => o.ci.whenIdle()
  })
}
