import type { CiProviderOverride } from '../../../shared/ci'
import { appError, ErrorCode } from '../../../shared/errors'
import type { Thread } from '../../../shared/models'
import { err, type Result } from '../../../shared/result'
import { remoteUrl } from '../ci/ci-git'
import { resolveCiTarget } from '../ci/ci-target'
import { githubToken, gitlabToken } from '../ci/ci-tokens'
import type { GitRunner } from '../git/git-runner'
import { githubMerge } from './github-merge'
import { gitlabMerge } from './gitlab-merge'

/** What came of asking to merge a green commit: merged now, merging once the service's own pipeline passes, or not allowed yet (and why). */
export type MergeOutcome = { state: 'merged' | 'scheduled' | 'blocked'; message: string }

/**
 * Merges a thread's pull or merge request once its checks are green: only at `sha` (never a head
 * pushed since), only when reviews and the service's own rules allow it, never forced.
 */
export interface MergeWhenGreen {
  enable(thread: Thread, sha: string): Promise<Result<MergeOutcome>>
}

/** What the provider-backed merge needs. */
export interface ProviderMergeDeps {
  git: GitRunner
  /** The repository's CI provider setting (also where its API lives). */
  override: (repoId: string) => CiProviderOverride | null
  env?: NodeJS.ProcessEnv
  /** How long to wait for GitHub to work out mergeability (it answers "unknown" at first). */
  mergeableWaitMs?: number
}

/**
 * MergeWhenGreen over the REST APIs, until the pull-request service takes over: GitHub merges at
 * the sha once the pull request is mergeable and no review blocks it (REST cannot turn on GitHub's
 * own auto-merge; that is GraphQL's enablePullRequestAutoMerge); GitLab merges at the sha, or sets
 * auto-merge while its pipeline runs.
 */
export function providerMergeWhenGreen(deps: ProviderMergeDeps): MergeWhenGreen {
  return {
    async enable(thread, sha) {
      if (!thread.branch) return err(appError(ErrorCode.InvalidThreadState, 'This thread has no branch of its own to merge.'))
      const url = await remoteUrl(deps.git, thread.worktreePath, thread.branch)
      const target = resolveCiTarget(url, deps.override(thread.repoId))
      if (!target.ok) return err(appError(ErrorCode.Unsupported, target.error.message))
      const host = new URL(target.value.baseUrl).hostname
      if (target.value.provider === 'github') {
        const token = await githubToken({ env: deps.env, host: host === 'api.github.com' ? 'github.com' : host })()
        if (!token)
          return err(appError(ErrorCode.Unsupported, 'Skein has no GitHub token to merge with. Set GITHUB_TOKEN or run `gh auth login`.'))
        return githubMerge(
          {
            baseUrl: target.value.baseUrl,
            owner: target.value.owner,
            repo: target.value.repo,
            token,
            mergeableWaitMs: deps.mergeableWaitMs
          },
          thread.branch,
          sha
        )
      }
      const token = await gitlabToken({ env: deps.env, host })()
      if (!token)
        return err(appError(ErrorCode.Unsupported, 'Skein has no GitLab token to merge with. Set GITLAB_TOKEN or run `glab auth login`.'))
      return gitlabMerge({ baseUrl: target.value.baseUrl, path: target.value.path, token }, thread.branch, sha)
    }
  }
}
