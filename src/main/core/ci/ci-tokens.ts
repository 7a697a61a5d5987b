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

/** GITLAB_TOKEN, else `glab config get token --host HOST` when glab is installed. */
export function gitlabToken(options: TokenOptions = {}): TokenSource {
  const env = options.env ?? process.env
  return async () => {
    const set = fromEnv(env, ['GITLAB_TOKEN'])
    if (set) return set
    const glab = await findExecutable('glab', env)
    return glab ? cliToken(glab, ['config', 'get', 'token', '--host', options.host ?? 'gitlab.com'], env, options.timeoutMs ?? 5000) : null
  }
}
