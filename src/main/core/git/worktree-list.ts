import type { GitRunner } from './git-runner'

/** One entry of `git worktree list --porcelain`. */
export interface WorktreeEntry {
  path: string
  head: string | null
  branch: string | null
  bare: boolean
  prunable: boolean
}

/** Lists the repository's worktrees, the main checkout first. */
export async function listWorktrees(git: GitRunner, repoRoot: string): Promise<WorktreeEntry[]> {
  const out = await git.run(repoRoot, ['worktree', 'list', '--porcelain'])
  const entries: WorktreeEntry[] = []
  for (const block of out.split('\n\n')) {
    const lines = block.split('\n').filter(Boolean)
    const pathLine = lines.find((l) => l.startsWith('worktree '))
    if (!pathLine) continue
    const value = (key: string) => lines.find((l) => l.startsWith(`${key} `))?.slice(key.length + 1) ?? null
    entries.push({
      path: pathLine.slice('worktree '.length),
      head: value('HEAD'),
      branch: value('branch')?.replace(/^refs\/heads\//, '') ?? null,
      bare: lines.includes('bare'),
      prunable: lines.some((l) => l === 'prunable' || l.startsWith('prunable '))
    })
  }
  return entries
}
