import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { GitRunner } from '../src/main/core/git/git-runner'
import { mergeIntoBase } from '../src/main/core/git/merge-into-base'
import { cleanupTemp, git, makeCore, makeRepo, must, tempDir, writeFile } from './helpers/fixtures'

afterEach(cleanupTemp)

/** A fingerprint of the user's checkout: HEAD, the index file and every working file. */
function fingerprint(repo: string): string {
  const h = createHash('sha256')
  h.update(readFileSync(join(repo, '.git', 'HEAD')))
  h.update(git(repo, 'rev-parse', 'HEAD'))
  h.update(readFileSync(join(repo, '.git', 'index')))
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name === '.git') continue
      const p = join(dir, name)
      if (statSync(p).isDirectory()) walk(p)
      else h.update(p).update(readFileSync(p))
    }
  }
  walk(repo)
  return h.digest('hex')
}

/** A user repo checked out on `dev`, and a thread worktree on skein/t made from main. */
function setup() {
  const repo = makeRepo()
  git(repo, 'checkout', '-q', '-b', 'dev')
  writeFile(join(repo, 'user-wip.txt'), 'the user is working here\n')
  const wt = join(tempDir(), 'wt')
  git(repo, 'worktree', 'add', '-q', '-b', 'skein/t', wt, 'main')
  return { repo, wt }
}

describe('merge into base', () => {
  it('fast-forwards the base branch with refs only', async () => {
    const { repo, wt } = setup()
    writeFile(join(wt, 'feature.txt'), 'feature\n')
    git(wt, 'add', '-A')
    git(wt, 'commit', '-q', '-m', 'feature')
    const before = fingerprint(repo)
    const r = await mergeIntoBase(new GitRunner(), wt, 'main', 'Merge skein/t')
    expect(r).toEqual({ kind: 'fast-forward', commit: git(wt, 'rev-parse', 'HEAD') })
    expect(git(repo, 'rev-parse', 'main')).toBe(git(wt, 'rev-parse', 'HEAD'))
    expect(fingerprint(repo)).toBe(before)
    expect(await mergeIntoBase(new GitRunner(), wt, 'main', 'again')).toEqual({ kind: 'up-to-date' })
  })

  it('merges diverged branches with a merge commit built by merge-tree, leaving the user checkout alone', async () => {
    const { repo, wt } = setup()
    writeFile(join(wt, 'feature.txt'), 'feature\n')
    git(wt, 'add', '-A')
    git(wt, 'commit', '-q', '-m', 'feature')
    const other = join(tempDir(), 'other')
    git(repo, 'worktree', 'add', '-q', other, 'main')
    writeFile(join(other, 'upstream.txt'), 'upstream\n')
    git(other, 'add', '-A')
    git(other, 'commit', '-q', '-m', 'upstream')
    git(repo, 'worktree', 'remove', other)
    const oldMain = git(repo, 'rev-parse', 'main')
    const before = fingerprint(repo)
    const r = await mergeIntoBase(new GitRunner(), wt, 'main', 'Merge skein/t into main')
    expect(r.kind).toBe('merged')
    expect(git(repo, 'rev-parse', 'main^1')).toBe(oldMain)
    expect(git(repo, 'rev-parse', 'main^2')).toBe(git(wt, 'rev-parse', 'HEAD'))
    expect(git(repo, 'ls-tree', '--name-only', 'main').split('\n')).toEqual(expect.arrayContaining(['feature.txt', 'upstream.txt']))
    expect(fingerprint(repo)).toBe(before)
  })

  it('reports conflicts and changes nothing', async () => {
    const { repo, wt } = setup()
    writeFile(join(wt, 'README.md'), '# thread version\n')
    git(wt, 'commit', '-q', '-am', 'thread')
    const other = join(tempDir(), 'other')
    git(repo, 'worktree', 'add', '-q', other, 'main')
    writeFile(join(other, 'README.md'), '# upstream version\n')
    git(other, 'commit', '-q', '-am', 'upstream')
    git(repo, 'worktree', 'remove', other)
    const oldMain = git(repo, 'rev-parse', 'main')
    const before = fingerprint(repo)
    expect(await mergeIntoBase(new GitRunner(), wt, 'main', 'm')).toEqual({ kind: 'conflict', files: ['README.md'] })
    expect(git(repo, 'rev-parse', 'main')).toBe(oldMain)
    expect(fingerprint(repo)).toBe(before)
  })

  it('refuses when the base is checked out, when the thread is dirty, and for a base that is not a branch', async () => {
    const repo = makeRepo()
    const wt = join(tempDir(), 'wt')
    git(repo, 'worktree', 'add', '-q', '-b', 'skein/t', wt, 'main')
    writeFile(join(wt, 'f.txt'), 'x\n')
    git(wt, 'add', '-A')
    git(wt, 'commit', '-q', '-m', 'f')
    const before = fingerprint(repo)
    expect(await mergeIntoBase(new GitRunner(), wt, 'main', 'm')).toEqual({ kind: 'base-checked-out', path: repo })
    expect(fingerprint(repo)).toBe(before)
    writeFile(join(wt, 'wip.txt'), 'uncommitted\n')
    expect(await mergeIntoBase(new GitRunner(), wt, 'main', 'm')).toEqual({ kind: 'dirty', count: 1 })
    expect(await mergeIntoBase(new GitRunner(), wt, 'origin/nope', 'm')).toEqual({ kind: 'not-a-branch', baseRef: 'origin/nope' })
  })

  it('merges a thread through the protocol and explains a checked-out base', async () => {
    const { core } = await makeCore()
    const repoPath = makeRepo()
    const repo = must(await core.repos.add(repoPath))
    const t = must(await core.threads.create({ repoId: repo.id, title: 'merge me', mode: 'worktree' }))
    writeFile(join(t.worktreePath, 'done.txt'), 'done\n')
    git(t.worktreePath, 'add', '-A')
    git(t.worktreePath, 'commit', '-q', '-m', 'done')
    const refused = await core.review.mergeIntoBase(t.id)
    expect(refused.ok).toBe(false)
    if (!refused.ok) expect(refused.error.message).toMatch(/main is checked out in .*never moves a branch under someone's working files/)
    git(repoPath, 'checkout', '-q', '-b', 'elsewhere')
    expect(must(await core.review.mergeIntoBase(t.id))).toMatchObject({ outcome: 'fast-forward' })
    expect(git(repoPath, 'rev-parse', 'main')).toBe(git(t.worktreePath, 'rev-parse', 'HEAD'))
  })
})
