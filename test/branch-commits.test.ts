import { renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { branchCommits } from '../src/main/core/git/branch-commits'
import { commitFiles } from '../src/main/core/git/commit-files'
import { GitRunner } from '../src/main/core/git/git-runner'
import { cleanupTemp, git, makeRepo, tempDir, writeFile } from './helpers/fixtures'

afterEach(cleanupTemp)

/** A repo on main and a worktree on skein/t from it. */
function setup() {
  const repo = makeRepo()
  const wt = join(tempDir(), 'wt')
  git(repo, 'worktree', 'add', '-q', '-b', 'skein/t', wt, 'main')
  return { repo, wt, runner: new GitRunner() }
}

describe('the branch’s commits (base..HEAD)', () => {
  it('lists the branch’s own commits newest first, not the base’s, with subject, author and time', async () => {
    const { repo, wt, runner } = setup()
    writeFile(join(wt, 'a.txt'), 'a\n')
    git(wt, 'add', '-A')
    git(wt, 'commit', '-q', '-m', 'Add a: the first step')
    writeFile(join(wt, 'b.txt'), 'b\n')
    git(wt, 'add', '-A')
    git(wt, 'commit', '-q', '-m', 'Add b\n\nwith a body that is not the subject')
    // The base moves on: its new commit is not the branch's.
    writeFile(join(repo, 'base.txt'), 'base\n')
    git(repo, 'add', '-A')
    git(repo, 'commit', '-q', '-m', 'On main only')

    const r = await branchCommits(runner, wt, 'main')
    expect(r.kind).toBe('ok')
    if (r.kind !== 'ok') return
    expect(r.commits.map((c) => c.subject)).toEqual(['Add b', 'Add a: the first step'])
    expect(r.more).toBe(0)
    const head = git(wt, 'rev-parse', 'HEAD')
    expect(r.commits[0]!.sha).toBe(head)
    expect(head.startsWith(r.commits[0]!.short)).toBe(true)
    expect(r.commits[0]!.author).toBe('Test')
    expect(r.commits[0]!.parents).toEqual([git(wt, 'rev-parse', 'HEAD~1')])
    expect(Math.abs(r.commits[0]!.time - Number(git(wt, 'log', '-1', '--format=%at')) * 1000)).toBe(0)
  })

  it('a fresh branch has none; a limit leaves the rest counted; a missing base is a tagged result', async () => {
    const { wt, runner } = setup()
    expect(await branchCommits(runner, wt, 'main')).toEqual({ kind: 'ok', commits: [], more: 0 })
    for (let i = 1; i <= 5; i++) {
      writeFile(join(wt, `f${i}.txt`), `${i}\n`)
      git(wt, 'add', '-A')
      git(wt, 'commit', '-q', '-m', `Commit ${i}`)
    }
    const r = await branchCommits(runner, wt, 'main', 3)
    expect(r.kind === 'ok' && r.commits.map((c) => c.subject)).toEqual(['Commit 5', 'Commit 4', 'Commit 3'])
    expect(r.kind === 'ok' && r.more).toBe(2)
    expect((await branchCommits(runner, wt, 'no-such-branch')).kind).toBe('bad-base')
    // A ref name that looks like an option is a name, never an option.
    expect((await branchCommits(runner, wt, '--output=/tmp/x')).kind).toBe('bad-base')
  })
})

describe('one commit’s files', () => {
  it('added, modified, deleted and renamed files with their line counts, against the first parent', async () => {
    const { wt, runner } = setup()
    writeFile(join(wt, 'notes.txt'), Array.from({ length: 10 }, (_, i) => `line ${i}`).join('\n') + '\n')
    writeFile(join(wt, 'gone.txt'), 'bye\n')
    git(wt, 'add', '-A')
    git(wt, 'commit', '-q', '-m', 'setup')
    writeFile(join(wt, 'new.txt'), 'one\ntwo\n')
    writeFile(join(wt, 'src', 'app.ts'), 'export const answer = 43\n')
    rmSync(join(wt, 'gone.txt'))
    renameSync(join(wt, 'notes.txt'), join(wt, 'renamed.txt'))
    writeFile(join(wt, 'bin.dat'), Buffer.from([0, 1, 2, 3]))
    git(wt, 'add', '-A')
    git(wt, 'commit', '-q', '-m', 'many kinds')
    const r = await commitFiles(runner, wt, git(wt, 'rev-parse', 'HEAD'))
    expect(r.kind).toBe('ok')
    if (r.kind !== 'ok') return
    const brief = r.files.map((f) => `${f.status} ${f.oldPath ? `${f.oldPath}→` : ''}${f.path} +${f.additions} -${f.deletions}`)
    expect(brief).toEqual([
      'added bin.dat +null -null',
      'deleted gone.txt +0 -1',
      'added new.txt +2 -0',
      'renamed notes.txt→renamed.txt +0 -0',
      'modified src/app.ts +1 -1'
    ])
    expect(r.files.find((f) => f.path === 'bin.dat')!.binary).toBe(true)
  })

  it('a root commit lists its files; an unknown commit is a tagged result', async () => {
    const { repo, runner } = setup()
    const root = git(repo, 'rev-list', '--max-parents=0', 'HEAD')
    const r = await commitFiles(runner, repo, root)
    expect(r.kind === 'ok' && r.files.map((f) => `${f.status} ${f.path}`)).toEqual(['added README.md', 'added src/app.ts'])
    expect(await commitFiles(runner, repo, 'deadbeefdeadbeef')).toEqual({ kind: 'missing' })
  })
})
