import { CiHttp } from './ci-http'
import type { CiProvider } from './ci-provider'
import type { CiTarget } from './ci-target'
import { githubToken, gitlabCredential, type TokenSource } from './ci-tokens'
import { GithubProvider } from './github-provider'
import { GitlabProvider } from './gitlab-provider'

/** Builds (or reuses) the provider for a CI target. */
export type ProviderFactory = (target: CiTarget) => CiProvider

/** How providers find tokens and make requests. */
export interface ProviderFactoryOptions {
  /** Where tokens come from (GITHUB_TOKEN, GH_TOKEN, GITLAB_TOKEN, PATH for gh and glab). */
  env?: NodeJS.ProcessEnv
  /** One client for all providers, so conditional-request caches and rate-limit pauses are shared. */
  http?: CiHttp
  /** Replaces the token lookup, e.g. with a token the person entered in Skein (a GitLab OAuth token is told by its look). */
  token?: (target: CiTarget) => TokenSource
}

/** The default factory: one provider per repository and server, kept so its ETags and token stay warm. */
export function providerFactory(options: ProviderFactoryOptions = {}): ProviderFactory {
  const http = options.http ?? new CiHttp()
  const made = new Map<string, CiProvider>()
  return (target) => {
    const key = `${target.provider} ${target.baseUrl} ${target.path}`
    let p = made.get(key)
    if (p) return p
    const apiHost = new URL(target.baseUrl).hostname
    if (target.provider === 'github') {
      // GitHub Enterprise's REST root lives on the server's own host.
      const token =
        options.token?.(target) ?? githubToken({ env: options.env, host: apiHost === 'api.github.com' ? 'github.com' : apiHost })
      p = new GithubProvider({ baseUrl: target.baseUrl, owner: target.owner, repo: target.repo, token, http })
    } else {
      const token = options.token?.(target) ?? gitlabCredential({ env: options.env, host: apiHost })
      p = new GitlabProvider({ baseUrl: target.baseUrl, path: target.path, token, http })
    }
    made.set(key, p)
    return p
  }
}
