import { execFile } from 'node:child_process'
import { findExecutable } from '../agents/command-lookup'

/** Finds an API token; null when there is none. */
export type TokenSource = () => Promise<string | null>

/** Where to look for a token. */
export interface TokenOptions {
  env?: NodeJS.ProcessEnv
  /** The server's host name, passed to the CLI for enterprise and self-hosted servers. */
  host?: string
  timeoutMs?: number
}

function cliToken(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(file, args, { env, timeout: timeoutMs, windowsHide: true, maxBuffer: 64 * 1024 }, (error, stdout) => {
      const token =
        String(stdout ?? '')
          .trim()
          .split('\n')[0]
          ?.trim() ?? ''
      resolve(error || !token ? null : token)
    })
  })
}

const fromEnv = (env: NodeJS.ProcessEnv, names: string[]): string | null => {
  for (const n of names) if (env[n]?.trim()) return env[n]!.trim()
  return null
}

/** GITHUB_TOKEN, GH_TOKEN (GH_ENTERPRISE_TOKEN first for other hosts), else `gh auth token` when gh is installed. */
export function githubToken(options: TokenOptions = {}): TokenSource {
  const env = options.env ?? process.env
  const host = options.host && options.host !== 'github.com' ? options.host : null
  return async () => {
    const set = fromEnv(
      env,
      host ? ['GH_ENTERPRISE_TOKEN', 'GITHUB_ENTERPRISE_TOKEN', 'GITHUB_TOKEN', 'GH_TOKEN'] : ['GITHUB_TOKEN', 'GH_TOKEN']
    )
    if (set) return set
    const gh = await findExecutable('gh', env)
    return gh ? cliToken(gh, ['auth', 'token', ...(host ? ['--hostname', host] : [])], env, options.timeoutMs ?? 5000) : null
  }
}

/** A GitLab token, and whether it is an OAuth access token (GitLab takes those only as `Authorization: Bearer`). */
export interface GitlabCredential {
  token: string
  oauth: boolean
}

/** Finds a GitLab token (a bare string is classified by its look); null when there is none. */
export type GitlabTokenSource = () => Promise<string | GitlabCredential | null>

/**
 * Whether a token looks like a GitLab OAuth access token: 64 hex digits, as GitLab's OAuth provider
 * issues them. Personal, project and group access tokens start with `glpat-` (or, before GitLab 14.5,
 * are 20 characters), so they never match.
 */
export const looksLikeGitlabOauthToken = (token: string): boolean => /^[0-9a-f]{64}$/i.test(token)

/** A token as a credential: an OAuth one when the source says so or the token looks like one. */
export function gitlabCredentialOf(t: string | GitlabCredential): GitlabCredential {
  return typeof t === 'string'
    ? { token: t, oauth: looksLikeGitlabOauthToken(t) }
    : { token: t.token, oauth: t.oauth || looksLikeGitlabOauthToken(t.token) }
}

/** The headers that carry a GitLab credential: `Authorization: Bearer` for OAuth, `PRIVATE-TOKEN` otherwise. */
export const gitlabAuthHeaders = (c: GitlabCredential): Record<string, string> =>
  c.oauth ? { Authorization: `Bearer ${c.token}` } : { 'PRIVATE-TOKEN': c.token }

/**
 * GITLAB_TOKEN, else `glab config get token --host HOST` when glab is installed. glab's web login
 * stores an OAuth token and marks the host `is_oauth2: true`; such a token is reported as OAuth.
 */
export function gitlabCredential(options: TokenOptions = {}): () => Promise<GitlabCredential | null> {
  const env = options.env ?? process.env
  const host = options.host ?? 'gitlab.com'
  const timeoutMs = options.timeoutMs ?? 5000
  return async () => {
    const set = fromEnv(env, ['GITLAB_TOKEN'])
    if (set) return gitlabCredentialOf(set)
    const glab = await findExecutable('glab', env)
    if (!glab) return null
    const [token, oauth2] = await Promise.all([
      cliToken(glab, ['config', 'get', 'token', '--host', host], env, timeoutMs),
      cliToken(glab, ['config', 'get', 'is_oauth2', '--host', host], env, timeoutMs)
    ])
    return token ? gitlabCredentialOf({ token, oauth: oauth2 === 'true' }) : null
  }
}

/** GITLAB_TOKEN, else `glab config get token --host HOST` when glab is installed (the token alone). */
export function gitlabToken(options: TokenOptions = {}): TokenSource {
  const credential = gitlabCredential(options)
  return async () => (await credential())?.token ?? null
}
