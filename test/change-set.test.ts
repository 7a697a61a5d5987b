import { cpSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { computeChangeSet } from '../src/main/core/git/change-set'
import { GitRunner } from '../src/main/core/git/git-runner'
import { cleanupTemp, git, makeCore, makeRepo, must, tempDir, writeFile } from './helpers/fixtures'

afterEach(cleanupTemp)

/** What `git diff` itself says, from a copy of the worktree with everything staged (the original is untouched). */
function expectedFromGit(worktree: string, base: string): { status: string; path: string; counts: string }[] {
  const copy = join(tempDir(), 'copy')
  cpSync(worktree, copy, { recursive: true })
  git(copy, 'add', '-A')
  const names = git(copy, 'diff', '--cached', '-M', '--name-status', base).split('\n').filter(Boolean)
  const counts = new Map(
    git(copy, 'diff', '--cached', '-M', '--numstat', base)
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [a, d, ...p] = l.split('\t')
        const path = p
          .join('\t')
          .replace(/^.*=> /, '')
          .replace(/[{}]/g, '')
        return [path, `${a}/${d}`] as const
      })
  )
  return names
    .map((l) => {
      const f = l.split('\t')
      const path = f[f.length - 1]!
      return { status: f[0]![0]!, path, counts: counts.get(path) ?? '?' }
    })
    .sort((a, b) => a.path.localeCompare(b.path))
}

describe('change set', () => {
  it('matches git diff for adds, deletes, renames, binary, untracked and non-UTF-8 files, committed and not', async () => {
    const repo = makeRepo()
    writeFile(join(repo, 'old-name.txt'), 'line\n'.repeat(30))
    writeFile(join(repo, 'gone.txt'), 'bye\n')
    git(repo, 'add', '-A')
    git(repo, 'commit', '-q', '-m', 'more')
    const base = git(repo, 'rev-parse', 'HEAD')
    git(repo, 'checkout', '-q', '-b', 'skein/work')
    // Committed on the branch:
    writeFile(join(repo, 'src/committed.ts'), 'export const c = 1\n')
    git(repo, 'add', '-A')
    git(repo, 'commit', '-q', '-m', 'work')
    // Staged, unstaged, untracked, deleted, renamed, binary, non-UTF-8:
    writeFile(join(repo, 'src/app.ts'), 'export const answer = 43\nexport const more = true\n')
    writeFile(join(repo, 'staged.txt'), 'staged\n')
    git(repo, 'add', 'staged.txt')
    writeFile(join(repo, 'notes/untracked.md'), '# new\n')
    rmSync(join(repo, 'gone.txt'))
    renameSync(join(repo, 'old-name.txt'), join(repo, 'new-name.txt'))
    writeFile(join(repo, 'image.bin'), Buffer.from([0, 1, 2, 3, 255, 0, 7]))
    writeFile(join(repo, 'latin1.txt'), Buffer.from('caf\xe9 cr\xe8me\n', 'latin1'))
    const statusBefore = git(repo, 'status', '--porcelain')

    const r = await computeChangeSet(new GitRunner(), repo, { kind: 'base', baseRef: 'main' })
    expect(r.kind).toBe('ok')
    if (r.kind !== 'ok') return
    expect(r.baseCommit).toBe(base)
    const got = r.files.map((f) => ({
      status: f.status[0]!.toUpperCase(),
      path: f.path,
      counts: f.binary ? '-/-' : `${f.additions}/${f.deletions}`
    }))
    expect(got).toEqual(expectedFromGit(repo, base))
    expect(r.files.find((f) => f.path === 'new-name.txt')).toMatchObject({ status: 'renamed', oldPath: 'old-name.txt' })
    expect(r.files.find((f) => f.path === 'image.bin')).toMatchObject({ binary: true, additions: null })
    expect(r.files.find((f) => f.path === 'notes/untracked.md')).toMatchObject({ status: 'added', additions: 1 })
    // Reading changed nothing: same status, same index.
    expect(git(repo, 'status', '--porcelain')).toBe(statusBefore)

    const only = await computeChangeSet(new GitRunner(), repo, { kind: 'uncommitted' })
    expect(only.kind === 'ok' && only.files.map((f) => f.path)).not.toContain('src/committed.ts')
    const bad = await computeChangeSet(new GitRunner(), repo, { kind: 'base', baseRef: 'no-such-branch' })
    expect(bad.kind).toBe('bad-base')
  })

  it('handles a 50,000-line file and 1,000 changed files', async () => {
    const repo = makeRepo()
    git(repo, 'checkout', '-q', '-b', 'skein/big')
    writeFile(join(repo, 'big.txt'), Array.from({ length: 50_000 }, (_, i) => `line ${i}`).join('\n') + '\n')
    for (let i = 0; i < 1000; i++) writeFile(join(repo, 'many', `f${i}.txt`), `file ${i}\n`)
    const r = await computeChangeSet(new GitRunner(), repo, { kind: 'base', baseRef: 'main' })
    expect(r.kind).toBe('ok')
    if (r.kind !== 'ok') return
    expect(r.files).toHaveLength(1001)
    expect(r.files.find((f) => f.path === 'big.txt')?.additions).toBe(50_000)
    writeFileSync(join(repo, 'many', 'f1.txt'), 'changed\n')
    expect(expectedFromGit(repo, r.baseCommit)).toHaveLength(1001)
  })

  it("serves a thread's changes over the protocol, with clear errors for a vanished worktree", async () => {
    const { core } = await makeCore()
    const repo = must(await core.repos.add(makeRepo()))
    const t = must(await core.threads.create({ repoId: repo.id, title: 'review me', mode: 'worktree' }))
    writeFile(join(t.worktreePath, 'src/app.ts'), 'export const answer = 7\n')
    writeFile(join(t.worktreePath, 'added.txt'), 'new\n')
    const reply = JSON.parse(
      (await core.rpc.dispatch(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'review/changes', params: { threadId: t.id } })))!
    )
    expect(reply.result.files.map((f: { path: string; status: string }) => `${f.status} ${f.path}`)).toEqual([
      'added added.txt',
      'modified src/app.ts'
    ])
    rmSync(t.worktreePath, { recursive: true, force: true })
    const gone = JSON.parse(
      (await core.rpc.dispatch(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'review/changes', params: { threadId: t.id } })))!
    )
    expect(gone.error.message).toMatch(/has no worktree at .*Restore the thread first/)
  })
})

describe('racy edits', () => {
  it('sees a same-size edit made right after a worktree was checked out', async () => {
    const g = new GitRunner()
    const repo = makeRepo()
    for (let i = 0; i < 5; i++) {
      const wt = join(tempDir(), `wt${i}`)
      git(repo, 'worktree', 'add', '-q', '-b', `racy${i}`, wt)
      // Same size as the checked-out file, in the same second as the worktree's index was written.
      writeFileSync(join(wt, 'src/app.ts'), `export const answer = ${i}7\n`)
      const r = await computeChangeSet(g, wt, { kind: 'uncommitted' })
      if (r.kind !== 'ok') throw new Error('expected a change set')
      expect(r.files.map((f) => f.path)).toEqual(['src/app.ts'])
    }
  })
})
