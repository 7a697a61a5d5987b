import { createHash } from 'node:crypto'
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { join } from 'node:path'
import { git } from './fixtures'

/** Every file, folder and link under `dir` (not `.git`) with its mode and a hash of its bytes, sorted. */
export function folderListing(dir: string): string[] {
  const out: string[] = []
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = rel ? `${rel}/${name}` : name
      if (path === '.git') continue
      const abs = join(dir, path)
      const st = lstatSync(abs)
      const mode = (st.mode & 0o7777).toString(8)
      if (st.isSymbolicLink()) out.push(`link ${path} -> ${readlinkSync(abs)}`)
      else if (st.isDirectory()) {
        out.push(`dir ${path} ${mode}`)
        walk(path)
      } else out.push(`file ${path} ${mode} ${createHash('sha256').update(readFileSync(abs)).digest('hex').slice(0, 16)}`)
    }
  }
  walk('')
  return out
}

/** A worktree's whole state: files, the index (stages included), what is staged, HEAD, and git's own status. */
export function worktreeState(dir: string): { files: string[]; index: string; staged: string; head: string; status: string } {
  return {
    files: folderListing(dir),
    index: git(dir, 'ls-files', '-s'),
    staged: git(dir, 'diff', '--cached', '--name-status'),
    head: git(dir, 'rev-parse', 'HEAD'),
    status: git(dir, 'status', '--porcelain=v2', '--untracked-files=all')
  }
}
