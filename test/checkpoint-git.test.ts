import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { CheckpointMeta } from '../src/main/core/checkpoints/checkpoint-meta'
import { checkpointFileSides, diffToCheckpoint } from '../src/main/core/checkpoints/checkpoint-diff'
import {
  checkpointRef,
  deleteCheckpoints,
  listCheckpoints,
  nextCheckpointNumber,
  pruneCheckpoints
} from '../src/main/core/checkpoints/checkpoint-refs'
import { restoreCheckpoint } from '../src/main/core/checkpoints/checkpoint-restore'
import { writeCheckpoint, type WriteCheckpointOptions } from '../src/main/core/checkpoints/checkpoint-write'
import { materializeCheckpoint } from '../src/main/core/checkpoints/fork-worktree'
import { GitRunner } from '../src/main/core/git/git-runner'
import type { Result } from '../src/shared/result'
import { cleanupTemp, git, makeRepo, tempDir, writeFile } from './helpers/fixtures'
import { gitRaw, gitState, listing } from './helpers/worktree-listing'

afterEach(cleanupTemp)

const runner = new GitRunner()
/** Unwraps a result whose error is a message, failing loudly with it. */
function done<T>(r: Result<T, string>): T {
  if (!r.ok) throw new Error(`expected ok, got error: ${r.error}`)
  return r.value
}
const sh = (cwd: string, script: string) => execFileSync('sh', ['-c', script], { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
const meta = (over: Partial<CheckpointMeta> = {}): CheckpointMeta => ({
  trigger: 'manual',
  label: 'Before turn 1: "fix it"',
  turnId: null,
  turnIds: [],
  session: null,
  createdAt: Date.now(),
  ...over
})

/** A repository with some history and a linked worktree (a thread's) on branch `thread`. */
function threadWorktree(): { repo: string; wt: string } {
  const repo = makeRepo()
  writeFile(join(repo, 'lib/util.ts'), 'export const one = 1\nexport const two = 2\nexport const three = 3\n')
  writeFile(join(repo, 'lib/old-name.ts'), 'export const renamed = true\n')
  writeFile(join(repo, 'gone.txt'), 'to be deleted\n')
  writeFile(join(repo, 'logo.bin'), Buffer.from([0, 1, 2, 3, 255, 254, 0, 7]))
  writeFile(join(repo, 'run.sh'), '#!/bin/sh\necho hi\n')
  writeFile(join(repo, 'docs/guide.md'), '# Guide\n\nStep one.\n')
  symlinkSync('lib/util.ts', join(repo, 'util-link'))
  git(repo, 'add', '-A')
  git(repo, 'commit', '-q', '-m', 'more files')
  const wt = join(tempDir('skein-wt-'), 'thread')
  git(repo, 'worktree', 'add', '-q', '-b', 'thread', wt)
  return { repo, wt }
}

/** Puts every kind of change in the worktree: through a shell, as an editor would, staged and not. */
function dirtyEverything(wt: string): void {
  sh(wt, 'printf "export const four = 4\\n" >> lib/util.ts && chmod +x run.sh && rm gone.txt && mv lib/old-name.ts lib/new-name.ts')
  writeFileSync(join(wt, 'README.md'), '# test repo\n\nstaged line\n')
  git(wt, 'add', 'README.md')
  writeFileSync(join(wt, 'README.md'), '# test repo\n\nstaged line\nunstaged line\n')
  writeFileSync(join(wt, 'logo.bin'), Buffer.from([0, 9, 9, 9, 128, 0]))
  writeFile(join(wt, 'notes/todo.txt'), 'untracked notes\n')
  writeFile(join(wt, 'src/new-feature.ts'), 'export const feature = "new"\n')
  git(wt, 'add', 'src/new-feature.ts')
  writeFile(join(wt, 'planned.ts'), 'export const planned = 0\n')
  git(wt, 'add', '--intent-to-add', 'planned.ts')
  unlinkSync(join(wt, 'util-link'))
  symlinkSync('docs/guide.md', join(wt, 'util-link'))
  symlinkSync('notes', join(wt, 'notes-link'))
  git(wt, 'rm', '-q', '--cached', 'docs/guide.md')
}

/** Undoes and redoes things every way a person or agent might after a checkpoint. */
function messUp(wt: string): void {
  writeFileSync(join(wt, 'lib/util.ts'), 'export const rewritten = true\n')
  git(wt, 'commit', '-q', '-am', 'a later commit')
  writeFileSync(join(wt, 'src/app.ts'), 'export const answer = 43\n')
  git(wt, 'add', 'src/app.ts')
  rmSync(join(wt, 'notes'), { recursive: true })
  rmSync(join(wt, 'run.sh'))
  writeFile(join(wt, 'added/deep/file.txt'), 'new after the checkpoint\n')
  // A file becomes a folder, and a folder a file.
  rmSync(join(wt, 'planned.ts'))
  writeFile(join(wt, 'planned.ts/inner.ts'), 'now a folder\n')
  rmSync(join(wt, 'docs'), { recursive: true })
  writeFileSync(join(wt, 'docs'), 'docs is a file now\n')
  chmodSync(join(wt, 'lib/new-name.ts'), 0o755)
  unlinkSync(join(wt, 'util-link'))
  writeFileSync(join(wt, 'util-link'), 'a file where a link was\n')
}

/** Everything a restore must bring back: every file's bytes, mode and link target, the index, HEAD. */
function fullState(wt: string): Record<string, unknown> {
  return {
    ...gitState(wt),
    files: listing(wt),
    nameStatus: gitRaw(wt, 'diff', '--cached', '--name-status', '-z'),
    stagesDebug: gitRaw(wt, 'ls-files', '-s', '-z', '--eol'),
    stashes: gitRaw(wt, 'stash', 'list'),
    longStatus: gitRaw(wt, 'status')
  }
}

const indexBytes = (wt: string) => readFileSync(resolve(wt, git(wt, 'rev-parse', '--git-path', 'index')))

async function checkpoint(wt: string, n: number, o: Partial<WriteCheckpointOptions> = {}) {
  return done(await writeCheckpoint(runner, wt, { ref: checkpointRef('t1', n), meta: meta(), ...o }))
}

describe('writing a checkpoint', () => {
  it('touches nothing of the person: index bytes, HEAD, stash and status stay byte-identical', async () => {
    const { wt } = threadWorktree()
    writeFileSync(join(wt, 'src/app.ts'), 'stashed\n')
    git(wt, 'stash', 'push', '-q')
    dirtyEverything(wt)
    const before = fullState(wt)
    const index = indexBytes(wt)
    const stashRef = git(wt, 'rev-parse', 'refs/stash')
    const written = await checkpoint(wt, 1)
    expect(indexBytes(wt).equals(index)).toBe(true)
    expect(git(wt, 'rev-parse', 'refs/stash')).toBe(stashRef)
    expect(fullState(wt)).toEqual(before)
    expect(written.reused).toBe(false)
    expect(git(wt, 'rev-parse', checkpointRef('t1', 1))).toBe(written.commit)
    // W holds the files as on disk, X the index, X's parent HEAD.
    const c = written.commit!
    expect(git(wt, 'rev-parse', `${c}^1^1`)).toBe(git(wt, 'rev-parse', 'HEAD'))
    expect(git(wt, 'show', `${c}:lib/util.ts`)).toContain('four = 4')
    expect(git(wt, 'show', `${c}:README.md`)).toContain('unstaged line')
    expect(git(wt, 'show', `${c}^1:README.md`)).not.toContain('unstaged line')
    expect(gitRaw(wt, 'cat-file', '-e', `${c}:gone.txt`)).toMatch(/^exit/)
    expect(git(wt, 'ls-tree', c, 'run.sh')).toMatch(/^100755 /)
    expect(git(wt, 'ls-tree', c, 'util-link')).toMatch(/^120000 /)
    expect(git(wt, 'show', `${c}:notes/todo.txt`)).toBe('untracked notes')
    expect(written.state.branch).toBe('thread')
    expect(written.state.intentToAdd).toEqual(['planned.ts'])
    expect(written.state.leftOut).toEqual([])
    // README, util.ts, run.sh, gone.txt, old/new name, logo.bin, todo.txt, new-feature.ts, planned.ts, util-link, notes-link, guide.md
    expect(written.state.dirtyFiles).toBe(13)
    const [listed] = await listCheckpoints(runner, wt, 't1')
    expect(listed).toMatchObject({ n: 1, commit: c, trigger: 'manual', label: 'Before turn 1: "fix it"', branch: 'thread', dirtyFiles: 13 })
    expect(git(wt, 'log', '-1', '--format=%s', c)).toBe('Before turn 1: "fix it"')
  })

  it('never overwrites a checkpoint ref', async () => {
    const { wt } = threadWorktree()
    await checkpoint(wt, 1)
    writeFileSync(join(wt, 'README.md'), 'changed\n')
    const again = await writeCheckpoint(runner, wt, { ref: checkpointRef('t1', 1), meta: meta() })
    expect(again.ok).toBe(false)
  })

  it('reuses the previous checkpoint when files, index and HEAD are unchanged', async () => {
    const { wt } = threadWorktree()
    dirtyEverything(wt)
    const first = await checkpoint(wt, 1)
    const same = await checkpoint(wt, 2, { previous: first.commit, skipIfUnchanged: true })
    expect(same).toMatchObject({ reused: true, commit: first.commit, ref: null })
    expect(gitRaw(wt, 'rev-parse', '--verify', '-q', checkpointRef('t1', 2))).toMatch(/^exit/)
    // Staging alone is a change, and so is a file edit.
    git(wt, 'add', 'lib/util.ts')
    const staged = await checkpoint(wt, 2, { previous: first.commit, skipIfUnchanged: true })
    expect(staged.reused).toBe(false)
    writeFileSync(join(wt, 'notes/todo.txt'), 'edited\n')
    const edited = await checkpoint(wt, 3, { previous: staged.commit, skipIfUnchanged: true })
    expect(edited.reused).toBe(false)
    // Same index and HEAD: the new checkpoint shares the previous one's index commit.
    expect(git(wt, 'rev-parse', `${edited.commit}^1`)).toBe(git(wt, 'rev-parse', `${staged.commit}^1`))
  })

  it('leaves out big untracked files and folders, and lists them', async () => {
    const { wt } = threadWorktree()
    writeFileSync(join(wt, 'dump.bin'), Buffer.alloc(10 * 1024 * 1024 + 1, 7))
    writeFileSync(join(wt, 'small.bin'), Buffer.alloc(10 * 1024 * 1024, 7))
    for (let i = 0; i < 201; i++) writeFile(join(wt, `gen/part${i % 3}/f${i}.txt`), `${i}\n`)
    // A folder with a tracked file in it is not wholly untracked: its 250 new files are saved.
    for (let i = 0; i < 250; i++) writeFile(join(wt, `lib/gen${i}.ts`), `${i}\n`)
    const written = await checkpoint(wt, 1)
    expect(written.state.leftOut).toEqual([
      { path: 'dump.bin', bytes: 10 * 1024 * 1024 + 1, files: 1, reason: 'untracked file over 10 MiB' },
      {
        path: 'gen',
        bytes: [...Array(201).keys()].reduce((s, i) => s + `${i}\n`.length, 0),
        files: 201,
        reason: 'untracked folder with more than 200 files'
      }
    ])
    const tree = git(wt, 'ls-tree', '-r', '--name-only', written.commit!).split('\n')
    expect(tree).toContain('small.bin')
    expect(tree).toContain('lib/gen249.ts')
    expect(tree.some((p) => p === 'dump.bin' || p.startsWith('gen/'))).toBe(false)
    expect(written.state.dirtyFiles).toBe(251)
    // A rewind neither deletes nor rewrites them.
    const before = listing(wt).filter((l) => l.startsWith('"dump.bin"') || l.startsWith('"gen'))
    writeFileSync(join(wt, 'README.md'), 'later\n')
    done(await restoreCheckpoint(runner, wt, written.commit!))
    expect(listing(wt).filter((l) => l.startsWith('"dump.bin"') || l.startsWith('"gen'))).toEqual(before)
    expect(readFileSync(join(wt, 'README.md'), 'utf8')).toBe('# test repo\n')
  })
})

describe('restoring a checkpoint', () => {
  it('brings back every file, the index and HEAD after everything was messed up', async () => {
    const { wt } = threadWorktree()
    dirtyEverything(wt)
    const expected = fullState(wt)
    const written = await checkpoint(wt, 1)
    messUp(wt)
    const messed = fullState(wt)
    expect(messed).not.toEqual(expected)
    const r = done(await restoreCheckpoint(runner, wt, written.commit!))
    expect(r.files).toBeGreaterThan(5)
    expect(fullState(wt)).toEqual(expected)
    // A second checkpoint of the restored state is the same state.
    const again = await checkpoint(wt, 2, { previous: written.commit, skipIfUnchanged: true })
    expect(again.reused).toBe(true)
  })

  it('can be undone through the checkpoint taken just before it (given as the current state)', async () => {
    const { wt } = threadWorktree()
    dirtyEverything(wt)
    const expected = fullState(wt)
    const first = await checkpoint(wt, 1)
    messUp(wt)
    const messed = fullState(wt)
    const undo = await checkpoint(wt, 2, { meta: meta({ trigger: 'rewind' }) })
    done(await restoreCheckpoint(runner, wt, first.commit!, { current: undo.commit! }))
    expect(fullState(wt)).toEqual(expected)
    done(await restoreCheckpoint(runner, wt, undo.commit!))
    expect(fullState(wt)).toEqual(messed)
  })

  it('never touches git-ignored files, and refuses (changing nothing) when it would have to', async () => {
    const { wt } = threadWorktree()
    writeFile(join(wt, '.gitignore'), '*.log\nbuild/\n')
    writeFile(join(wt, 'debug.log'), 'ignored log\n')
    writeFile(join(wt, 'build/out.o'), 'ignored build output\n')
    writeFile(join(wt, 'result.txt'), 'untracked, saved\n')
    writeFile(join(wt, 'cache'), 'a file for now\n')
    const written = await checkpoint(wt, 1)
    expect(gitRaw(wt, 'cat-file', '-e', `${written.commit}:debug.log`)).toMatch(/^exit/)
    // Ignored files change; a tracked file too: a restore puts the file back and leaves the ignored ones.
    writeFile(join(wt, 'debug.log'), 'ignored log, later\n')
    writeFile(join(wt, 'build/more.o'), 'more\n')
    writeFileSync(join(wt, 'README.md'), 'later\n')
    done(await restoreCheckpoint(runner, wt, written.commit!))
    expect(readFileSync(join(wt, 'README.md'), 'utf8')).toBe('# test repo\n')
    expect(readFileSync(join(wt, 'debug.log'), 'utf8')).toBe('ignored log, later\n')
    expect(existsSync(join(wt, 'build/more.o'))).toBe(true)
    // Now result.txt is ignored and rewritten, and cache an ignored folder: restoring would overwrite both.
    writeFile(resolve(wt, git(wt, 'rev-parse', '--git-path', 'info/exclude')), 'result.txt\ncache\n')
    writeFile(join(wt, 'result.txt'), 'ignored now, must survive\n')
    rmSync(join(wt, 'cache'))
    writeFile(join(wt, 'cache/blob'), 'ignored cache\n')
    writeFileSync(join(wt, 'README.md'), 'later again\n')
    const before = fullState(wt)
    const r = await restoreCheckpoint(runner, wt, written.commit!)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error).toMatch(/cache\/blob \(git-ignored.*result\.txt \(git-ignored/)
    expect(fullState(wt)).toEqual(before)
    const preview = await diffToCheckpoint(runner, wt, written.commit!)
    expect(preview.blocked.map((b) => b.path).sort()).toEqual(['cache/blob', 'result.txt'])
  })

  it('brings back an index with unmerged entries (a conflicted merge) byte for byte', async () => {
    const { repo, wt } = threadWorktree()
    git(repo, 'checkout', '-q', '-b', 'other')
    writeFileSync(join(repo, 'lib/util.ts'), 'export const one = "other"\n')
    writeFileSync(join(repo, 'docs/guide.md'), '# Guide from other\n')
    git(repo, 'commit', '-q', '-am', 'other side')
    git(repo, 'checkout', '-q', 'main')
    writeFileSync(join(wt, 'lib/util.ts'), 'export const one = "thread"\n')
    git(wt, 'commit', '-q', '-am', 'thread side')
    expect(() => git(wt, 'merge', 'other')).toThrow()
    writeFile(join(wt, 'scratch.txt'), 'untracked during the merge\n')
    const expected = fullState(wt)
    expect(expected.stages).toMatch(/ 1\tlib\/util\.ts/)
    const index = indexBytes(wt)
    const written = await checkpoint(wt, 1)
    expect(written.meta.indexBlob).not.toBeNull()
    expect(indexBytes(wt).equals(index)).toBe(true)
    // Resolve it, edit more, then rewind to the conflict.
    writeFileSync(join(wt, 'lib/util.ts'), 'export const one = "resolved"\n')
    git(wt, 'add', 'lib/util.ts')
    rmSync(join(wt, 'scratch.txt'))
    done(await restoreCheckpoint(runner, wt, written.commit!))
    expect(fullState(wt)).toEqual(expected)
    expect(readFileSync(join(wt, 'lib/util.ts'), 'utf8')).toContain('<<<<<<<')
  })
})

describe('odd file names', () => {
  it('keeps names that are not UTF-8, or hold newlines, spaces and quotes', async () => {
    const { wt } = threadWorktree()
    const latin1 = Buffer.concat([Buffer.from(`${wt}/caf`), Buffer.from([0xe9]), Buffer.from('.txt')])
    writeFileSync(latin1, 'not utf-8 name\n')
    writeFile(join(wt, 'line\nbreak "q" sp ace.txt'), 'newline in the name\n')
    writeFile(join(wt, '-dash/--x.txt'), 'dashes\n')
    git(wt, 'add', '-A')
    writeFileSync(latin1, 'changed after staging\n')
    writeFile(join(wt, 'ünïcode dir/ñ.txt'), 'untracked\n')
    const expected = fullState(wt)
    const written = await checkpoint(wt, 1)
    rmSync(latin1)
    rmSync(join(wt, 'ünïcode dir'), { recursive: true })
    writeFile(join(wt, 'line\nbreak "q" sp ace.txt'), 'edited\n')
    git(wt, 'add', '-A')
    done(await restoreCheckpoint(runner, wt, written.commit!))
    expect(fullState(wt)).toEqual(expected)
  })
})

describe('checkpoint refs', () => {
  it('numbers, lists, prunes by count and age (keeping the newest 10) and deletes', async () => {
    const { repo, wt } = threadWorktree()
    const day = 86_400_000
    const now = Date.now()
    expect(await nextCheckpointNumber(runner, wt, 't1')).toBe(1)
    for (let n = 1; n <= 25; n++) {
      writeFileSync(join(wt, 'README.md'), `state ${n}\n`)
      await checkpoint(wt, n, { meta: meta({ createdAt: now - (26 - n) * day, label: `cp ${n}` }) })
    }
    // Refs are shared: the main checkout sees the thread worktree's checkpoints; a longer thread id is another thread.
    git(repo, 'update-ref', 'refs/skein/checkpoints/t1/99', git(repo, 'rev-parse', 'HEAD'))
    git(repo, 'update-ref', 'refs/skein/checkpoints/t10/1', git(repo, 'rev-parse', 'HEAD'))
    const listed = await listCheckpoints(runner, repo, 't1')
    expect(listed.map((c) => c.n)).toEqual([...Array(25).keys()].map((i) => i + 1))
    expect(listed[4]).toMatchObject({ label: 'cp 5', createdAt: now - 21 * day, threadId: 't1', ref: 'refs/skein/checkpoints/t1/5' })
    expect(await nextCheckpointNumber(runner, repo, 't1')).toBe(100)
    git(repo, 'update-ref', '-d', 'refs/skein/checkpoints/t1/99')
    expect(await nextCheckpointNumber(runner, repo, 't1')).toBe(26)

    const byCount = await pruneCheckpoints(runner, repo, 't1', { maxPerThread: 20, maxAgeDays: 3650, now })
    expect(byCount).toEqual([1, 2, 3, 4, 5])
    // Older than 12 days: 6..13 (n is 26 - n days old); the newest ten (16..25) stay whatever their age.
    const byAge = await pruneCheckpoints(runner, repo, 't1', { maxPerThread: 200, maxAgeDays: 12, now })
    expect(byAge).toEqual([6, 7, 8, 9, 10, 11, 12, 13])
    const all = await pruneCheckpoints(runner, repo, 't1', { maxPerThread: 10, maxAgeDays: 1, now })
    expect(all).toEqual([14, 15])
    expect((await listCheckpoints(runner, repo, 't1')).map((c) => c.n)).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24, 25])
    expect(await nextCheckpointNumber(runner, repo, 't1')).toBe(26)

    expect(await deleteCheckpoints(runner, wt, 't1', [17, 20, 40])).toEqual([17, 20])
    expect((await listCheckpoints(runner, wt, 't1')).map((c) => c.n)).toEqual([16, 18, 19, 21, 22, 23, 24, 25])
    expect(await deleteCheckpoints(runner, wt, 't1')).toEqual([16, 18, 19, 21, 22, 23, 24, 25])
    expect(git(repo, 'for-each-ref', '--format=%(refname)', 'refs/skein/checkpoints')).toBe('refs/skein/checkpoints/t10/1')
  })
})

describe('previewing a rewind', () => {
  it('lists exactly the changed files with line counts, and both sides of one', async () => {
    const { wt } = threadWorktree()
    const written = await checkpoint(wt, 1)
    sh(wt, 'printf "export const four = 4\\nexport const five = 5\\n" >> lib/util.ts')
    writeFileSync(join(wt, 'docs/guide.md'), '# Guide\n')
    writeFile(join(wt, 'extra.ts'), 'one\ntwo\n')
    rmSync(join(wt, 'gone.txt'))
    writeFileSync(join(wt, 'logo.bin'), Buffer.from([0, 0, 0]))
    git(wt, 'add', 'extra.ts')
    const d = await diffToCheckpoint(runner, wt, written.commit!)
    const files = d.files.map(({ version: _v, ...f }) => f)
    expect(files).toEqual([
      { path: 'docs/guide.md', oldPath: null, status: 'modified', binary: false, additions: 2, deletions: 0 },
      { path: 'extra.ts', oldPath: null, status: 'deleted', binary: false, additions: 0, deletions: 2 },
      { path: 'gone.txt', oldPath: null, status: 'added', binary: false, additions: 1, deletions: 0 },
      { path: 'lib/util.ts', oldPath: null, status: 'modified', binary: false, additions: 0, deletions: 2 },
      { path: 'logo.bin', oldPath: null, status: 'modified', binary: true, additions: null, deletions: null }
    ])
    expect(d).toMatchObject({ indexChanges: true, headChanges: false, blocked: [] })
    const sides = await checkpointFileSides(runner, wt, written.commit!, 'lib/util.ts', false)
    expect(sides).toEqual({
      kind: 'text',
      original: 'export const one = 1\nexport const two = 2\nexport const three = 3\nexport const four = 4\nexport const five = 5\n',
      modified: 'export const one = 1\nexport const two = 2\nexport const three = 3\n'
    })
    expect(await checkpointFileSides(runner, wt, written.commit!, 'gone.txt', false)).toEqual({
      kind: 'text',
      original: '',
      modified: 'to be deleted\n'
    })
    expect(await checkpointFileSides(runner, wt, written.commit!, 'logo.bin', false)).toEqual({
      kind: 'binary',
      originalBytes: 3,
      modifiedBytes: 8
    })
    git(wt, 'commit', '-q', '-m', 'moves HEAD')
    expect((await diffToCheckpoint(runner, wt, written.commit!)).headChanges).toBe(true)
  })
})

describe('forking from a checkpoint', () => {
  it('gives a new worktree exactly the checkpoint, and leaves the original alone', async () => {
    const { repo, wt } = threadWorktree()
    dirtyEverything(wt)
    const written = await checkpoint(wt, 1)
    const original = fullState(wt)
    const forkPath = join(tempDir('skein-fork-'), 'fork')
    git(repo, 'worktree', 'add', '-q', '-b', 'fork', forkPath, written.state.head!)
    const r = done(await materializeCheckpoint(runner, forkPath, written.commit!))
    expect(r.files).toBeGreaterThan(5)
    const { branch: forkBranch, longStatus: forkStatus, ...fork } = fullState(forkPath)
    const { branch: threadBranch, longStatus: threadStatus, ...thread } = original
    expect(fork).toEqual(thread)
    expect(forkStatus).toBe((threadStatus as string).replace('On branch thread', 'On branch fork'))
    expect([forkBranch, threadBranch]).toEqual(['refs/heads/fork\n', 'refs/heads/thread\n'])
    expect(fullState(wt)).toEqual(original)
  })
})

describe('a checkpoint of a fresh worktree', () => {
  it('works on an unborn branch, and a restore leaves HEAD there', async () => {
    const dir = join(tempDir('skein-unborn-'), 'repo')
    mkdirSync(dir)
    git(dir, 'init', '-q', '-b', 'main')
    writeFile(join(dir, 'a.txt'), 'first\n')
    git(dir, 'add', 'a.txt')
    writeFile(join(dir, 'b.txt'), 'untracked\n')
    const expected = fullState(dir)
    const written = await checkpoint(dir, 1)
    expect(written.state).toMatchObject({ head: null, branch: 'main', dirtyFiles: 2 })
    renameSync(join(dir, 'b.txt'), join(dir, 'c.txt'))
    git(dir, 'rm', '-q', '--cached', 'a.txt')
    done(await restoreCheckpoint(runner, dir, written.commit!))
    expect(fullState(dir)).toEqual(expected)
  })
})
