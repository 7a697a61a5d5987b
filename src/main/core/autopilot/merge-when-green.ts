import { ErrorCode } from '../../../shared/errors'
import type { Thread } from '../../../shared/models'
import { requestNoun, requestRef, type PrMergeMethod, type PrStatus } from '../../../shared/pr'
import { err, ok, type Result } from '../../../shared/result'

/** What came of asking to merge a green commit: merged now, merging once the service's own pipeline passes, or not allowed yet (and why). */
export type MergeOutcome = { state: 'merged' | 'scheduled' | 'blocked'; message: string }

/**
 * Merges a thread's pull or merge request once its checks are green: only at `sha` (never a head
 * pushed since), only when reviews and the service's own rules allow it, never forced.
 */
export interface MergeWhenGreen {
  enable(thread: Thread, sha: string): Promise<Result<MergeOutcome>>
}

/** The pull-request service's merge, as the autopilot uses it (PrActions.merge). */
export type PrMerge = (
  threadId: string,
  o: { method: PrMergeMethod; expectHead?: string; whenReady?: boolean }
) => Promise<Result<PrStatus>>

const short = (sha: string) => sha.slice(0, 7)

/**
 * MergeWhenGreen over the pull-request service: it reads the request afresh and merges at the green
 * sha only when it is open, not a draft, mergeable, and no review asks for changes or is awaited. What
 * stops it is "blocked" with the reason; a service that cannot be asked is an error.
 */
export function prMergeWhenGreen(merge: PrMerge, method: PrMergeMethod = 'merge'): MergeWhenGreen {
  return {
    async enable(thread, sha) {
      const r = await merge(thread.id, { method, expectHead: sha, whenReady: true })
      if (!r.ok) {
        if (r.error.code !== ErrorCode.InvalidThreadState) return err(r.error)
        const none = /no open pull request/.test(r.error.message)
        const message = none
          ? `There is no open pull or merge request for ${thread.branch ?? 'this thread'}; open one and the autopilot merges it once green.`
          : r.error.message
        return ok({ state: 'blocked', message })
      }
      const s = r.value
      const name = `${requestNoun(s.provider)} ${requestRef(s)}`
      if (s.state === 'merged') return ok({ state: 'merged', message: `Merged ${name} at ${short(sha)}.` })
      return ok({
        state: 'scheduled',
        message: `${s.provider === 'gitlab' ? 'GitLab' : 'GitHub'} merges ${name} once its pipeline passes (auto-merge at ${short(sha)}).`
      })
    }
  }
}
