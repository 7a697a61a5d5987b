import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ErrorCode } from '../src/shared/errors'
import { cleanupTemp, git, makeCore, makeRepo, must, tempDir } from './helpers/fixtures'

afterEach(cleanupTemp)

describe('repositories', () => {
  it('gives a clear error naming the path for a missing path, a file, a non-git folder and a bare repository', async () => {
    const { core } = await makeCore()
    const base = tempDir()
    const missing = join(base, 'does-not-exist')
    const file = join(base, 'file.txt')
    writeFileSync(file, 'x')
    const plain = join(base, 'plain')
    mkdirSync(plain)
    const bare = join(base, 'bare.git')
    git(base, 'init', '-q', '--bare', bare)

    const cases = [
      [missing, ErrorCode.PathNotFound, /No folder exists at/],
      [file, ErrorCode.NotADirectory, /is a file, not a folder/],
      [plain, ErrorCode.NotAGitRepository, /is not a git repository/],
      [bare, ErrorCode.BareRepository, /is a bare repository/]
    ] as const
    for (const [path, code, message] of cases) {
      const r = await core.repos.add(path)
      expect(r.ok, path).toBe(false)
      if (!r.ok) {
        expect(r.error.code).toBe(code)
        expect(r.error.message).toMatch(message)
        expect(r.error.message).toContain(path)
      }
    }
    expect(core.repos.list()).toEqual([])
  })

  it('yields the same repo when added twice, through a subfolder, a symlink or a linked worktree', async () => {
    const repoPath = makeRepo('same')
    const { core } = await makeCore()
    const first = must(await core.repos.add(repoPath))
    expect(first.name).toBe('same')
    expect(first.path).toBe(repoPath)
    const link = join(tempDir(), 'link-to-repo')
    symlinkSync(repoPath, link)
    const linked = join(tempDir(), 'linked-wt')
    git(repoPath, 'worktree', 'add', '-q', linked)
    for (const p of [repoPath, `${repoPath}/`, join(repoPath, 'src'), link, join(link, 'src'), linked]) {
      expect(must(await core.repos.add(p)).id, p).toBe(first.id)
    }
    expect(core.repos.list()).toHaveLength(1)
  })

  it('adds several repositories, lists branches for completion, and removes only idle ones', async () => {
    const a = makeRepo('alpha')
    const b = makeRepo('beta')
    git(b, 'branch', 'feature/x')
    const { core } = await makeCore()
    const ra = must(await core.repos.add(a))
    const rb = must(await core.repos.add(b))
    expect(core.repos.list().map((r) => r.name)).toEqual(['alpha', 'beta'])
    const branches = must(await core.repos.branches(rb.id))
    expect(branches.current).toBe('main')
    expect(branches.branches).toEqual(expect.arrayContaining(['main', 'feature/x']))

    const t = must(await core.threads.create({ repoId: ra.id, title: 'busy', mode: 'worktree' }))
    const refused = await core.repos.remove(ra.id)
    expect(refused.ok).toBe(false)
    if (!refused.ok) {
      expect(refused.error.code).toBe(ErrorCode.RepoHasThreads)
      expect(refused.error.message).toMatch(/alpha still has 1 active thread/)
    }
    must(await core.threads.archive(t.id))
    must(await core.repos.remove(ra.id))
    expect(core.repos.list().map((r) => r.name)).toEqual(['beta'])
    // Re-adding brings the same id back, so its archived thread reappears.
    expect(must(await core.repos.add(a)).id).toBe(ra.id)
    expect(core.threads.list({ includeArchived: true }).map((x) => x.id)).toContain(t.id)
  })

  it('expands ~ and rejects an empty repo id for branches', async () => {
    const { core } = await makeCore()
    const r = await core.repos.branches('nope')
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.code).toBe(ErrorCode.RepoNotFound)
  })
})
