import { createHash } from 'node:crypto'
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { GitRunner } from '../src/main/core/git/git-runner'
import { mergeIntoBase } from '../src/main/core/git/merge-into-base'
import { mergePreview } from '../src/main/core/git/merge-preview'
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
    expect(r).toEqual({ kind: 'fast-forward', commit: git(wt, 'rev-parse', 'HEAD'), where: 'ref' })
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

  it('refuses when the thread is dirty, and for a base that is not a branch', async () => {
    const { repo, wt } = setup()
    writeFile(join(wt, 'f.txt'), 'x\n')
    git(wt, 'add', '-A')
    git(wt, 'commit', '-q', '-m', 'f')
    const before = fingerprint(repo)
    writeFile(join(wt, 'wip.txt'), 'uncommitted\n')
    expect(await mergeIntoBase(new GitRunner(), wt, 'main', 'm')).toEqual({ kind: 'dirty', count: 1 })
    expect(await mergeIntoBase(new GitRunner(), wt, 'origin/nope', 'm')).toEqual({ kind: 'not-a-branch', baseRef: 'origin/nope' })
    expect(fingerprint(repo)).toBe(before)
  })
})

/** A user repo checked out on main (the common case), and a thread worktree on skein/t made from main. */
function onMain() {
  const repo = makeRepo()
  const wt = join(tempDir(), 'wt')
  git(repo, 'worktree', 'add', '-q', '-b', 'skein/t', wt, 'main')
  return { repo, wt }
}

function commit(dir: string, files: Record<string, string>, message: string): string {
  for (const [name, text] of Object.entries(files)) writeFile(join(dir, name), text)
  git(dir, 'add', '-A')
  git(dir, 'commit', '-q', '-m', message)
  return git(dir, 'rev-parse', 'HEAD')
}

/** Everything about a checkout that a refused merge must leave alone. */
function state(repo: string) {
  return {
    status: git(repo, 'status', '--porcelain=v1', '--untracked-files=all', '--ignored'),
    head: git(repo, 'rev-parse', 'HEAD'),
    main: git(repo, 'rev-parse', 'main'),
    print: fingerprint(repo),
    mergeHead: existsSync(join(repo, '.git', 'MERGE_HEAD'))
  }
}

describe("merge into a base that is checked out in the person's repository", () => {
  it('previews commits, files with counts, fast-forward and where it would run, changing nothing', async () => {
    const { repo, wt } = onMain()
    commit(wt, { 'feature.txt': 'a\nb\n', 'src/app.ts': 'export const answer = 43\n' }, 'feature: add file')
    const second = commit(wt, { 'feature.txt': 'a\nb\nc\n' }, 'feature: more')
    git(wt, 'rm', '-q', 'README.md')
    git(wt, 'commit', '-q', '-m', 'drop readme')
    const before = state(repo)
    const p = await mergePreview(new GitRunner(), wt, 'main')
    if (p.kind !== 'plan') throw new Error('expected a plan')
    expect(p.plan).toMatchObject({
      upToDate: false,
      merged: false,
      fastForward: true,
      conflicts: [],
      checkedOutIn: repo,
      localChanges: [],
      checkoutBusy: null,
      base: before.main,
      moreCommits: 0
    })
    expect(p.plan.commits.map((c) => c.subject)).toEqual(['drop readme', 'feature: more', 'feature: add file'])
    expect(p.plan.commits[1]).toEqual({ sha: second, short: git(wt, 'rev-parse', '--short', second), subject: 'feature: more' })
    expect(p.plan.files).toEqual([
      { path: 'README.md', status: 'deleted', additions: 0, deletions: 1 },
      { path: 'feature.txt', status: 'added', additions: 3, deletions: 0 },
      { path: 'src/app.ts', status: 'modified', additions: 1, deletions: 1 }
    ])
    expect(state(repo)).toEqual(before)
  })

  it('fast-forwards with git merge --ff-only in the clean checkout: files updated and HEAD moved', async () => {
    const { repo, wt } = onMain()
    const head = commit(wt, { 'feature.txt': 'feature\n', 'src/app.ts': 'export const answer = 43\n' }, 'feature')
    const r = await mergeIntoBase(new GitRunner(), wt, 'main', 'Merge skein/t')
    expect(r).toEqual({ kind: 'fast-forward', commit: head, where: repo })
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head)
    expect(git(repo, 'symbolic-ref', 'HEAD')).toBe('refs/heads/main')
    expect(readFileSync(join(repo, 'feature.txt'), 'utf8')).toBe('feature\n')
    expect(readFileSync(join(repo, 'src', 'app.ts'), 'utf8')).toBe('export const answer = 43\n')
    expect(git(repo, 'status', '--porcelain')).toBe('')
    const after = await mergePreview(new GitRunner(), wt, 'main')
    expect(after.kind === 'plan' && after.plan).toMatchObject({ upToDate: true, merged: true })
  })

  it('makes a merge commit with git merge --no-ff when main moved on, in the checkout', async () => {
    const { repo, wt } = onMain()
    const head = commit(wt, { 'feature.txt': 'feature\n' }, 'feature')
    const upstream = commit(repo, { 'upstream.txt': 'upstream\n' }, 'upstream')
    const p = await mergePreview(new GitRunner(), wt, 'main')
    expect(p.kind === 'plan' && p.plan).toMatchObject({
      fastForward: false,
      conflicts: [],
      files: [{ path: 'feature.txt', status: 'added', additions: 1, deletions: 0 }]
    })
    const r = await mergeIntoBase(new GitRunner(), wt, 'main', 'Merge skein/t into main')
    expect(r).toMatchObject({ kind: 'merged', where: repo })
    expect(git(repo, 'rev-parse', 'HEAD^1')).toBe(upstream)
    expect(git(repo, 'rev-parse', 'HEAD^2')).toBe(head)
    expect(git(repo, 'log', '-1', '--format=%s')).toBe('Merge skein/t into main')
    expect(readFileSync(join(repo, 'feature.txt'), 'utf8')).toBe('feature\n')
    expect(git(repo, 'status', '--porcelain')).toBe('')
    const after = await mergePreview(new GitRunner(), wt, 'main')
    expect(after.kind === 'plan' && after.plan).toMatchObject({ upToDate: true, merged: true })
  })

  it('refuses when a local change touches a file the merge changes, lists it, and leaves the checkout byte-identical', async () => {
    const { repo, wt } = onMain()
    commit(wt, { 'src/app.ts': 'export const answer = 43\n', 'new.txt': 'from the thread\n', 'other.txt': 'x\n' }, 'feature')
    writeFile(join(repo, 'src', 'app.ts'), 'export const answer = 44 // mine\n')
    writeFile(join(repo, 'new.txt'), 'mine, untracked\n')
    const before = state(repo)
    const p = await mergePreview(new GitRunner(), wt, 'main')
    expect(p.kind === 'plan' && p.plan.localChanges).toEqual(['new.txt', 'src/app.ts'])
    expect(await mergeIntoBase(new GitRunner(), wt, 'main', 'm')).toEqual({
      kind: 'local-changes',
      path: repo,
      files: ['new.txt', 'src/app.ts']
    })
    expect(state(repo)).toEqual(before)
    expect(readFileSync(join(repo, 'src', 'app.ts'), 'utf8')).toBe('export const answer = 44 // mine\n')
  })

  it('merges past a local change to an unrelated file and keeps it', async () => {
    const { repo, wt } = onMain()
    const head = commit(wt, { 'feature.txt': 'feature\n' }, 'feature')
    writeFile(join(repo, 'README.md'), '# my own edit\n')
    writeFile(join(repo, 'scratch.txt'), 'untracked notes\n')
    expect(await mergeIntoBase(new GitRunner(), wt, 'main', 'm')).toEqual({ kind: 'fast-forward', commit: head, where: repo })
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head)
    expect(readFileSync(join(repo, 'README.md'), 'utf8')).toBe('# my own edit\n')
    expect(readFileSync(join(repo, 'scratch.txt'), 'utf8')).toBe('untracked notes\n')
    expect(readFileSync(join(repo, 'feature.txt'), 'utf8')).toBe('feature\n')
    expect(
      git(repo, 'status', '--porcelain', '--untracked-files=all')
        .split('\n')
        .map((l) => l.trim())
        .sort()
    ).toEqual(['?? scratch.txt', 'M README.md'])
  })

  it('refuses a conflict, listing the files, and changes nothing', async () => {
    const { repo, wt } = onMain()
    commit(wt, { 'README.md': '# thread version\n' }, 'thread')
    commit(repo, { 'README.md': '# upstream version\n', 'upstream.txt': 'only upstream\n' }, 'upstream')
    const before = state(repo)
    const p = await mergePreview(new GitRunner(), wt, 'main')
    // The files are the thread's own changes since it forked (upstream's are not shown as undone).
    expect(p.kind === 'plan' && p.plan).toMatchObject({
      conflicts: ['README.md'],
      fastForward: false,
      files: [{ path: 'README.md', status: 'modified', additions: 1, deletions: 1 }]
    })
    expect(await mergeIntoBase(new GitRunner(), wt, 'main', 'm')).toEqual({ kind: 'conflict', files: ['README.md'] })
    expect(state(repo)).toEqual(before)
  })

  it('refuses when the base or branch moved since the confirmed preview', async () => {
    const { repo, wt } = onMain()
    commit(wt, { 'feature.txt': 'feature\n' }, 'feature')
    const p = await mergePreview(new GitRunner(), wt, 'main')
    if (p.kind !== 'plan') throw new Error('expected a plan')
    commit(wt, { 'later.txt': 'later\n' }, 'later')
    const before = state(repo)
    expect(await mergeIntoBase(new GitRunner(), wt, 'main', 'm', { base: p.plan.base, head: p.plan.head })).toMatchObject({
      kind: 'changed'
    })
    expect(state(repo)).toEqual(before)
  })

  it('refuses a checkout in the middle of a merge, and aborts only a merge state it created', async () => {
    const { repo, wt } = onMain()
    commit(wt, { 'feature.txt': 'feature\n' }, 'feature')
    commit(repo, { 'upstream.txt': 'upstream\n' }, 'upstream')
    // A pre-merge-commit hook that fails leaves git's merge state behind: Skein must abort it.
    writeFile(join(repo, '.git', 'hooks', 'pre-merge-commit'), '#!/bin/sh\nexit 1\n')
    chmodSync(join(repo, '.git', 'hooks', 'pre-merge-commit'), 0o755)
    const before = state(repo)
    const r = await mergeIntoBase(new GitRunner(), wt, 'main', 'm')
    expect(r).toMatchObject({ kind: 'merge-failed', path: repo, aborted: true })
    expect(state(repo)).toEqual(before)
    // Someone else's merge in progress is theirs: refused, and left in place.
    rmSync(join(repo, '.git', 'hooks', 'pre-merge-commit'))
    writeFile(join(repo, '.git', 'MERGE_HEAD'), git(repo, 'rev-parse', 'HEAD') + '\n')
    expect(await mergeIntoBase(new GitRunner(), wt, 'main', 'm')).toEqual({ kind: 'checkout-busy', path: repo, operation: 'a merge' })
    expect(existsSync(join(repo, '.git', 'MERGE_HEAD'))).toBe(true)
  })

  it("merges a thread through the protocol after a preview, in the person's checkout", async () => {
    const { core } = await makeCore()
    const repoPath = makeRepo()
    const repo = must(await core.repos.add(repoPath))
    const t = must(await core.threads.create({ repoId: repo.id, title: 'merge me', mode: 'worktree' }))
    expect(must(await core.review.mergePreview(t.id))).toMatchObject({ upToDate: true, merged: false, commits: [] })
    const head = commit(t.worktreePath, { 'done.txt': 'done\n' }, 'done')
    const plan = must(await core.review.mergePreview(t.id))
    expect(plan).toMatchObject({
      baseRef: 'main',
      branch: t.branch,
      checkedOutIn: repoPath,
      fastForward: true,
      uncommitted: 0,
      commits: [{ subject: 'done' }]
    })
    expect(must(await core.review.mergeIntoBase(t.id, { base: plan.base, head: plan.head }))).toEqual({
      outcome: 'fast-forward',
      commit: head,
      checkout: repoPath
    })
    expect(git(repoPath, 'rev-parse', 'HEAD')).toBe(head)
    expect(readFileSync(join(repoPath, 'done.txt'), 'utf8')).toBe('done\n')
    expect(must(await core.review.mergePreview(t.id))).toMatchObject({ upToDate: true, merged: true })
  })

  it('updates the ref only, touching no checkout, when the base is not checked out', async () => {
    const { core } = await makeCore()
    const repoPath = makeRepo()
    git(repoPath, 'checkout', '-q', '-b', 'elsewhere')
    const repo = must(await core.repos.add(repoPath))
    const t = must(await core.threads.create({ repoId: repo.id, title: 'merge me', mode: 'worktree', baseRef: 'main' }))
    commit(t.worktreePath, { 'done.txt': 'done\n' }, 'done')
    const before = fingerprint(repoPath)
    expect(must(await core.review.mergePreview(t.id))).toMatchObject({ checkedOutIn: null })
    expect(must(await core.review.mergeIntoBase(t.id))).toMatchObject({ outcome: 'fast-forward', checkout: null })
    expect(git(repoPath, 'rev-parse', 'main')).toBe(git(t.worktreePath, 'rev-parse', 'HEAD'))
    expect(fingerprint(repoPath)).toBe(before)
  })
})
