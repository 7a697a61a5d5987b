import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DataDir } from '../src/main/core/store/data-dir'
import { CreateIntents } from '../src/main/core/threads/create-intents'
import { socketTransport } from '../src/main/core/rpc/socket-transport'
import { RpcClient } from '../src/shared/rpc-client'
import { cleanupTemp, git, makeCore, makeRepo, must, tempDir } from './helpers/fixtures'
import { eventually } from './helpers/pty-client'
import { killServedCores, requireServeBuilt, startServedCore } from './helpers/served-core'

beforeAll(requireServeBuilt)
afterEach(async () => {
  killServedCores()
  await cleanupTemp()
})

/**
 * Starts a real core process on `home`, asks it over its socket to create a worktree thread, and
 * kill -9s it at the test-only pause point after the worktree and branch exist but before the thread
 * is saved. Returns the worktree path it had made.
 */
async function killDuringCreate(home: string, repoId: string, title: string, beforeKill?: (path: string) => void): Promise<string> {
  const core = await startServedCore(home, { SKEIN_TEST_PAUSE_CREATE: 'after-worktree' })
  void core.client.request('thread/create', { repoId, title, mode: 'worktree' }).catch(() => undefined)
  await eventually(() => /SKEIN_TEST_PAUSED after-worktree (\S+)/.test(core.output()), 'the create to reach the pause point')
  const path = /SKEIN_TEST_PAUSED after-worktree (\S+)/.exec(core.output())![1]!
  beforeKill?.(path)
  await core.kill9()
  return path
}

async function homeWithRepo() {
  const home = tempDir('skein-crash-home-')
  const repoPath = makeRepo()
  const first = await makeCore(home)
  const repo = must(await first.core.repos.add(repoPath))
  await first.core.close()
  return { home, repoPath, repo }
}

const branches = (repo: string) => git(repo, 'branch', '--format=%(refname:short)').split('\n').filter(Boolean)

describe('kill -9 during thread/create', () => {
  it('removes the untouched worktree and branch it left, with a notice, and creating again works', async () => {
    const { home, repoPath, repo } = await homeWithRepo()
    const path = await killDuringCreate(home, repo.id, 'cut short')
    // The attack: the crash left a folder and a branch that no thread owns.
    expect(existsSync(path)).toBe(true)
    expect(branches(repoPath)).toContain('skein/cut-short')

    const { core, logger } = await makeCore(home, { listenSocket: true })
    expect(existsSync(path)).toBe(false)
    // Every window is told, once, what the start cleaned up.
    const window = new RpcClient(socketTransport(connect(join(home, 'skein.sock'))))
    expect((await window.request('core/hello', { client: 'ui' })).notices).toEqual([
      'A thread was being created when Skein stopped. Nothing had been done in it, so its worktree and branch skein/cut-short were removed (a snapshot was kept).'
    ])
    window.dispose()
    expect(branches(repoPath)).not.toContain('skein/cut-short')
    expect(git(repoPath, 'worktree', 'list', '--porcelain')).not.toContain(path)
    expect(core.threads.list()).toEqual([])
    expect(logger.lines.some((l) => l.level === 'warn' && /left by a thread creation that Skein did not finish/.test(l.message))).toBe(true)
    expect(readdirSync(new DataDir(home).createIntentsDir)).toEqual([])
    const again = must(await core.threads.create({ repoId: repo.id, title: 'cut short', mode: 'worktree' }))
    expect(again.branch).toBe('skein/cut-short')
  }, 120_000)

  it('keeps a worktree that already has changes and makes a thread for it, in error with a message', async () => {
    const { home, repoPath, repo } = await homeWithRepo()
    const path = await killDuringCreate(home, repo.id, 'has work', (p) => writeFileSync(join(p, 'notes.txt'), 'do not lose me\n'))

    const { core } = await makeCore(home)
    expect(existsSync(join(path, 'notes.txt'))).toBe(true)
    const threads = core.threads.list()
    expect(threads).toHaveLength(1)
    expect(threads[0]).toMatchObject({ title: 'has work', status: 'error', worktreePath: path, branch: 'skein/has-work', mode: 'worktree' })
    expect(threads[0]!.statusMessage).toMatch(/Skein stopped while creating this thread/)
    expect(branches(repoPath)).toContain('skein/has-work')
    // The kept thread is a normal one: deleting it saves the work, then removes the folder.
    must(await core.threads.delete(threads[0]!.id))
    expect(existsSync(path)).toBe(false)
    expect(git(repoPath, 'show', `refs/skein/snapshots/${threads[0]!.id}:notes.txt`)).toBe('do not lose me')
  }, 120_000)

  it('also finds a leftover from before creates were recorded (no record, only the worktree mark)', async () => {
    const { home, repoPath, repo } = await homeWithRepo()
    const path = await killDuringCreate(home, repo.id, 'old style')
    rmSync(new DataDir(home).createIntentsDir, { recursive: true, force: true })

    const { core } = await makeCore(home)
    expect(existsSync(path)).toBe(false)
    expect(branches(repoPath)).not.toContain('skein/old-style')
    expect(core.threads.list()).toEqual([])
  }, 120_000)

  it('never deletes a branch that predates the create, or one with commits of its own', async () => {
    const { home, repoPath, repo } = await homeWithRepo()
    git(repoPath, 'branch', 'skein/older')
    git(repoPath, 'checkout', '-q', '-b', 'skein/worked')
    git(repoPath, 'commit', '-q', '--allow-empty', '-m', 'work on the branch')
    git(repoPath, 'checkout', '-q', 'main')
    const intents = new CreateIntents(new DataDir(home).createIntentsDir)
    const wt = (slug: string) => join(new DataDir(home).repoWorktrees(repo.id), slug)
    // The first create died while trying a name whose branch already existed; the second after making a branch with commits.
    intents.write({
      threadId: 'tolder',
      repoId: repo.id,
      title: 'older',
      baseRef: 'main',
      path: wt('older'),
      branch: 'skein/older',
      startedAt: Date.now() + 60_000
    })
    intents.write({
      threadId: 'tworked',
      repoId: repo.id,
      title: 'worked',
      baseRef: 'main',
      path: wt('worked'),
      branch: 'skein/worked',
      startedAt: Date.now() - 1000
    })
    await makeCore(home)
    expect(branches(repoPath)).toEqual(expect.arrayContaining(['skein/older', 'skein/worked']))
    expect(intents.list()).toEqual([])
  })
})
