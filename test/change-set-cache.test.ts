import { renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { computeChangeSet, type ChangeSetResult } from '../src/main/core/git/change-set'
import { ChangeSetCache } from '../src/main/core/git/change-set-cache'
import { GitRunner } from '../src/main/core/git/git-runner'
import { cleanupTemp, git, makeRepo, writeFile } from './helpers/fixtures'

afterEach(cleanupTemp)

const base = { kind: 'base', baseRef: 'main' } as const

/** Computes the change set with the cache and afresh, and expects the same answer from both. */
async function same(g: GitRunner, repo: string, cache: ChangeSetCache): Promise<ChangeSetResult> {
  const fresh = await computeChangeSet(g, repo, base)
  const cached = await computeChangeSet(g, repo, base, cache)
  expect(cached).toEqual(fresh)
  return cached
}

describe('change set cache', () => {
  it('gives the same change set as a fresh computation through edits, same-size edits, renames, deletes, commits and attribute changes', async () => {
    const g = new GitRunner()
    const cache = new ChangeSetCache()
    const repo = makeRepo()
    writeFile(join(repo, 'keep.txt'), 'one\ntwo\nthree\n')
    writeFile(join(repo, 'old-name.txt'), 'line\n'.repeat(30))
    git(repo, 'add', '-A')
    git(repo, 'commit', '-q', '-m', 'base files')
    git(repo, 'checkout', '-q', '-b', 'skein/work')
    try {
      expect((await same(g, repo, cache)).kind).toBe('ok')

      // Untracked and edited files: counted once, then read from the cache.
      writeFile(join(repo, 'src/new.ts'), 'export const n = 1\n')
      writeFile(join(repo, 'keep.txt'), 'one\nTWO\nthree\nfour\n')
      let r = await same(g, repo, cache)
      expect(r.kind === 'ok' && r.files.find((f) => f.path === 'keep.txt')).toMatchObject({ additions: 2, deletions: 1 })

      // A same-size edit with the very same mtime as before: git's racy-clean check must still see it.
      const p = join(repo, 'src/new.ts')
      const before = statSync(p)
      writeFileSync(p, 'export const n = 2\n')
      utimesSync(p, before.atime, before.mtime)
      r = await same(g, repo, cache)
      expect(r.kind === 'ok' && r.files.find((f) => f.path === 'src/new.ts')?.version).not.toContain('..0000')

      // A rename and a delete (rename pairing needs the whole tree), then a commit (the real index moves).
      renameSync(join(repo, 'old-name.txt'), join(repo, 'new-name.txt'))
      rmSync(join(repo, 'README.md'), { force: true })
      r = await same(g, repo, cache)
      expect(r.kind === 'ok' && r.files.find((f) => f.path === 'new-name.txt')?.status).toBe('renamed')
      git(repo, 'add', '-A')
      git(repo, 'commit', '-q', '-m', 'work')
      writeFile(join(repo, 'after-commit.txt'), 'a\nb\n')
      await same(g, repo, cache)

      // An attribute that makes a text file binary: cached counts of that file must not survive it.
      writeFile(join(repo, '.gitattributes'), 'keep.txt -diff\n')
      r = await same(g, repo, cache)
      expect(r.kind === 'ok' && r.files.find((f) => f.path === 'keep.txt')).toMatchObject({ binary: true, additions: null })

      // A file force-added to the real index although ignored stays in the change set.
      writeFile(join(repo, '.gitignore'), 'secret.log\n')
      writeFile(join(repo, 'secret.log'), 'tracked anyway\n')
      git(repo, 'add', '-f', 'secret.log')
      r = await same(g, repo, cache)
      expect(r.kind === 'ok' && r.files.some((f) => f.path === 'secret.log')).toBe(true)

      // Paths that look like pathspec magic are taken literally.
      writeFile(join(repo, ':(glob)*.txt'), 'not a pattern\n')
      writeFile(join(repo, 'star*.txt'), 'star\n')
      await same(g, repo, cache)
      writeFile(join(repo, 'star*.txt'), 'star\nmore\n')
      r = await same(g, repo, cache)
      expect(r.kind === 'ok' && r.files.find((f) => f.path === 'star*.txt')).toMatchObject({ additions: 2 })

      // The real index and the files are untouched by all of it.
      expect(git(repo, 'diff', '--cached', '--name-only')).toBe('secret.log')
    } finally {
      await cache.dispose()
    }
  })

  it('serialises concurrent computations of one worktree (one scratch index, no index.lock clash)', async () => {
    const g = new GitRunner()
    const cache = new ChangeSetCache()
    const repo = makeRepo()
    git(repo, 'checkout', '-q', '-b', 'skein/work')
    for (let i = 0; i < 50; i++) writeFile(join(repo, `gen/f${i}.ts`), `export const v${i} = ${i}\n`)
    try {
      const all = await Promise.all(Array.from({ length: 6 }, () => computeChangeSet(g, repo, base, cache)))
      for (const r of all) expect(r.kind === 'ok' && r.files.length).toBe(50)
    } finally {
      await cache.dispose()
    }
  })
})
