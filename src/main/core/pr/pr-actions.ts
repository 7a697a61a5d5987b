import type { CiProblem } from '../../../shared/ci'
import { appError, ErrorCode, type AppError } from '../../../shared/errors'
import type { Item, Thread } from '../../../shared/models'
import { requestNoun, requestRef, type PrDraft, type PrMergeMethod, type PrStatus } from '../../../shared/pr'
import { readiness } from '../../../shared/pr-readiness'
import { err, ok, type Result } from '../../../shared/result'
import type { CiTarget } from '../ci/ci-target'
import type { BranchCommit } from '../git/branch-commits'
import type { GitRunner } from '../git/git-runner'
import { prBaseBranch } from '../git/pr-base-branch'
import { draftBody, draftTitle, firstPrompt, lastSummary } from './pr-draft'
import { problemOf, refusal, type CreateRequest, type PrProvider, type ServiceFailure } from './pr-provider'
import type { PrService } from './pr-service'

/** What creating and merging requests joins. */
export interface PrActionsDeps {
  service: PrService
  thread: (id: string) => Thread | undefined
  git: GitRunner
  /** Pushes the thread's branch (the same push as the Push button). */
  push: (threadId: string) => Promise<Result<{ remote: string }>>
  /** Skein pushed the branch: CI looks at the new commit. */
  pushed: (threadId: string) => void
  items: (threadId: string) => Promise<Item[]>
  commits: (threadId: string) => Promise<Result<{ commits: BranchCommit[]; more: number }>>
  /** How often, and after what first wait, an answerless create is tried again (after looking whether it went through). */
  retries: number
  retryBaseMs: number
  /** How long a ready-only merge waits while the service works out mergeability, and how often it asks (default 10 s, 1 s). */
  mergeableWaitMs?: number
  mergeablePollMs?: number
}

/** How to merge: the method, the head it must still have, and `whenReady` for the autopilot's rules. */
export interface MergeInput {
  method: PrMergeMethod
  expectHead?: string
  /**
   * Read the request afresh and merge only when nothing blocks it: the service calls it mergeable, no
   * reviewer asked for changes, no requested review is awaited. A GitLab merge request that only waits
   * for its pipeline is set to merge when the pipeline passes.
   */
  whenReady?: boolean
}

/** What *Create pull request* sends. */
export interface CreateInput {
  title: string
  body: string
  draft: boolean
  reviewers: string[]
  labels: string[]
  /** The branch to merge into; default: from the thread's base ref. */
  base?: string
}

/** The outcome of a create: the request, whether it was there already, and what could not be set on it. */
export interface Created {
  status: PrStatus
  existed: boolean
  warnings: string[]
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** The refusal of a service as an AppError: its words, what to do, and for a rate limit when it lifts. */
function serviceError(f: ServiceFailure, p: PrProvider, what: string): AppError {
  const code =
    f.kind === 'http' && f.status < 500 && f.status !== 401 && f.status !== 403 ? ErrorCode.InvalidThreadState : ErrorCode.Unsupported
  return appError(code, refusal(f, p.words, what), { kind: f.kind, ...(f.kind === 'rate-limited' ? { until: f.until } : {}) })
}

/** Why a repository's remote gives no service to open a request on, in words about requests (not CI). */
function noService(problem: CiProblem, noun: string): string {
  if (/no remote/i.test(problem.message))
    return `This repository has no remote to open a ${noun} on. Add one with \`git remote add origin <url>\`.`
  return `Skein opens pull requests on GitHub and merge requests on GitLab, and cannot tell which service this repository's remote is. If it runs GitHub Enterprise or GitLab, set the provider and its URL in the repository's CI settings.`
}

/** Drafting, creating and merging a thread's pull or merge request. */
export class PrActions {
  constructor(private readonly deps: PrActionsDeps) {}

  /** A drafted title and body, the base, and whether the request can be created (or which one exists). */
  async draft(threadId: string): Promise<Result<PrDraft>> {
    const t = this.deps.thread(threadId)
    if (!t) return err(appError(ErrorCode.ThreadNotFound, `No thread with id ${threadId}.`))
    const [items, listed] = await Promise.all([this.deps.items(threadId), this.deps.commits(threadId)])
    const commits = listed.ok ? listed.value.commits : []
    const count = listed.ok ? commits.length + listed.value.more : 0
    const prompt = firstPrompt(items) ?? t.focus ?? null
    const base =
      t.branch && t.mode === 'worktree' ? ((await prBaseBranch(this.deps.git, t.worktreePath, t.baseRef).catch(() => null)) ?? '') : ''
    const draft: PrDraft = {
      provider: null,
      title: draftTitle(t, prompt, commits),
      body: draftBody({ thread: t, prompt, summary: lastSummary(items), commits, moreCommits: listed.ok ? listed.value.more : 0 }),
      base,
      head: t.branch,
      commits: count,
      canCreate: false,
      reason: null,
      existing: null
    }
    if (t.mode !== 'worktree' || !t.branch)
      return ok({ ...draft, reason: `"${t.title}" runs in your own checkout; a pull request needs the thread's own branch.` })
    if (t.status === 'archived') return ok({ ...draft, reason: 'The thread is archived; restore it first.' })
    const found = await this.deps.service.provider(threadId)
    if ('problem' in found) return ok({ ...draft, reason: noService(found.problem, 'pull request') })
    const { provider } = found
    const noun = requestNoun(provider.kind)
    const existing = await provider.find(t.branch)
    if (!existing.ok) {
      const problem = problemOf(existing.error, provider.words)
      // Without a token nothing can be sent; a passing trouble is said, and Create may still be tried.
      const blocking = problem.kind === 'no-token' || problem.kind === 'unauthorized'
      return ok({ ...draft, provider: provider.kind, canCreate: !blocking && count > 0, reason: problem.message })
    }
    if (existing.value && (existing.value.state === 'open' || existing.value.state === 'draft')) {
      const status = await this.deps.service.refresh(threadId)
      return ok({
        ...draft,
        provider: provider.kind,
        existing: status,
        reason: `This branch already has ${status ? requestRef(status) : `an open ${noun}`}.`
      })
    }
    if (count === 0)
      return ok({
        ...draft,
        provider: provider.kind,
        reason: `The branch has no commits that ${base || t.baseRef} does not have. Commit the work first.`
      })
    return ok({
      ...draft,
      provider: provider.kind,
      canCreate: true,
      reason: base ? null : `Skein cannot tell which branch to merge into; type the base branch.`
    })
  }

  /** Pushes the branch and opens its request, or shows the one it already has; never opens a second. */
  async create(threadId: string, input: CreateInput): Promise<Result<Created>> {
    const t = this.deps.thread(threadId)
    if (!t) return err(appError(ErrorCode.ThreadNotFound, `No thread with id ${threadId}.`))
    if (t.mode !== 'worktree' || !t.branch)
      return err(
        appError(ErrorCode.InvalidThreadState, `"${t.title}" runs in your own checkout; a pull request needs the thread's own branch.`)
      )
    if (t.status === 'archived') return err(appError(ErrorCode.InvalidThreadState, 'The thread is archived; restore it first.'))
    const found = await this.deps.service.provider(threadId)
    if ('problem' in found) return err(appError(ErrorCode.InvalidThreadState, noService(found.problem, 'pull request')))
    const { provider, target } = found
    const branch = t.branch
    const already = await this.existing(threadId, target, provider, branch)
    if (!already.ok) return err(serviceError(already.error, provider, 'opened'))
    if (already.value) return ok({ status: already.value, existed: true, warnings: [] })
    const base = input.base?.trim() || (await prBaseBranch(this.deps.git, t.worktreePath, t.baseRef))
    if (!base)
      return err(
        appError(ErrorCode.InvalidParams, `Skein cannot tell which branch to merge into from "${t.baseRef}". Type the base branch.`)
      )
    const pushed = await this.deps.push(threadId)
    if (!pushed.ok)
      return err({
        ...pushed.error,
        message: `The branch was not pushed, so no ${requestNoun(provider.kind)} was opened. ${pushed.error.message}`
      })
    this.deps.pushed(threadId)
    const req: CreateRequest = { ...input, title: input.title.trim(), base, head: branch }
    for (let attempt = 0; ; attempt++) {
      const made = await provider.create(req)
      if (made.ok) {
        const reviews = await provider.reviews(made.value.pr)
        const status = this.deps.service.adopt(threadId, target, made.value.pr, reviews.ok ? reviews.value : null)
        return ok({ status, existed: false, warnings: made.value.warnings })
      }
      const f = made.error
      const transient = (f.kind === 'http' && f.status >= 500) || f.kind === 'unreachable'
      if (f.kind !== 'exists' && (!transient || attempt >= this.deps.retries)) return err(serviceError(f, provider, 'opened'))
      // The POST may have been carried out before its answer was lost: look before sending it again.
      const look = await this.existing(threadId, target, provider, branch)
      if (look.ok && look.value) return ok({ status: look.value, existed: f.kind === 'exists', warnings: [] })
      if (f.kind === 'exists') return err(serviceError(look.ok ? f : look.error, provider, 'opened'))
      await sleep((attempt + 1) ** 2 * this.deps.retryBaseMs)
    }
  }

  /**
   * Merges the thread's open request through the service's API, only if its head is still the one shown
   * (never forced). Anything that stops it is an InvalidThreadState error saying why.
   */
  async merge(threadId: string, o: MergeInput): Promise<Result<PrStatus>> {
    const read = o.whenReady ? await this.fresh(threadId) : ok(this.deps.service.status(threadId))
    if (!read.ok) return read
    const status = read.value
    if (!status || (status.state !== 'open' && status.state !== 'draft'))
      return err(appError(ErrorCode.InvalidThreadState, 'This thread has no open pull request to merge.'))
    const noun = requestNoun(status.provider)
    const ref = `${noun} ${requestRef(status)}`
    if (status.state === 'draft')
      return err(appError(ErrorCode.InvalidThreadState, `${requestRef(status)} is a draft; mark it ready for review first.`))
    if (!status.headSha || (o.expectHead && o.expectHead !== status.headSha)) {
      const moved =
        o.whenReady && status.headSha && o.expectHead
          ? `Not merged: ${ref}'s head is now ${status.headSha.slice(0, 7)}, not ${o.expectHead.slice(0, 7)}.`
          : `The ${noun} moved on since it was shown; look at its new commits first.`
      return err(appError(ErrorCode.InvalidThreadState, moved))
    }
    const ready = o.whenReady ? readiness(status) : { why: null, wait: false }
    if (ready.why && !ready.wait) return err(appError(ErrorCode.InvalidThreadState, `Not merged: ${ready.why} (${ref}).`))
    const found = await this.deps.service.provider(threadId)
    if ('problem' in found) return err(appError(ErrorCode.InvalidThreadState, noService(found.problem, noun)))
    const { provider } = found
    const sha = status.headSha
    // What GitHub does not enforce (it calls the request clean) its auto-merge cannot wait for: said, not merged.
    const unenforced = (why: string) =>
      err(
        appError(
          ErrorCode.InvalidThreadState,
          `Not merged: ${why} (${ref}). ${provider.words.service} does not require that, so its auto-merge has nothing to wait for; merge by hand once it is done.`
        )
      )
    if (ready.why && provider.kind === 'github' && status.mergeability === 'mergeable') return unenforced(ready.why)
    if (ready.why) {
      // Only what the service enforces itself is missing: its own auto-merge waits for it, at this head only.
      const enabled = await provider.enableAutoMerge(status.number, { method: o.method, sha })
      if (!enabled.ok) return err(serviceError(enabled.error, provider, 'set to merge'))
      if (enabled.value !== 'clean') return ok((await this.deps.service.refresh(threadId)) ?? status)
      // GitHub has nothing of its own left to wait for: merge now only if nothing Skein sees stands in the way either.
      const again = await this.fresh(threadId)
      if (!again.ok) return again
      const now = again.value
      if (!now || now.state !== 'open' || now.headSha !== sha)
        return err(appError(ErrorCode.InvalidThreadState, `Not merged: ${ref} changed meanwhile; look at it again.`))
      const still = readiness(now)
      if (still.why) return unenforced(still.why)
    }
    const merged = await provider.merge(status.number, { method: o.method, sha })
    if (!merged.ok) return err(serviceError(merged.error, provider, 'merged'))
    return ok((await this.deps.service.refresh(threadId)) ?? status)
  }

  /** Turns the service's own auto-merge of the thread's request off again (GitHub's auto-merge, GitLab's merge when the pipeline succeeds). */
  async cancelAutoMerge(threadId: string): Promise<Result<PrStatus>> {
    const status = (await this.deps.service.refresh(threadId)) ?? this.deps.service.status(threadId)
    if (!status || (status.state !== 'open' && status.state !== 'draft'))
      return err(appError(ErrorCode.InvalidThreadState, 'This thread has no open pull request.'))
    const ref = `${requestNoun(status.provider)} ${requestRef(status)}`
    if (!status.autoMerge) return err(appError(ErrorCode.InvalidThreadState, `Auto-merge is not on for ${ref}.`))
    const found = await this.deps.service.provider(threadId)
    if ('problem' in found) return err(appError(ErrorCode.InvalidThreadState, noService(found.problem, requestNoun(status.provider))))
    const done = await found.provider.cancelAutoMerge(status.number)
    if (!done.ok) return err(serviceError(done.error, found.provider, 'changed'))
    return ok((await this.deps.service.refresh(threadId)) ?? status)
  }

  // The request read now, asked again for a while when the service is still working out mergeability.
  // A service that cannot be asked is an error, not "no request": the request may well be there.
  private async fresh(threadId: string): Promise<Result<PrStatus | null>> {
    const deadline = Date.now() + (this.deps.mergeableWaitMs ?? 10_000)
    for (;;) {
      const status = await this.deps.service.refresh(threadId)
      if (status?.problem) return err(appError(ErrorCode.Unsupported, status.problem.message))
      if (!status) {
        const t = this.deps.thread(threadId)
        const found = await this.deps.service.provider(threadId)
        if (t?.branch && !('problem' in found)) {
          const look = await found.provider.find(t.branch)
          if (!look.ok) return err(appError(ErrorCode.Unsupported, problemOf(look.error, found.provider.words).message))
        }
        return ok(null)
      }
      if (status.mergeability !== 'checking' || Date.now() >= deadline) return ok(status)
      await sleep(this.deps.mergeablePollMs ?? 1000)
    }
  }

  // The branch's open request, read in full and taken as the thread's; null when it has none open.
  private async existing(
    threadId: string,
    target: CiTarget,
    provider: PrProvider,
    branch: string
  ): Promise<Result<PrStatus | null, ServiceFailure>> {
    const found = await provider.find(branch)
    if (!found.ok) return found
    if (!found.value || (found.value.state !== 'open' && found.value.state !== 'draft')) return ok(null)
    const got = await provider.get(found.value.number)
    if (!got.ok) return got
    const reviews = await provider.reviews(got.value.value)
    return ok(this.deps.service.adopt(threadId, target, got.value.value, reviews.ok ? reviews.value : null))
  }
}
