import { execFileSync } from 'node:child_process'
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs'

/** Every path under `dir` (bytes of names kept) with its type, exact mode and bytes or link target. */
export function listing(dir: string, exclude: readonly string[] = []): string[] {
  const skip = new Set(exclude.map((p) => Buffer.from(p).toString('latin1')))
  const out: string[] = []
  const walk = (rel: string) => {
    const full = rel ? Buffer.concat([Buffer.from(dir), Buffer.from(`/${rel}`, 'latin1')]) : Buffer.from(dir)
    const st = lstatSync(full)
    const mode = (st.mode & 0o7777).toString(8)
    const name = JSON.stringify(rel)
    if (st.isSymbolicLink()) out.push(`${name} link ${readlinkSync(full, { encoding: 'buffer' }).toString('base64')}`)
    else if (st.isFile()) out.push(`${name} file ${mode} ${readFileSync(full).toString('base64')}`)
    else if (st.isDirectory()) {
      out.push(`${name} dir ${mode}`)
      for (const n of readdirSync(full, { encoding: 'buffer' })
        .map((b) => b.toString('latin1'))
        .sort()) {
        const child = rel ? `${rel}/${n}` : n
        if (child === '.git' || skip.has(child)) continue
        walk(child)
      }
    } else out.push(`${name} other`)
  }
  walk('')
  return out
}

/** Runs git and returns raw stdout as latin1 text (bytes kept), or `exit <n>` when git fails. */
export function gitRaw(cwd: string, ...args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'latin1', stdio: ['ignore', 'pipe', 'pipe'] })
  } catch (e) {
    return `exit ${(e as { status?: number }).status}`
  }
}

/** What git says about a checkout: status, staged diff, index flags and stages, HEAD. */
export function gitState(wt: string): Record<string, string> {
  return {
    status: gitRaw(wt, 'status', '--porcelain=v2', '-z', '--untracked-files=all'),
    cached: gitRaw(wt, 'diff', '--cached', '--binary'),
    flags: gitRaw(wt, 'ls-files', '-v', '-z'),
    stages: gitRaw(wt, 'ls-files', '-s', '-z'),
    head: gitRaw(wt, 'rev-parse', 'HEAD'),
    branch: gitRaw(wt, 'symbolic-ref', '-q', 'HEAD')
  }
}
