import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ErrorCode } from '../src/shared/errors'
import type { Thread } from '../src/shared/models'
import { GitRunner } from '../src/main/core/git/git-runner'
import { DataDir } from '../src/main/core/store/data-dir'
import { WorktreeManager } from '../src/main/core/threads/worktree-manager'
import { cleanupTemp, git, makeCore, makeRepo, must, writeFile } from './helpers/fixtures'
import { gitRaw, gitState, listing } from './helpers/worktree-listing'
import { buildFuzzState, mulberry32 } from './helpers/fuzz-worktree'

afterEach(cleanupTemp)

type Core = Awaited<ReturnType<typeof makeCore>>['core']

async function setup(title = 'work') {
  const repoPath = makeRepo()
  const made = await makeCore()
  const repo = must(await made.core.repos.add(repoPath))
  const t = must(await made.core.threads.create({ repoId: repo.id, title, mode: 'worktree' }))
  return { ...made, repoPath, repo, t, wt: t.worktreePath }
}

/** Archives and restores a thread; returns what differs (empty when restore was exact) and the archived thread. */
async function roundTrip(core: Core, t: Thread): Promise<{ diffs: string[]; archived: Thread }> {
  const wt = t.worktreePath
  const stateBefore = gitState(wt)
  // Listed after git status, which may refresh the index (and a nested repo is untouched by it).
  const before = listing(wt)
  const archived = must(await core.threads.archive(t.id))
  expect(existsSync(wt)).toBe(false)
  must(await core.threads.restore(t.id))
  const leftOut = (archived.archiveReport?.leftOut ?? []).map((l) => l.path)
  const after = listing(wt)
  const stateAfter = gitState(wt)
  const prefixes = leftOut.map((p) => JSON.stringify(Buffer.from(p).toString('latin1')).slice(0, -1))
  const beforeKept = before.filter((line) => !prefixes.some((q) => line.startsWith(`${q}"`) || line.startsWith(`${q}/`)))
  const diffs: string[] = []
  const a = new Set(after)
  const b = new Set(beforeKept)
  for (const l of beforeKept) if (!a.has(l)) diffs.push(`lost or changed: ${l.slice(0, 200)}`)
  for (const l of after) if (!b.has(l)) diffs.push(`new or changed: ${l.slice(0, 200)}`)
  for (const k of Object.keys(stateBefore))
    if (stateBefore[k] !== stateAfter[k])
      diffs.push(`git ${k}: ${JSON.stringify(stateBefore[k]).slice(0, 300)} became ${JSON.stringify(stateAfter[k]).slice(0, 300)}`)
  return { diffs, archived }
}

async function expectExact(core: Core, t: Thread): Promise<Thread> {
  const { diffs, archived } = await roundTrip(core, t)
  expect(diffs).toEqual([])
  return archived
}

describe('archive keeps everything in the worktree', () => {
  it('ignored files (.env, local config) come back', async () => {
    const { core, t, wt } = await setup()
    writeFile(join(wt, '.gitignore'), '.env\nlocal/\n*.log\n')
    writeFile(join(wt, '.env'), 'API_KEY=secret\n')
    writeFile(join(wt, 'local/settings.json'), '{"debug":true}\n')
    writeFile(join(wt, 'server.log'), 'log line\n')
    const archived = await expectExact(core, t)
    expect(archived.archiveReport?.leftOut).toEqual([])
    expect(readFileSync(join(wt, '.env'), 'utf8')).toBe('API_KEY=secret\n')
  })

  it('a nested repository comes back with its history, uncommitted edit and untracked file', async () => {
    const { core, t, wt } = await setup()
    const v = join(wt, 'vendorlib')
    mkdirSync(v)
    git(v, 'init', '-q', '-b', 'main')
    writeFile(join(v, 'lib.c'), 'int one;\n')
    git(v, 'add', '-A')
    git(v, 'commit', '-q', '-m', 'one')
    writeFile(join(v, 'lib.c'), 'int two;\n')
    git(v, 'commit', '-q', '-am', 'two')
    writeFile(join(v, 'lib.c'), 'int three; /* uncommitted */\n')
    writeFile(join(v, 'scratch.txt'), 'untracked in the nested repo\n')
    const log = git(v, 'log', '--format=%H %s')
    const status = git(v, 'status', '--porcelain')
    await expectExact(core, t)
    expect(git(v, 'log', '--format=%H %s')).toBe(log)
    expect(git(v, 'status', '--porcelain')).toBe(status)
    expect(readFileSync(join(v, 'lib.c'), 'utf8')).toBe('int three; /* uncommitted */\n')
  })

  it('empty folders, nested ones too, come back', async () => {
    const { core, t, wt } = await setup()
    mkdirSync(join(wt, 'empty'))
    mkdirSync(join(wt, 'deep/er/still'), { recursive: true })
    await expectExact(core, t)
    expect(existsSync(join(wt, 'deep/er/still'))).toBe(true)
  })

  it('an assume-unchanged file keeps its edit and its flag', async () => {
    const { core, t, wt } = await setup()
    git(wt, 'update-index', '--assume-unchanged', 'README.md')
    writeFile(join(wt, 'README.md'), '# edited behind git\n')
    await expectExact(core, t)
    expect(readFileSync(join(wt, 'README.md'), 'utf8')).toBe('# edited behind git\n')
    expect(git(wt, 'ls-files', '-v', 'README.md')).toBe('h README.md')
  })

  it('a skip-worktree file keeps its edit and its flag', async () => {
    const { core, t, wt } = await setup()
    git(wt, 'update-index', '--skip-worktree', 'src/app.ts')
    writeFile(join(wt, 'src/app.ts'), 'export const answer = 7\n')
    await expectExact(core, t)
    expect(readFileSync(join(wt, 'src/app.ts'), 'utf8')).toBe('export const answer = 7\n')
    expect(git(wt, 'ls-files', '-v', 'src/app.ts')).toBe('S src/app.ts')
  })

  it('CRLF bytes survive core.autocrlf=true', async () => {
    const { core, t, wt } = await setup()
    git(wt, 'config', 'core.autocrlf', 'true')
    writeFile(join(wt, 'crlf.txt'), 'one\r\ntwo\r\n')
    writeFile(join(wt, 'lf.txt'), 'one\ntwo\n')
    writeFile(join(wt, 'mixed.txt'), 'one\r\ntwo\nthree\r')
    git(wt, 'add', 'crlf.txt', 'lf.txt')
    git(wt, 'commit', '-q', '-m', 'eol files')
    writeFile(join(wt, 'lf.txt'), 'one\ntwo\nthree\n')
    writeFile(join(wt, 'untracked-crlf.txt'), 'a\r\nb\r\n')
    await expectExact(core, t)
    expect(readFileSync(join(wt, 'lf.txt'))).toEqual(Buffer.from('one\ntwo\nthree\n'))
  })

  it('LF bytes survive .gitattributes "* text eol=crlf"', async () => {
    const { core, t, wt } = await setup()
    writeFile(join(wt, '.gitattributes'), '* text eol=crlf\n')
    writeFile(join(wt, 'doc.txt'), 'a\r\nb\r\n')
    git(wt, 'add', '-A')
    git(wt, 'commit', '-q', '-m', 'attributes')
    // Written after checkout, so the bytes on disk are not what a checkout would produce.
    writeFile(join(wt, 'doc.txt'), 'a\nb\n')
    writeFile(join(wt, 'new.txt'), 'x\ny\n')
    await expectExact(core, t)
    expect(readFileSync(join(wt, 'doc.txt'))).toEqual(Buffer.from('a\nb\n'))
  })

  it('exact modes: 600, 640 and 755 files, 700 and 750 folders', async () => {
    const { core, t, wt } = await setup()
    const modes: [string, number][] = [
      ['secret.key', 0o600],
      ['group.conf', 0o640],
      ['run.sh', 0o755],
      ['readonly.txt', 0o444]
    ]
    for (const [f, m] of modes) {
      writeFile(join(wt, f), `${f}\n`)
      chmodSync(join(wt, f), m)
    }
    chmodSync(join(wt, 'README.md'), 0o600)
    mkdirSync(join(wt, 'private/inner'), { recursive: true })
    writeFile(join(wt, 'private/inner/x'), 'x')
    chmodSync(join(wt, 'private/inner'), 0o750)
    chmodSync(join(wt, 'private'), 0o700)
    await expectExact(core, t)
    expect(listing(wt).filter((l) => l.startsWith('"secret.key" file 600'))).toHaveLength(1)
  })

  it('symlinks come back as links, dangling ones included', async () => {
    const { core, t, wt } = await setup()
    symlinkSync('README.md', join(wt, 'to-file'))
    symlinkSync('src', join(wt, 'to-dir'))
    symlinkSync('nowhere/at/all', join(wt, 'dangling'))
    symlinkSync('/etc/hostname', join(wt, 'absolute'))
    await expectExact(core, t)
    expect(gitRaw(wt, 'status', '--porcelain')).toContain('dangling')
  })

  it('staged and unstaged states of the same file stay apart', async () => {
    const { core, t, wt } = await setup()
    writeFile(join(wt, 'README.md'), '# staged\n')
    git(wt, 'add', 'README.md')
    writeFile(join(wt, 'README.md'), '# staged, then edited\n')
    writeFile(join(wt, 'added-then-deleted.txt'), 'in the index only\n')
    git(wt, 'add', 'added-then-deleted.txt')
    rmSync(join(wt, 'added-then-deleted.txt'))
    git(wt, 'rm', '-q', '--cached', 'src/app.ts')
    writeFile(join(wt, 'intent.txt'), 'intent to add\n')
    git(wt, 'add', '-N', 'intent.txt')
    await expectExact(core, t)
    expect(git(wt, 'show', ':README.md')).toBe('# staged')
    expect(git(wt, 'show', ':added-then-deleted.txt')).toBe('in the index only')
  })

  it('names with spaces, unicode, a newline and bytes that are not UTF-8', async () => {
    const { core, t, wt } = await setup()
    writeFile(join(wt, 'with space.txt'), 'space\n')
    writeFile(join(wt, 'ünïcødé ✓.txt'), 'unicode\n')
    writeFile(join(wt, 'new\nline.txt'), 'newline\n')
    writeFile(join(wt, 'comma,name'), 'comma\n')
    writeFileSync(Buffer.concat([Buffer.from(`${wt}/bad-`), Buffer.from([0xff, 0xfe]), Buffer.from('.bin')]), 'not utf-8 name\n')
    git(wt, 'add', 'with space.txt')
    await expectExact(core, t)
    expect(readFileSync(join(wt, 'new\nline.txt'), 'utf8')).toBe('newline\n')
  })

  it('leaves out an ignored node_modules over the size limit, and says so with its size', async () => {
    const { core, t, wt } = await setup()
    writeFile(join(wt, '.gitignore'), 'node_modules/\ndist/\n')
    writeFile(join(wt, 'node_modules/pkg/index.js'), 'module.exports = 1\n')
    // Sparse: 60 MB of size on disk costs nothing to make.
    writeFile(join(wt, 'node_modules/pkg/big.bin'), '')
    truncateSync(join(wt, 'node_modules/pkg/big.bin'), 60 * 1024 * 1024)
    writeFile(join(wt, 'dist/out.js'), 'small build output is kept\n')
    const archived = await expectExact(core, t)
    const leftOut = archived.archiveReport?.leftOut ?? []
    expect(leftOut.map((l) => l.path)).toEqual(['node_modules'])
    expect(leftOut[0]!.bytes).toBe(60 * 1024 * 1024 + 19)
    expect(leftOut[0]!.files).toBe(2)
    expect(leftOut[0]!.reason).toMatch(/git-ignored and over 50 MB, so taken as regenerable/)
    expect(existsSync(join(wt, 'node_modules'))).toBe(false)
    expect(readFileSync(join(wt, 'dist/out.js'), 'utf8')).toBe('small build output is kept\n')
    // The record stays on the thread after restore, for the UI.
    expect(core.threads.list().find((x) => x.id === t.id)?.archiveReport?.leftOut[0]?.path).toBe('node_modules')
  })
})

describe('snapshots written before manifests', () => {
  it('still restore (tracked and untracked files, index)', async () => {
    const { core, t, wt, repoPath } = await setup()
    writeFile(join(wt, 'README.md'), '# staged\n')
    git(wt, 'add', 'README.md')
    writeFile(join(wt, 'untracked.txt'), 'untracked\n')
    // The old layout: ref -> commit of the working tree, whose parent is a commit of the index on HEAD.
    const scratchIndex = join(repoPath, '..', 'legacy-index')
    const env = { ...process.env, GIT_INDEX_FILE: scratchIndex }
    const { execFileSync } = await import('node:child_process')
    execFileSync('git', ['add', '-A'], { cwd: wt, env })
    const workTree = execFileSync('git', ['write-tree'], { cwd: wt, env, encoding: 'utf8' }).trim()
    const indexCommit = git(wt, 'commit-tree', git(wt, 'write-tree'), '-p', 'HEAD', '-m', 'index')
    git(wt, 'update-ref', `refs/skein/snapshots/${t.id}`, git(wt, 'commit-tree', workTree, '-p', indexCommit, '-m', 'legacy'))
    rmSync(wt, { recursive: true, force: true })
    git(repoPath, 'worktree', 'prune')
    must(await core.threads.restore(t.id))
    expect(readFileSync(join(wt, 'untracked.txt'), 'utf8')).toBe('untracked\n')
    expect(git(wt, 'show', ':README.md')).toBe('# staged')
  })
})

describe('archive verifies the snapshot before removing the folder', () => {
  async function faulty(
    fault: (ctx: { repoPath: string; wt: string; manifest: { worktree: { path?: string; blob: string | null }[] } }) => Promise<void>
  ) {
    const s = await setup()
    writeFile(join(s.wt, 'precious.txt'), 'only copy of this work\n')
    writeFile(join(s.wt, '.gitignore'), '.env\n')
    writeFile(join(s.wt, '.env'), 'TOKEN=1\n')
    const before = listing(s.wt)
    const manager = new WorktreeManager(new GitRunner(), new DataDir(s.home), {
      beforeVerify: (w) => fault({ repoPath: s.repoPath, wt: s.wt, manifest: w.manifest as never })
    })
    const saved = await manager.saveAndRemove(s.repoPath, s.wt, s.t.id, 'archive')
    return { ...s, saved, before }
  }

  it('aborts and keeps the worktree when an object of the snapshot is missing', async () => {
    const { saved, wt, repoPath, before, t } = await faulty(async ({ repoPath, manifest }) => {
      const blob = manifest.worktree.find((e) => e.path === 'precious.txt')!.blob!
      rmSync(join(repoPath, '.git/objects', blob.slice(0, 2), blob.slice(2)))
    })
    expect(saved.ok).toBe(false)
    if (!saved.ok) {
      expect(saved.error.code).toBe(ErrorCode.GitFailed)
      expect(saved.error.message).toMatch(/could not be verified .*missing/)
      expect(saved.error.message).toContain('left in place')
    }
    expect(listing(wt)).toEqual(before)
    expect(gitRaw(repoPath, 'rev-parse', '--verify', '-q', `refs/skein/snapshots/${t.id}`)).toMatch(/^exit/)
    expect(git(repoPath, 'worktree', 'list')).toContain(wt)
  })

  it('aborts and keeps the worktree when a file changes while it is being saved', async () => {
    const { saved, wt, before } = await faulty(async ({ wt }) => {
      writeFileSync(join(wt, 'precious.txt'), 'changed during the archive\n')
    })
    expect(saved.ok).toBe(false)
    if (!saved.ok) expect(saved.error.message).toMatch(/precious\.txt changed while it was being saved/)
    expect(listing(wt)).not.toEqual(before)
    expect(readFileSync(join(wt, 'precious.txt'), 'utf8')).toBe('changed during the archive\n')
    expect(readFileSync(join(wt, '.env'), 'utf8')).toBe('TOKEN=1\n')
  })
})

describe('archive fuzz', () => {
  it('restores 40 random worktree states byte-for-byte', async () => {
    const seed = Number(process.env.SKEIN_FUZZ_SEED ?? Date.now() % 1_000_000)
    const count = Number(process.env.SKEIN_FUZZ_STATES ?? 40)
    const rand = mulberry32(seed)
    const { core, repo, repoPath } = await setup('fuzz base')
    const failures: string[] = []
    for (let i = 0; i < count; i++) {
      const t = must(await core.threads.create({ repoId: repo.id, title: `fuzz ${i}`, mode: 'worktree' }))
      const kinds = buildFuzzState(t.worktreePath, rand)
      try {
        const { diffs } = await roundTrip(core, t)
        if (diffs.length > 0) failures.push(`state ${i} [${kinds.join(', ')}]: ${diffs.slice(0, 4).join(' | ')}`)
      } catch (e) {
        failures.push(`state ${i} [${kinds.join(', ')}]: threw ${(e as Error).message.slice(0, 300)}`)
      }
      // Each state gets its own worktree; drop it so 40 of them do not pile up.
      must(await core.threads.delete(t.id))
    }
    expect(repoPath).toBeTruthy()
    console.log(`archive fuzz: seed ${seed}, ${count} states, ${failures.length} failed`)
    expect(failures, `seed ${seed} (rerun with SKEIN_FUZZ_SEED=${seed})`).toEqual([])
  }, 900_000)
})
