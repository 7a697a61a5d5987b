import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ErrorCode } from '../src/shared/errors'
import { commitAll } from '../src/main/core/git/commit-all'
import { GitRunner } from '../src/main/core/git/git-runner'
import { pushBranch } from '../src/main/core/git/push-branch'
import { rebaseOnto } from '../src/main/core/git/rebase-onto'
import { revertFile } from '../src/main/core/git/revert-file'
import { cleanupTemp, git, makeCore, makeRepo, must, tempDir, writeFile } from './helpers/fixtures'

afterEach(cleanupTemp)
const g = new GitRunner()

function thread() {
  const repo = makeRepo()
  const wt = join(tempDir(), 'wt')
  git(repo, 'worktree', 'add', '-q', '-b', 'skein/t', wt, 'main')
  git(wt, 'config', 'user.name', 'Person')
  git(wt, 'config', 'user.email', 'person@example.com')
  return { repo, wt }
}

describe('git actions in the thread worktree', () => {
  it('stages everything and commits with the message, or says there is nothing to commit', async () => {
    const { wt } = thread()
    expect(await commitAll(g, wt, 'nothing')).toEqual({ kind: 'nothing-to-commit' })
    writeFile(join(wt, 'new.txt'), 'new\n')
    writeFile(join(wt, 'README.md'), '# changed\n')
    const r = await commitAll(g, wt, 'Add new.txt and change the README')
    expect(r.kind).toBe('committed')
    expect(git(wt, 'log', '-1', '--format=%s|%an')).toBe('Add new.txt and change the README|Person')
    expect(git(wt, 'status', '--porcelain')).toBe('')
  })

  it('reverts a tracked file to HEAD and removes a new one', async () => {
    const { wt } = thread()
    writeFile(join(wt, 'README.md'), '# changed\n')
    git(wt, 'add', 'README.md')
    writeFile(join(wt, 'untracked.txt'), 'x\n')
    expect(await revertFile(g, wt, 'README.md')).toEqual({ kind: 'reverted' })
    expect(readFileSync(join(wt, 'README.md'), 'utf8')).toBe('# test repo\n')
    expect(await revertFile(g, wt, 'untracked.txt')).toEqual({ kind: 'removed' })
    expect(existsSync(join(wt, 'untracked.txt'))).toBe(false)
    expect(git(wt, 'status', '--porcelain')).toBe('')
  })

  it('pushes the branch to origin with an upstream, reports a rejection, and a missing remote', async () => {
    const { repo, wt } = thread()
    expect(await pushBranch(g, wt, 'skein/t')).toEqual({ kind: 'no-remote' })
    const remote = join(tempDir(), 'remote.git')
    git(tempDir(), 'init', '-q', '--bare', remote)
    git(repo, 'remote', 'add', 'origin', remote)
    writeFile(join(wt, 'a.txt'), 'a\n')
    await commitAll(g, wt, 'a')
    expect(await pushBranch(g, wt, 'skein/t')).toEqual({ kind: 'pushed', remote: 'origin' })
    expect(git(remote, 'rev-parse', 'skein/t')).toBe(git(wt, 'rev-parse', 'HEAD'))
    expect(git(wt, 'rev-parse', '--abbrev-ref', '@{upstream}')).toBe('origin/skein/t')
    git(wt, 'reset', '-q', '--hard', 'HEAD~1')
    writeFile(join(wt, 'b.txt'), 'b\n')
    await commitAll(g, wt, 'b')
    expect((await pushBranch(g, wt, 'skein/t')).kind).toBe('rejected')
  })

  it('rebases onto the base in the worktree, and aborts a conflicted rebase leaving things as they were', async () => {
    const { repo, wt } = thread()
    writeFile(join(wt, 'mine.txt'), 'mine\n')
    await commitAll(g, wt, 'mine')
    expect(await rebaseOnto(g, wt, 'main')).toEqual({ kind: 'up-to-date' })
    const other = join(tempDir(), 'other')
    git(repo, 'worktree', 'add', '-q', other, '--detach', 'main')
    writeFile(join(other, 'theirs.txt'), 'theirs\n')
    git(other, 'add', '-A')
    git(other, '-c', 'user.name=U', '-c', 'user.email=u@e', 'commit', '-q', '-m', 'theirs')
    git(repo, 'update-ref', 'refs/heads/upstream', git(other, 'rev-parse', 'HEAD'))
    const r = await rebaseOnto(g, wt, 'upstream')
    expect(r.kind).toBe('rebased')
    expect(git(wt, 'log', '--format=%s', '-2')).toBe('mine\ntheirs')

    writeFile(join(other, 'mine.txt'), 'conflicting\n')
    git(other, 'add', '-A')
    git(other, '-c', 'user.name=U', '-c', 'user.email=u@e', 'commit', '-q', '-m', 'clash')
    git(repo, 'update-ref', 'refs/heads/clash', git(other, 'rev-parse', 'HEAD'))
    const head = git(wt, 'rev-parse', 'HEAD')
    expect(await rebaseOnto(g, wt, 'clash')).toEqual({ kind: 'conflict', files: ['mine.txt'] })
    expect(git(wt, 'rev-parse', 'HEAD')).toBe(head)
    expect(git(wt, 'status', '--porcelain')).toBe('')
    writeFile(join(wt, 'mine.txt'), 'dirty\n')
    expect(await rebaseOnto(g, wt, 'main')).toEqual({ kind: 'dirty' })
  })

  it('runs commit, revert and rebase for a thread through the service, refusing a local thread', async () => {
    const { core } = await makeCore()
    const repoPath = makeRepo()
    const repo = must(await core.repos.add(repoPath))
    const t = must(await core.threads.create({ repoId: repo.id, title: 'actions', mode: 'worktree' }))
    git(t.worktreePath, 'config', 'user.name', 'Person')
    git(t.worktreePath, 'config', 'user.email', 'p@example.com')
    writeFile(join(t.worktreePath, 'keep.txt'), 'keep\n')
    writeFile(join(t.worktreePath, 'drop.txt'), 'drop\n')
    expect(must(await core.review.revertFile(t.id, 'drop.txt'))).toEqual({ outcome: 'removed' })
    expect((await core.review.revertFile(t.id, '../x')).ok).toBe(false)
    expect(must(await core.review.commit(t.id, 'keep it')).commit).toBe(git(t.worktreePath, 'rev-parse', 'HEAD'))
    expect(must(await core.review.rebase(t.id))).toEqual({ outcome: 'up-to-date' })
    const pushed = await core.review.push(t.id)
    expect(!pushed.ok && pushed.error.message).toMatch(/no remote to push to/)
    const local = must(await core.threads.create({ repoId: repo.id, title: 'local', mode: 'local' }))
    const refused = await core.review.commit(local.id, 'x')
    expect(!refused.ok && refused.error.message).toMatch(/runs in your own checkout/)
    expect(git(repoPath, 'status', '--porcelain')).toBe('')
  })

  it('explains a detached HEAD, a missing base ref and a vanished worktree, and leaves the work alone', async () => {
    const { core } = await makeCore()
    const repo = must(await core.repos.add(makeRepo()))
    const t = must(await core.threads.create({ repoId: repo.id, title: 'errors', mode: 'worktree' }))
    const wt = t.worktreePath
    writeFile(join(wt, 'work.txt'), 'precious\n')
    git(wt, 'checkout', '-q', '--detach')
    for (const r of [
      await core.review.commit(t.id, 'x'),
      await core.review.mergeIntoBase(t.id),
      await core.review.push(t.id),
      await core.review.rebase(t.id)
    ]) {
      expect(!r.ok && r.error.message).toMatch(/detached HEAD .* not on skein\/.*git switch skein\//)
    }
    git(wt, 'switch', '-q', t.branch!)
    git(wt, 'switch', '-q', '-c', 'elsewhere')
    const other = await core.review.commit(t.id, 'x')
    expect(!other.ok && other.error.message).toMatch(/on elsewhere, not on the thread's branch/)
    expect(readFileSync(join(wt, 'work.txt'), 'utf8')).toBe('precious\n')
    git(wt, 'switch', '-q', t.branch!)

    const bad = must(await core.threads.create({ repoId: repo.id, title: 'bad base', mode: 'worktree' }))
    git(repo.path, 'branch', '-q', 'doomed')
    const onDoomed = must(await core.threads.create({ repoId: repo.id, title: 'doomed', mode: 'worktree', baseRef: 'doomed' }))
    git(repo.path, 'branch', '-q', '-D', 'doomed')
    const missing = await core.review.changes(onDoomed.id, 'base')
    expect(!missing.ok && missing.error).toMatchObject({ code: ErrorCode.BaseRefNotFound })
    expect(!missing.ok && missing.error.message).toMatch(/"doomed" cannot be compared/)
    expect(must(await core.review.changes(bad.id, 'uncommitted')).files).toEqual([])

    rmSync(bad.worktreePath, { recursive: true, force: true })
    for (const r of [
      await core.review.changes(bad.id, 'base'),
      await core.review.file(bad.id, { path: 'README.md', oldPath: null, scope: 'base', force: false }),
      await core.review.commit(bad.id, 'x')
    ]) {
      expect(!r.ok && r.error.message).toMatch(/is gone|has no worktree/)
    }
    await core.close()
  })

  it('reverts a file to the base (a committed change too) and a rename in one step', async () => {
    const { core } = await makeCore()
    const repo = must(await core.repos.add(makeRepo()))
    const t = must(await core.threads.create({ repoId: repo.id, title: 'revert to base', mode: 'worktree' }))
    const wt = t.worktreePath
    git(wt, 'config', 'user.name', 'P')
    git(wt, 'config', 'user.email', 'p@example.com')
    writeFile(join(wt, 'src/app.ts'), 'export const answer = 43\n')
    writeFile(join(wt, 'added.txt'), 'new\n')
    git(wt, 'mv', 'README.md', 'READ.md')
    git(wt, 'add', '-A')
    git(wt, 'commit', '-qm', 'agent work')
    expect(must(await core.review.revertFile(t.id, 'src/app.ts', { scope: 'base' }))).toEqual({ outcome: 'reverted' })
    expect(readFileSync(join(wt, 'src/app.ts'), 'utf8')).toBe('export const answer = 42\n')
    expect(must(await core.review.revertFile(t.id, 'added.txt', { scope: 'base' }))).toEqual({ outcome: 'removed' })
    expect(existsSync(join(wt, 'added.txt'))).toBe(false)
    expect(must(await core.review.revertFile(t.id, 'READ.md', { oldPath: 'README.md', scope: 'base' }))).toEqual({ outcome: 'reverted' })
    expect(existsSync(join(wt, 'READ.md'))).toBe(false)
    expect(readFileSync(join(wt, 'README.md'), 'utf8')).toBe('# test repo\n')
    // Everything the branch changed is undone in the working files; the commit itself is still there.
    expect(must(await core.review.changes(t.id, 'base')).files).toEqual([])
    expect(git(wt, 'log', '-1', '--format=%s')).toBe('agent work')
    await core.close()
  })
})
