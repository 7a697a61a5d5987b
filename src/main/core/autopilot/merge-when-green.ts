import { ErrorCode } from '../../../shared/errors'
import type { Thread } from '../../../shared/models'
import { requestNoun, requestRef, type PrMergeMethod, type PrStatus } from '../../../shared/pr'
import { err, ok, type Result } from '../../../shared/result'

/** What came of asking to merge a green commit: merged now, the service's own auto-merge on (it merges once its requirements are met), or not allowed yet (and why). */
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
 * sha only when it is open, not a draft, mergeable, and no review asks for changes or is awaited. When
 * only what the service enforces itself is missing (a required review, required checks), its own
 * auto-merge is turned on for that sha. What stops it is "blocked" with the reason; a service that
 * cannot be asked is an error.
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
      if (s.provider === 'gitlab')
        return ok({ state: 'scheduled', message: `GitLab merges ${name} once its pipeline passes (auto-merge at ${short(sha)}).` })
      return ok({
        state: 'scheduled',
        message: `Auto-merge on: GitHub merges ${name} at ${short(sha)} when its requirements are met (checks, required reviews).`
      })
    }
  }
}
