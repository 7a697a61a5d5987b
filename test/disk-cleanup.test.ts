import { execFileSync } from 'node:child_process'
import { appendFileSync, existsSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, utimesSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { CleanupCandidate } from '../src/shared/disk'
import { planCleanup, runCleanup, type CleanupDeps } from '../src/main/core/disk/disk-cleanup'
import { GitRunner } from '../src/main/core/git/git-runner'
import { cleanupTemp, git, makeCore, makeRepo, must, tempDir, writeFile } from './helpers/fixtures'

afterEach(cleanupTemp)

type Core = Awaited<ReturnType<typeof makeCore>>['core']

const deps = (core: Core): CleanupDeps => ({
  git: new GitRunner(),
  dataDir: core.dataDir,
  repos: () => core.repos.list(),
  threads: () => core.threads.list({ includeArchived: true }),
  sharedFolders: (id) => core.disk.sharedFolders(id),
  linkedShared: (id) => core.disk.linkedShared(id)
})

/** An archived thread whose worktree folder is back on disk exactly as archived: a leftover, as a failed removal leaves. */
async function leftover(title = 'done work') {
  const made = await makeCore()
  const repoPath = makeRepo()
  const repo = must(await made.core.repos.add(repoPath))
  const t = must(await made.core.threads.create({ repoId: repo.id, title, mode: 'worktree' }))
  const wt = t.worktreePath
  writeFile(join(wt, '.gitignore'), '.env\n')
  writeFile(join(wt, '.env'), 'TOKEN=only-here\n')
  writeFile(join(wt, 'src', 'app.ts'), 'export const answer = 43\n')
  git(wt, 'add', 'src/app.ts')
  const copy = join(tempDir(), 'copy')
  execFileSync('cp', ['-a', wt, copy])
  must(await made.core.threads.archive(t.id))
  expect(existsSync(wt)).toBe(false)
  execFileSync('cp', ['-a', copy, wt])
  return { ...made, repo, repoPath, t, wt }
}

const find = (plan: CleanupCandidate[], path: string) => plan.find((c) => c.path === path)

describe('cleanup removes only what a verified snapshot holds', () => {
  it('an archived thread’s leftover folder that matches its snapshot is removable, is removed, and the thread still restores', async () => {
    const { core, repo, t, wt } = await leftover()
    const plan = await planCleanup(deps(core), repo.id)
    expect(find(plan, wt)).toMatchObject({ kind: 'archived-worktree', threadId: t.id, title: 'done work', removable: true })
    expect(find(plan, wt)!.reason).toContain('verified snapshot')
    expect(find(plan, wt)!.bytes).toBeGreaterThan(0)
    const out = await runCleanup(deps(core), [wt])
    expect(out.removed.map((r) => r.path)).toEqual([wt])
    expect(existsSync(wt)).toBe(false)
    must(await core.threads.restore(t.id))
    expect(readFileSync(join(wt, '.env'), 'utf8')).toBe('TOKEN=only-here\n')
  })

  it('attack: an uncommitted change that is in no snapshot keeps the folder, and says which file', async () => {
    const { core, repo, wt } = await leftover()
    appendFileSync(join(wt, '.env'), 'SECOND=added after the archive\n')
    const plan = await planCleanup(deps(core), repo.id)
    expect(find(plan, wt)).toMatchObject({ removable: false })
    expect(find(plan, wt)!.reason).toContain(`${wt}/.env is not in the snapshot`)
    const out = await runCleanup(deps(core), [wt])
    expect(out.removed).toEqual([])
    expect(out.kept[0]!.reason).toContain('.env')
    expect(readFileSync(join(wt, '.env'), 'utf8')).toContain('SECOND=added after the archive')
  })

  it('attack: a new untracked file, a new empty folder, or a changed mode keeps it', async () => {
    for (const change of ['file', 'folder', 'mode'] as const) {
      const { core, repo, wt } = await leftover()
      if (change === 'file') writeFile(join(wt, 'notes.md'), 'new idea\n')
      if (change === 'folder') mkdirSync(join(wt, 'empty-but-mine'))
      if (change === 'mode') execFileSync('chmod', ['755', join(wt, 'src', 'app.ts')])
      const c = find(await planCleanup(deps(core), repo.id), wt)!
      expect(c.removable, change).toBe(false)
    }
  })

  it('attack: the folder changes between the plan and the run, so the run keeps it', async () => {
    const { core, repo, wt } = await leftover()
    expect(find(await planCleanup(deps(core), repo.id), wt)!.removable).toBe(true)
    writeFile(join(wt, 'src', 'late.ts'), 'export {}\n')
    const out = await runCleanup(deps(core), [wt])
    expect(out.removed).toEqual([])
    expect(existsSync(join(wt, 'src', 'late.ts'))).toBe(true)
  })

  it('attack: a leftover whose snapshot ref is gone, or a folder of no known thread, is kept', async () => {
    const { core, repo, repoPath, t, wt } = await leftover()
    git(repoPath, 'update-ref', '-d', `refs/skein/snapshots/${t.id}`)
    const stranger = join(core.dataDir.repoWorktrees(repo.id), 'not-skeins')
    writeFile(join(stranger, 'precious.txt'), 'mine\n')
    const plan = await planCleanup(deps(core), repo.id)
    expect(find(plan, wt)).toMatchObject({ removable: false })
    expect(find(plan, wt)!.reason).toContain('no snapshot holds')
    expect(find(plan, stranger)).toMatchObject({ kind: 'orphan-worktree', removable: false })
    const out = await runCleanup(deps(core), [wt, stranger])
    expect(out.removed).toEqual([])
    expect(existsSync(join(stranger, 'precious.txt'))).toBe(true)
  })

  it('attack: paths that are not leftovers (a live worktree, the repository, anything else) are never removed', async () => {
    const { core, repo, repoPath } = await leftover()
    const live = must(await core.threads.create({ repoId: repo.id, title: 'live one', mode: 'worktree' }))
    const outside = tempDir()
    writeFile(join(outside, 'x'), 'x')
    const out = await runCleanup(deps(core), [live.worktreePath, repoPath, outside, join(core.dataDir.repoWorktrees(repo.id), '..')])
    expect(out.removed).toEqual([])
    expect(out.kept).toHaveLength(4)
    for (const p of [live.worktreePath, repoPath, join(outside, 'x')]) expect(existsSync(p)).toBe(true)
  })

  it('removing a leftover never follows its link into a shared folder', async () => {
    const { core, repo } = await leftover()
    // The snapshot has to hold the link for the folder to be removable: archive a thread that has one.
    const shared = join(core.dataDir.repoShared(repo.id), 'node_modules')
    writeFile(join(shared, 'dep', 'index.js'), 'module.exports = 1\n')
    const again = must(await core.threads.create({ repoId: repo.id, title: 'linked', mode: 'worktree' }))
    symlinkSync(shared, join(again.worktreePath, 'node_modules'))
    const copy = join(tempDir(), 'copy')
    execFileSync('cp', ['-a', again.worktreePath, copy])
    must(await core.threads.archive(again.id))
    execFileSync('cp', ['-a', copy, again.worktreePath])
    expect(readlinkSync(join(again.worktreePath, 'node_modules'))).toBe(shared)
    const out = await runCleanup(deps(core), [again.worktreePath])
    expect(out.removed.map((r) => r.path)).toEqual([again.worktreePath])
    expect(readFileSync(join(shared, 'dep', 'index.js'), 'utf8')).toBe('module.exports = 1\n')
  })
})

describe('stale shared folders', () => {
  it('a shared folder no live worktree links to is removable once it has been still for 10 minutes; a linked or fresh one is not', async () => {
    const made = await makeCore()
    const repo = must(await made.core.repos.add(makeRepo()))
    const store = made.core.dataDir.repoShared(repo.id)
    const used = join(store, 'node_modules-a')
    const stale = join(store, 'node_modules-old')
    const fresh = join(store, 'venv-new')
    for (const p of [used, stale, fresh]) writeFile(join(p, 'pkg', 'f.js'), 'x'.repeat(10_000))
    const hourAgo = (Date.now() - 3600_000) / 1000
    for (const p of [used, stale]) utimesSync(p, hourAgo, hourAgo)
    const t = must(await made.core.threads.create({ repoId: repo.id, title: 'uses a', mode: 'worktree' }))
    symlinkSync(used, join(t.worktreePath, 'node_modules'))
    const plan = await planCleanup(deps(made.core), repo.id)
    expect(find(plan, used)).toBeUndefined()
    expect(find(plan, stale)).toMatchObject({ kind: 'stale-shared', removable: true })
    expect(find(plan, fresh)).toMatchObject({ kind: 'stale-shared', removable: false })
    const out = await runCleanup(deps(made.core), [stale, fresh, used])
    expect(out.removed.map((r) => r.path)).toEqual([stale])
    expect(existsSync(stale)).toBe(false)
    expect(existsSync(join(used, 'pkg', 'f.js'))).toBe(true)
    expect(existsSync(fresh)).toBe(true)
  })
})
