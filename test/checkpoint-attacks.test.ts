/**
 * Attacks on the promises of checkpoints: a rewind never writes outside the worktree (through a
 * link, ignored or tracked), never touches what it did not save, never reads a path outside the
 * worktree for its preview, never trusts a ref that is not a checkpoint, and changes nothing when
 * git holds the index.
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { cleanupTemp, git, makeCore, makeRepo, must, tempDir } from './helpers/fixtures'
import { worktreeState } from './helpers/tree-state'

afterEach(cleanupTemp)

async function setup() {
  const { core } = await makeCore()
  const repoPath = makeRepo()
  const repo = must(await core.repos.add(repoPath))
  const thread = must(await core.threads.create({ repoId: repo.id, title: 'attacks', mode: 'worktree' }))
  const outside = tempDir('skein-outside-')
  writeFileSync(join(outside, 'keep.txt'), 'outside\n')
  return { core, repoPath, thread, wt: thread.worktreePath, outside }
}
const manual = { trigger: 'manual' as const, label: 'attack' }

describe('checkpoint attacks', () => {
  it('refuses to write through an ignored link to outside the worktree where the checkpoint has a folder', async () => {
    const { core, thread, wt, outside } = await setup()
    mkdirSync(join(wt, 'out'))
    writeFileSync(join(wt, 'out', 'x.txt'), 'inside\n')
    const c = must(await core.checkpoints.take(thread.id, manual))
    rmSync(join(wt, 'out'), { recursive: true })
    writeFileSync(join(wt, '.gitignore'), 'out\n')
    symlinkSync(outside, join(wt, 'out'))
    const before = worktreeState(wt)
    const preview = must(await core.checkpoints.diff(thread.id, c.n))
    expect(preview.blocked.map((b) => b.path)).toContain('out')
    const r = await core.rewind({ threadId: thread.id, checkpoint: c.n, restore: 'code' })
    expect(!r.ok && r.error.message).toMatch(/out/)
    expect(existsSync(join(outside, 'x.txt'))).toBe(false)
    expect(readlinkSync(join(wt, 'out'))).toBe(outside)
    expect(worktreeState(wt)).toEqual(before)
  })

  it('replaces a tracked link to outside by the saved folder without writing through it', async () => {
    const { core, thread, wt, outside } = await setup()
    mkdirSync(join(wt, 'dir'))
    writeFileSync(join(wt, 'dir', 'x.txt'), 'inside\n')
    const c = must(await core.checkpoints.take(thread.id, manual))
    rmSync(join(wt, 'dir'), { recursive: true })
    symlinkSync(outside, join(wt, 'dir'))
    git(wt, 'add', 'dir')
    git(wt, 'commit', '-qm', 'a link out')
    must(await core.rewind({ threadId: thread.id, checkpoint: c.n, restore: 'code' }))
    expect(lstatSync(join(wt, 'dir')).isDirectory()).toBe(true)
    expect(readFileSync(join(wt, 'dir', 'x.txt'), 'utf8')).toBe('inside\n')
    expect(existsSync(join(outside, 'x.txt'))).toBe(false)
    expect(readFileSync(join(outside, 'keep.txt'), 'utf8')).toBe('outside\n')
  })

  it('previews only paths inside the worktree', async () => {
    const { core, thread } = await setup()
    const c = must(await core.checkpoints.take(thread.id, manual))
    for (const path of ['../../../etc/passwd', '/etc/passwd', '.git/config', 'src/../../x', 'a//b']) {
      const r = await core.checkpoints.file(thread.id, c.n, path, false)
      expect(r.ok, path).toBe(false)
    }
    expect(must(await core.checkpoints.file(thread.id, c.n, 'src/app.ts', false))).toMatchObject({ kind: 'text' })
  })

  it('ignores refs that are not checkpoints, and names numbers that do not exist', async () => {
    const { core, thread, repoPath } = await setup()
    must(await core.checkpoints.take(thread.id, manual))
    // Someone points a checkpoint-looking ref at an ordinary commit.
    git(repoPath, 'update-ref', `refs/skein/checkpoints/${thread.id}/7`, 'HEAD')
    expect(must(await core.checkpoints.list(thread.id)).map((c) => c.n)).toEqual([1])
    const r = await core.rewind({ threadId: thread.id, checkpoint: 7, restore: 'code' })
    expect(!r.ok && r.error.message).toMatch(/Checkpoint 7 of this thread does not exist/)
    const f = await core.fork({ threadId: thread.id, fromTurnId: 'turn-nope', prompts: [] })
    expect(!f.ok && f.error.message).toMatch(/not in this conversation/)
    expect(core.threads.list()).toHaveLength(1)
  })

  it('changes nothing while another git command holds the index', async () => {
    const { core, thread, wt } = await setup()
    const c = must(await core.checkpoints.take(thread.id, manual))
    writeFileSync(join(wt, 'README.md'), 'changed\n')
    const lock = join(git(wt, 'rev-parse', '--absolute-git-dir'), 'index.lock')
    writeFileSync(lock, '')
    const before = worktreeState(wt)
    const r = await core.rewind({ threadId: thread.id, checkpoint: c.n, restore: 'code' })
    expect(!r.ok && r.error.message).toMatch(/index\.lock/)
    expect(worktreeState(wt)).toEqual(before)
    rmSync(lock)
  })
})
