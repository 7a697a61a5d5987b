import type { CiTarget } from '../ci/ci-target'
import { githubToken, gitlabToken, type TokenSource } from '../ci/ci-tokens'
import { GithubPulls } from './github-pulls'
import { GitlabMergeRequests } from './gitlab-merge-requests'
import { PrHttp } from './pr-http'
import type { PrProvider } from './pr-provider'

/** Builds (or reuses) the pull or merge request client for a repository's service. */
export type PrProviderFactory = (target: CiTarget) => PrProvider

/** Where tokens come from and how requests are made. */
export interface PrFactoryOptions {
  /** Where tokens come from (GITHUB_TOKEN, GH_TOKEN, GITLAB_TOKEN, PATH for gh and glab), as for CI. */
  env?: NodeJS.ProcessEnv
  /** One transport for every repository, so ETags and rate-limit holds are shared per host. */
  http?: PrHttp
  /** Replaces the token lookup. */
  token?: (target: CiTarget) => TokenSource
  now?: () => number
}

/** The default factory: one client per service and repository, kept so its ETags and token stay warm. */
export function prProviderFactory(options: PrFactoryOptions = {}): PrProviderFactory {
  const http = options.http ?? new PrHttp({ now: options.now })
  const made = new Map<string, PrProvider>()
  return (target) => {
    const key = `${target.provider} ${target.baseUrl} ${target.path}`
    let p = made.get(key)
    if (p) return p
    const apiHost = new URL(target.baseUrl).hostname
    if (target.provider === 'github') {
      const token =
        options.token?.(target) ?? githubToken({ env: options.env, host: apiHost === 'api.github.com' ? 'github.com' : apiHost })
      p = new GithubPulls({ baseUrl: target.baseUrl, owner: target.owner, repo: target.repo, token, http, now: options.now })
    } else {
      const token = options.token?.(target) ?? gitlabToken({ env: options.env, host: apiHost })
      p = new GitlabMergeRequests({ baseUrl: target.baseUrl, path: target.path, token, http, now: options.now })
    }
    made.set(key, p)
    return p
  }
}
