import { join } from 'node:path'
import type { CiCheck, CiStatus } from '../../src/shared/ci'
import type { Thread } from '../../src/shared/models'
import type { PrStatus } from '../../src/shared/pr'
import { ok } from '../../src/shared/result'
import { appError, ErrorCode } from '../../src/shared/errors'
import { ManualClock } from '../../src/main/core/ci/clock'
import { branchCommits } from '../../src/main/core/git/branch-commits'
import { GitRunner } from '../../src/main/core/git/git-runner'
import { pushBranch } from '../../src/main/core/git/push-branch'
import { PrActions } from '../../src/main/core/pr/pr-actions'
import { prProviderFactory } from '../../src/main/core/pr/pr-factory'
import { PrHttp } from '../../src/main/core/pr/pr-http'
import { PrService, type PrScheduleOptions } from '../../src/main/core/pr/pr-service'
import { git, makeRepo, tempDir, writeFile } from './fixtures'

/** One thread's worth of pull request machinery on a manual clock, against a fake service. */
export interface PrRig {
  clock: ManualClock
  http: PrHttp
  service: PrService
  actions: PrActions
  thread: Thread
  /** Standing for GitHub's or GitLab's copy of the repository. */
  bare: string
  updates: (PrStatus | null)[]
  /** Sets the thread's CI status as CiHost would publish it, and tells the service. */
  ci(o: { commit: string | null; checks?: Pick<CiCheck, 'state'>[]; rateLimitedUntil?: number | null }): void
  /** Commits in the thread's worktree; returns the sha. */
  commit(file: string, text: string): string
  /** Pushes the thread's branch to the bare repository; returns the sha. */
  push(): string
  /** Moves the manual clock to the next timer and waits for the read it starts. */
  tick(): Promise<void>
}

/** Builds a rig: a repository whose origin says `remote` and pushes to a bare repository, a thread on `skein/<name>`. */
export function prRig(o: {
  name: string
  remote: string
  baseUrl: string
  token: string
  schedule?: PrScheduleOptions
  retryBaseMs?: number
  /** Told of each read of an open request, as PrHost tells the review threads. */
  polled?: (threadId: string, changed: boolean) => void
}): PrRig {
  const repo = makeRepo(o.name)
  const bare = join(tempDir('skein-remote-'), `${o.name}.git`)
  git(tempDir(), 'init', '-q', '--bare', bare)
  git(repo, 'remote', 'add', 'origin', o.remote)
  git(repo, 'config', 'remote.origin.pushurl', bare)
  git(repo, 'push', '-q', bare, 'main:main')
  const branch = `skein/${o.name}`
  git(repo, 'checkout', '-q', '-b', branch)
  const thread = {
    id: `t-${o.name}`,
    repoId: `r-${o.name}`,
    title: `Work on ${o.name}`,
    branch,
    baseRef: 'main',
    worktreePath: repo,
    mode: 'worktree',
    status: 'idle',
    focus: null
  } as unknown as Thread
  const clock = new ManualClock(Date.now())
  const http = new PrHttp({ now: () => clock.now(), retryBaseMs: o.retryBaseMs ?? 5 })
  const updates: (PrStatus | null)[] = []
  let ci: CiStatus | undefined
  const gitRunner = new GitRunner()
  const service = new PrService({
    thread: (id) => (id === thread.id ? thread : undefined),
    git: gitRunner,
    providers: prProviderFactory({ http, token: () => async () => o.token, now: () => clock.now() }),
    http,
    override: () => ({ provider: o.remote.includes('gitlab') ? 'gitlab' : 'github', baseUrl: o.baseUrl }),
    ciStatus: () => ci,
    notify: (_, status) => updates.push(status),
    clock,
    schedule: o.schedule,
    polled: o.polled
  })
  const actions = new PrActions({
    service,
    thread: (id) => (id === thread.id ? thread : undefined),
    git: gitRunner,
    push: async () => {
      const r = await pushBranch(gitRunner, repo, branch)
      return r.kind === 'pushed' ? ok({ remote: r.remote }) : { ok: false, error: appError(ErrorCode.GitFailed, `push ${r.kind}`) }
    },
    pushed: () => undefined,
    items: async () => [],
    commits: async () => {
      const r = await branchCommits(gitRunner, repo, 'main')
      return r.kind === 'ok'
        ? ok({ commits: r.commits, more: r.more })
        : { ok: false, error: appError(ErrorCode.BaseRefNotFound, r.detail) }
    },
    retries: http.retries,
    retryBaseMs: http.retryBaseMs,
    mergeablePollMs: 20
  })
  return {
    clock,
    http,
    service,
    actions,
    thread,
    bare,
    updates,
    ci: (s) => {
      const checks = (s.checks ?? []).map((c, i): CiCheck => ({
        id: `c${i}`,
        name: `job ${i}`,
        provider: 'github',
        state: c.state,
        startedAt: null,
        completedAt: null,
        durationMs: null,
        url: null,
        hasLog: false
      }))
      ci = {
        threadId: thread.id,
        overall:
          checks.length === 0
            ? 'none'
            : checks.some((c) => c.state === 'failed')
              ? 'failed'
              : checks.some((c) => c.state === 'running')
                ? 'running'
                : 'passed',
        provider: 'github',
        commit: s.commit,
        checks,
        problem: null,
        rateLimitedUntil: s.rateLimitedUntil ?? null,
        updatedAt: clock.now()
      }
      service.ciUpdated(ci)
    },
    commit: (file, text) => {
      writeFile(join(repo, file), text)
      git(repo, 'add', '-A')
      git(repo, 'commit', '-qm', `Change ${file}`)
      return git(repo, 'rev-parse', 'HEAD')
    },
    push: () => {
      git(repo, 'push', '-q', bare, `${branch}:${branch}`)
      git(repo, 'update-ref', `refs/remotes/origin/${branch}`, 'HEAD')
      return git(repo, 'rev-parse', 'HEAD')
    },
    tick: async () => {
      await service.whenIdle()
      clock.fireNext()
      await service.whenIdle()
    }
  }
}
