import { existsSync, readFileSync, readdirSync, statSync, rmSync, mkdirSync, symlinkSync, lstatSync, readlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ErrorCode } from '../src/shared/errors'
import type { Thread } from '../src/shared/models'
import { cleanupTemp, git, makeCore, makeRepo, must, tempDir, writeFile } from './helpers/fixtures'

afterEach(cleanupTemp)

/** Every file under `dir` (except .git) with its bytes and mode, for byte-for-byte comparison. */
function snapshotFiles(dir: string): Record<string, { bytes: string; mode: number; link?: string }> {
  const out: Record<string, { bytes: string; mode: number; link?: string }> = {}
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel))) {
      if (rel === '' && name === '.git') continue
      const r = rel ? `${rel}/${name}` : name
      const full = join(dir, r)
      const st = lstatSync(full)
      if (st.isSymbolicLink()) out[r] = { bytes: '', mode: 0, link: readlinkSync(full) }
      else if (st.isDirectory()) walk(r)
      else out[r] = { bytes: readFileSync(full).toString('base64'), mode: st.mode & 0o777 }
    }
  }
  walk('')
  return out
}

describe('threads', () => {
  it('creates a worktree thread on skein/<slug> from the current HEAD branch, outside the repo', async () => {
    const repoPath = makeRepo('alpha')
    const { core, home } = await makeCore()
    const repo = must(await core.repos.add(repoPath))
    const updates: Thread[] = []
    core.bus.subscribe((name, p) => name === 'thread/updated' && updates.push((p as { thread: Thread }).thread))

    const t = must(await core.threads.create({ repoId: repo.id, title: 'Fix the login bug!', mode: 'worktree' }))
    expect(t.slug).toBe('fix-the-login-bug')
    expect(t.branch).toBe('skein/fix-the-login-bug')
    expect(t.baseRef).toBe('main')
    expect(t.status).toBe('idle')
    expect(t.worktreePath).toBe(join(home, 'worktrees', repo.id, 'fix-the-login-bug'))
    expect(readFileSync(join(t.worktreePath, 'src/app.ts'), 'utf8')).toBe('export const answer = 42\n')
    expect(git(t.worktreePath, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('skein/fix-the-login-bug')
    expect(git(repoPath, 'rev-parse', 'skein/fix-the-login-bug')).toBe(git(repoPath, 'rev-parse', 'main'))
    // The user's own checkout is untouched.
    expect(git(repoPath, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main')
    expect(git(repoPath, 'status', '--porcelain')).toBe('')
    expect(updates.map((u) => u.id)).toContain(t.id)
  })

  it('creates 20 threads with the same title in one repository without collisions', async () => {
    const repoPath = makeRepo()
    const { core } = await makeCore()
    const repo = must(await core.repos.add(repoPath))
    const made = await Promise.all(
      Array.from({ length: 20 }, () => core.threads.create({ repoId: repo.id, title: 'Same title', mode: 'worktree' }))
    )
    const threads = made.map(must)
    expect(new Set(threads.map((t) => t.id)).size).toBe(20)
    expect(new Set(threads.map((t) => t.slug)).size).toBe(20)
    expect(new Set(threads.map((t) => t.branch)).size).toBe(20)
    expect(new Set(threads.map((t) => t.worktreePath)).size).toBe(20)
    for (const t of threads) {
      expect(existsSync(join(t.worktreePath, 'README.md'))).toBe(true)
      expect(git(t.worktreePath, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe(t.branch)
    }
    const branches = git(repoPath, 'branch', '--list', 'skein/*', '--format=%(refname:short)').split('\n')
    expect(branches).toHaveLength(20)
    expect(core.threads.list({ repoId: repo.id })).toHaveLength(20)
  })

  it('never reuses a branch name that already exists in the repository', async () => {
    const repoPath = makeRepo()
    git(repoPath, 'branch', 'skein/taken')
    const { core } = await makeCore()
    const repo = must(await core.repos.add(repoPath))
    const t = must(await core.threads.create({ repoId: repo.id, title: 'taken', mode: 'worktree' }))
    expect(t.branch).toBe('skein/taken-2')
    expect(git(repoPath, 'rev-parse', 'skein/taken')).toBe(git(repoPath, 'rev-parse', 'main'))
  })

  it('reports a base ref that does not exist in the thread status, and keeps serving', async () => {
    const repoPath = makeRepo()
    const { core } = await makeCore()
    const repo = must(await core.repos.add(repoPath))
    const t = must(await core.threads.create({ repoId: repo.id, title: 'bad base', baseRef: 'no-such-branch', mode: 'worktree' }))
    expect(t.status).toBe('error')
    expect(t.statusMessage).toMatch(/Base ref "no-such-branch" does not exist/)
    expect(existsSync(t.worktreePath)).toBe(true) // the repo itself: nothing was created elsewhere
    expect(git(repoPath, 'branch', '--list', 'skein/*')).toBe('')
    const opt = must(await core.threads.create({ repoId: repo.id, title: 'option', baseRef: '--upload-pack=evil', mode: 'worktree' }))
    expect(opt.status).toBe('error')
    const good = must(await core.threads.create({ repoId: repo.id, title: 'good', mode: 'worktree' }))
    expect(good.status).toBe('idle')
  })

  it('archives and restores with uncommitted, untracked and unpushed work coming back byte-for-byte', async () => {
    const repoPath = makeRepo()
    const { core } = await makeCore()
    const repo = must(await core.repos.add(repoPath))
    const t = must(await core.threads.create({ repoId: repo.id, title: 'work', mode: 'worktree' }))
    const wt = t.worktreePath
    // Unpushed commit on the thread branch.
    writeFile(join(wt, 'committed.txt'), 'committed on the branch\n')
    git(wt, 'add', 'committed.txt')
    git(wt, 'commit', '-q', '-m', 'agent commit')
    const commit = git(wt, 'rev-parse', 'HEAD')
    // Staged change, then a further unstaged change to the same file.
    writeFile(join(wt, 'README.md'), '# staged\n')
    git(wt, 'add', 'README.md')
    writeFile(join(wt, 'README.md'), '# staged then edited\n')
    // Unstaged edit, deletion, untracked files (text, binary, nested, executable, symlink).
    writeFile(join(wt, 'src/app.ts'), 'export const answer = 43\n')
    rmSync(join(wt, 'committed.txt'))
    writeFile(join(wt, 'notes/todo.md'), 'untracked\n')
    writeFile(join(wt, 'bin.dat'), Buffer.from([0, 1, 2, 255, 254, 10, 13, 0]))
    writeFile(join(wt, 'run.sh'), '#!/bin/sh\necho hi\n')
    require('node:fs').chmodSync(join(wt, 'run.sh'), 0o755)
    symlinkSync('notes/todo.md', join(wt, 'link-to-todo'))
    const before = snapshotFiles(wt)
    const statusBefore = git(wt, 'status', '--porcelain')

    const archived = must(await core.threads.archive(t.id))
    expect(archived.status).toBe('archived')
    expect(archived.snapshotRef).toBe(`refs/skein/snapshots/${t.id}`)
    expect(existsSync(wt)).toBe(false)
    expect(git(repoPath, 'rev-parse', '--verify', `refs/skein/snapshots/${t.id}`)).toMatch(/^[0-9a-f]{40}$/)
    expect(git(repoPath, 'worktree', 'list')).not.toContain(wt)
    expect(core.threads.list().map((x) => x.id)).not.toContain(t.id)
    expect(core.threads.list({ includeArchived: true }).map((x) => x.id)).toContain(t.id)

    const restored = must(await core.threads.restore(t.id))
    expect(restored.status).toBe('idle')
    expect(restored.archivedAt).toBeNull()
    expect(snapshotFiles(wt)).toEqual(before)
    expect(git(wt, 'rev-parse', 'HEAD')).toBe(commit)
    expect(git(wt, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('skein/work')
    expect(git(wt, 'status', '--porcelain')).toBe(statusBefore)
    expect(git(wt, 'show', ':README.md')).toBe('# staged')
  })

  it('restores even when the thread branch was deleted while archived', async () => {
    const repoPath = makeRepo()
    const { core } = await makeCore()
    const repo = must(await core.repos.add(repoPath))
    const t = must(await core.threads.create({ repoId: repo.id, title: 'gone branch', mode: 'worktree' }))
    writeFile(join(t.worktreePath, 'a.txt'), 'A\n')
    git(t.worktreePath, 'add', 'a.txt')
    git(t.worktreePath, 'commit', '-q', '-m', 'a')
    writeFile(join(t.worktreePath, 'b.txt'), 'B untracked\n')
    must(await core.threads.archive(t.id))
    git(repoPath, 'branch', '-D', 'skein/gone-branch')
    must(await core.threads.restore(t.id))
    expect(readFileSync(join(t.worktreePath, 'a.txt'), 'utf8')).toBe('A\n')
    expect(readFileSync(join(t.worktreePath, 'b.txt'), 'utf8')).toBe('B untracked\n')
    expect(git(t.worktreePath, 'log', '-1', '--format=%s')).toBe('a')
  })

  it('refuses to remove a worktree Skein did not create, and leaves it intact', async () => {
    const repoPath = makeRepo()
    const { core, home } = await makeCore()
    const repo = must(await core.repos.add(repoPath))
    const t = must(await core.threads.create({ repoId: repo.id, title: 'mine', mode: 'worktree' }))
    // Replace the thread's worktree with one the user made by hand at the same path.
    git(repoPath, 'worktree', 'remove', '--force', t.worktreePath)
    git(repoPath, 'worktree', 'add', '-q', '-b', 'users-own', t.worktreePath)
    writeFile(join(t.worktreePath, 'precious.txt'), 'do not delete\n')
    const archived = await core.threads.archive(t.id)
    expect(archived.ok).toBe(false)
    if (!archived.ok) {
      expect(archived.error.code).toBe(ErrorCode.NotSkeinWorktree)
      expect(archived.error.message).toContain(t.worktreePath)
    }
    const deleted = await core.threads.delete(t.id)
    expect(deleted.ok).toBe(false)
    expect(readFileSync(join(t.worktreePath, 'precious.txt'), 'utf8')).toBe('do not delete\n')

    // A local thread runs in the user's checkout: archiving it never removes anything.
    const local = must(await core.threads.create({ repoId: repo.id, title: 'investigate', mode: 'local' }))
    expect(local.worktreePath).toBe(repoPath)
    expect(must(await core.threads.archive(local.id)).status).toBe('archived')
    expect(existsSync(join(repoPath, 'README.md'))).toBe(true)
    expect(existsSync(join(home, 'worktrees', repo.id, 'investigate'))).toBe(false)
    expect(lstatSync(repoPath).isDirectory()).toBe(true)
  })

  it('refuses a worktree outside SKEIN_HOME even if it carries a matching mark', async () => {
    const repoPath = makeRepo()
    const { core } = await makeCore()
    const repo = must(await core.repos.add(repoPath))
    const t = must(await core.threads.create({ repoId: repo.id, title: 'outside', mode: 'worktree' }))
    const elsewhere = join(tempDir(), 'elsewhere')
    git(repoPath, 'worktree', 'move', t.worktreePath, elsewhere)
    mkdirSync(t.worktreePath, { recursive: true })
    symlinkSync(elsewhere, join(t.worktreePath, '..', 'outside-link'))
    const wm = (core.threads as unknown as { worktrees: { isOwned(p: string, id: string): Promise<boolean> } }).worktrees
    expect(await wm.isOwned(elsewhere, t.id)).toBe(false)
    expect(await wm.isOwned(join(t.worktreePath, '..', 'outside-link'), t.id)).toBe(false)
  })

  it('reports a worktree deleted behind its back and recreates it from the branch on restore', async () => {
    const repoPath = makeRepo()
    const home = tempDir('skein-home-')
    const first = await makeCore(home)
    const repo = must(await first.core.repos.add(repoPath))
    const t = must(await first.core.threads.create({ repoId: repo.id, title: 'vanishing', mode: 'worktree' }))
    writeFile(join(t.worktreePath, 'kept.txt'), 'kept\n')
    git(t.worktreePath, 'add', 'kept.txt')
    git(t.worktreePath, 'commit', '-q', '-m', 'kept')
    await first.core.close()
    rmSync(t.worktreePath, { recursive: true, force: true })

    const second = await makeCore(home)
    const seen = must(await second.core.threads.get(t.id))
    expect(seen.status).toBe('error')
    expect(seen.statusMessage).toContain('was deleted outside Skein')
    expect(seen.statusMessage).toContain('skein/vanishing')
    const back = must(await second.core.threads.restore(t.id))
    expect(back.status).toBe('idle')
    expect(readFileSync(join(t.worktreePath, 'kept.txt'), 'utf8')).toBe('kept\n')
  })

  it('notices at once, without polling, when a worktree is deleted while the core runs', async () => {
    const repoPath = makeRepo()
    const { core } = await makeCore()
    const repo = must(await core.repos.add(repoPath))
    const t = must(await core.threads.create({ repoId: repo.id, title: 'deleted live', mode: 'worktree' }))
    const other = must(await core.threads.create({ repoId: repo.id, title: 'untouched', mode: 'worktree' }))
    const flagged = new Promise<Thread>((resolve) =>
      core.bus.subscribe((name, p) => {
        const u = (p as { thread?: Thread }).thread
        if (name === 'thread/updated' && u?.id === t.id && u.status === 'error') resolve(u)
      })
    )
    rmSync(t.worktreePath, { recursive: true, force: true })
    const u = await flagged
    expect(u.statusMessage).toContain('was deleted outside Skein')
    expect(core.threads.list().find((x) => x.id === other.id)?.status).toBe('idle')
  })

  it('renames, deletes (saving a snapshot first) and keeps everything across a restart', async () => {
    const repoPath = makeRepo()
    const home = tempDir('skein-home-')
    const first = await makeCore(home)
    const repo = must(await first.core.repos.add(repoPath))
    const a = must(await first.core.threads.create({ repoId: repo.id, title: 'first', mode: 'worktree' }))
    const b = must(await first.core.threads.create({ repoId: repo.id, title: 'second', mode: 'worktree' }))
    const c = must(await first.core.threads.create({ repoId: repo.id, title: 'third', mode: 'worktree' }))
    expect(must(await first.core.threads.rename(a.id, 'First, renamed')).title).toBe('First, renamed')
    must(await first.core.threads.archive(b.id))
    writeFile(join(c.worktreePath, 'unsaved.txt'), 'unsaved work\n')
    must(await first.core.threads.delete(c.id))
    expect(existsSync(c.worktreePath)).toBe(false)
    expect(git(repoPath, 'show', `refs/skein/snapshots/${c.id}:unsaved.txt`)).toBe('unsaved work')
    await first.core.close()

    const second = await makeCore(home)
    const all = second.core.threads.list({ includeArchived: true })
    expect(all.map((t) => t.id).sort()).toEqual([a.id, b.id].sort())
    expect(all.find((t) => t.id === a.id)?.title).toBe('First, renamed')
    expect(all.find((t) => t.id === b.id)?.status).toBe('archived')
    expect(second.core.repos.list().map((r) => r.id)).toEqual([repo.id])
    expect(statSync(join(home, 'threads', 'index.json')).isFile()).toBe(true)
  })

  it('reports a full disk as a clear error and changes nothing', async () => {
    const repoPath = makeRepo()
    const { core, home } = await makeCore()
    const repo = must(await core.repos.add(repoPath))
    const t = must(await core.threads.create({ repoId: repo.id, title: 'disk', mode: 'worktree' }))
    const log = join(home, 'threads', t.id, 'events.jsonl')
    const saved = readFileSync(log)
    rmSync(log)
    symlinkSync('/dev/full', log) // every write to /dev/full fails with ENOSPC
    const r = await core.threads.rename(t.id, 'new name')
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.code).toBe(ErrorCode.StorageFailed)
      expect(r.error.message).toMatch(/disk is full/)
    }
    expect(must(await core.threads.get(t.id)).title).toBe('disk')
    rmSync(log)
    require('node:fs').writeFileSync(log, saved)
    expect(must(await core.threads.rename(t.id, 'new name')).title).toBe('new name')
  })
})
