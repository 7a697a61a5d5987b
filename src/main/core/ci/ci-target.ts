import type { CiProblem, CiProviderOverride, RemoteProviderKind } from '../../../shared/ci'
import { err, ok, type Result } from '../../../shared/result'

/** A remote URL taken apart: the host and the repository's path on it (`owner/repo`, or `group/sub/repo` on GitLab). */
export interface RemoteLocation {
  host: string
  /** The port of an http(s) URL, kept for self-hosted servers on odd ports. */
  port: string | null
  path: string
}

/** Which CI service to ask about a repository, and where its API lives. */
export interface CiTarget extends RemoteLocation {
  provider: RemoteProviderKind
  /** GitHub: the REST root (`https://api.github.com`); GitLab: the server root (`https://gitlab.com`). */
  baseUrl: string
  /** The path's first part and last part (GitHub's owner and repo). */
  owner: string
  repo: string
}

const stripGit = (p: string): string =>
  p
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .replace(/^\/+/, '')

/** Parses https, http, git, ssh:// and scp-like (`git@host:owner/repo.git`) remote URLs; null for local paths and anything else. */
export function parseRemoteUrl(url: string): RemoteLocation | null {
  const text = url.trim()
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/\/)(.+)$/.exec(text)
  // `C:/path` and `C:\path` look scp-like but are Windows paths.
  if (scp && !/^[a-zA-Z]$/.test(scp[1]!)) {
    const path = stripGit(scp[2]!)
    return path.includes('/') ? { host: scp[1]!.toLowerCase(), port: null, path } : null
  }
  let u: URL
  try {
    u = new URL(text)
  } catch {
    return null
  }
  if (!['https:', 'http:', 'ssh:', 'git:', 'git+ssh:', 'ssh+git:'].includes(u.protocol) || !u.hostname) return null
  const path = stripGit(decodeURIComponent(u.pathname))
  if (!path.includes('/')) return null
  const web = u.protocol === 'https:' || u.protocol === 'http:'
  return { host: u.hostname.toLowerCase(), port: web && u.port ? u.port : null, path }
}

const isGithubHost = (h: string): boolean => h === 'github.com' || h === 'www.github.com' || h === 'ssh.github.com'
const isGitlabHost = (h: string): boolean => h === 'gitlab.com' || h.includes('gitlab')

function defaultBase(provider: RemoteProviderKind, loc: RemoteLocation): string {
  const origin = `https://${loc.host}${loc.port ? `:${loc.port}` : ''}`
  if (provider === 'github') return isGithubHost(loc.host) ? 'https://api.github.com' : `${origin}/api/v3`
  return loc.host === 'gitlab.com' ? 'https://gitlab.com' : origin
}

/** Picks the CI service for a remote: an explicit per-repository override wins, else github.com and GitLab hosts are recognised. */
export function resolveCiTarget(remoteUrl: string | null, override?: CiProviderOverride | null): Result<CiTarget, CiProblem> {
  if (!remoteUrl) {
    return err({
      kind: 'no-provider',
      message:
        'This repository has no remote, so there is no CI to show. Add one with `git remote add origin <url>`, or run checks locally.'
    })
  }
  const loc = parseRemoteUrl(remoteUrl)
  if (!loc)
    return err({
      kind: 'no-provider',
      message: `Skein cannot tell which CI service the remote ${remoteUrl} uses. Run checks locally instead.`
    })
  const provider: RemoteProviderKind | null =
    override?.provider ?? (isGithubHost(loc.host) ? 'github' : isGitlabHost(loc.host) ? 'gitlab' : null)
  if (!provider) {
    return err({
      kind: 'no-provider',
      message: `Skein reads CI from GitHub and GitLab, and does not know ${loc.host}. If it runs GitHub Enterprise or GitLab, set the CI provider and its URL in the repository's settings.`
    })
  }
  const parts = loc.path.split('/')
  if (provider === 'github' && parts.length !== 2) {
    return err({
      kind: 'no-provider',
      message: `The remote path ${loc.path} is not owner/repo, so it cannot be a GitHub repository. Set the CI provider in the repository's settings.`
    })
  }
  const baseUrl = (override?.baseUrl ?? defaultBase(provider, loc)).replace(/\/+$/, '')
  return ok({ ...loc, provider, baseUrl, owner: parts[0]!, repo: parts[parts.length - 1]! })
}
