import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { linkSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { RepoDisk } from '../src/shared/disk'
import { DiskService } from '../src/main/core/disk/disk-service'
import { GitRunner } from '../src/main/core/git/git-runner'
import { memoryLogger } from '../src/main/core/logger'
import type { NotificationBus } from '../src/main/core/notification-bus'
import { cleanupTemp, makeCore, makeRepo, must, writeFile } from './helpers/fixtures'

afterEach(cleanupTemp)

/** GNU du over several folders: allocated bytes, hard links once across all of them, links not followed. */
const du = (...paths: string[]) =>
  Number(
    execFileSync('du', ['-s', '-c', '-B1', ...paths], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .at(-1)!
      .split('\t')[0]
  )

async function setup() {
  const made = await makeCore()
  const repo = must(await made.core.repos.add(makeRepo()))
  const a = must(await made.core.threads.create({ repoId: repo.id, title: 'first', mode: 'worktree' }))
  const b = must(await made.core.threads.create({ repoId: repo.id, title: 'second', mode: 'worktree' }))
  const shared = join(made.core.dataDir.repoShared(repo.id), 'node_modules')
  writeFile(join(shared, 'dep', 'index.js'), randomBytes(2 * 1024 * 1024))
  for (const t of [a, b]) symlinkSync(shared, join(t.worktreePath, 'node_modules'))
  writeFile(join(a.worktreePath, 'build', 'out.bin'), randomBytes(1024 * 1024))
  return { ...made, repo, a, b, shared }
}

describe('disk use per worktree and per repository', () => {
  it('counts each worktree on its own, a shared folder once, and agrees with du', async () => {
    const { core, repo, a, b, shared } = await setup()
    const [view] = await core.disk.refresh(repo.id)
    const byThread = new Map(view!.worktrees.map((w) => [w.threadId, w]))
    expect(byThread.get(a.id)!.bytes).toBe(du(a.worktreePath))
    expect(byThread.get(b.id)!.bytes).toBe(du(b.worktreePath))
    expect(byThread.get(a.id)!.sharedLinks).toEqual([shared])
    expect(view!.shared).toEqual([{ path: shared, bytes: du(shared), linkedBy: expect.arrayContaining([a.id, b.id]) }])
    expect(view!.totalBytes).toBe(du(a.worktreePath, b.worktreePath, shared))
    // The shared 2 MB is in the total once, not once per worktree.
    expect(view!.totalBytes).toBeLessThan(byThread.get(a.id)!.bytes + byThread.get(b.id)!.bytes + 2 * du(shared))
  })

  it('counts a file hard-linked into two worktrees once in the total', async () => {
    const { core, repo, a, b } = await setup()
    linkSync(join(a.worktreePath, 'build', 'out.bin'), join(b.worktreePath, 'same.bin'))
    const [view] = await core.disk.refresh(repo.id)
    expect(view!.totalBytes).toBe(du(...view!.worktrees.map((w) => w.path), ...view!.shared.map((s) => s.path)))
  })

  it('measures again after a thread is created or archived, and tells every client', async () => {
    const made = await makeCore()
    const repo = must(await made.core.repos.add(makeRepo()))
    // This service hears the core's thread events, and its own figures go to this list only.
    const updates: RepoDisk[] = []
    const bus = {
      subscribe: made.core.bus.subscribe.bind(made.core.bus),
      publish: (_name: string, p: { repo: RepoDisk }) => updates.push(p.repo)
    } as unknown as NotificationBus
    const budgets = { diskBudget: () => null, setDiskBudget: async () => ({ ok: true as const, value: undefined }) }
    const disk = new DiskService({
      git: new GitRunner(),
      dataDir: made.core.dataDir,
      bus,
      logger: memoryLogger(),
      repos: () => made.core.repos.list(),
      threads: () => made.core.threads.list({ includeArchived: true }),
      budgets,
      settleMs: 20,
      minIntervalMs: 0
    })
    try {
      const until = async (test: (v: RepoDisk) => boolean) => expect.poll(() => updates.some(test), { timeout: 20_000 }).toBe(true)
      const t = must(await made.core.threads.create({ repoId: repo.id, title: 'grows', mode: 'worktree' }))
      await until((v) => v.worktrees.some((w) => w.threadId === t.id))
      writeFile(join(t.worktreePath, 'data.bin'), randomBytes(512 * 1024))
      must(await made.core.threads.rename(t.id, 'grows more'))
      await made.core.threads.updateConversation(t.id, {}, 'done')
      await until((v) => (v.worktrees.find((w) => w.threadId === t.id)?.bytes ?? 0) >= 512 * 1024)
      must(await made.core.threads.archive(t.id))
      await until((v) => v.worktrees.length === 0)
      // Then it comes to rest: no timer, no queued walk, so an idle core spends nothing on disk figures.
      await expect.poll(() => disk.resting, { timeout: 20_000 }).toBe(true)
      const seen = updates.length
      await made.core.threads.updateConversation(t.id, {}, null)
      expect(disk.resting).toBe(true)
      expect(updates.length).toBe(seen)
    } finally {
      disk.dispose()
    }
  })
})

describe('disk budget', () => {
  it('warns with the numbers when one more worktree like the others would pass it', async () => {
    const { core, repo } = await setup()
    const none = await core.disk.check(repo.id)
    expect(none).toMatchObject({ budgetBytes: null, over: false, message: null })
    const [view] = await core.disk.refresh(repo.id)
    const sizes = view!.worktrees.map((w) => w.bytes).sort((x, y) => x - y)
    must(await core.disk.setBudget(repo.id, view!.totalBytes + 1024))
    const over = await core.disk.check(repo.id)
    expect(over.over).toBe(true)
    expect(over.usedBytes).toBe(view!.totalBytes)
    expect(over.estimateBytes).toBe(sizes[1])
    expect(over.message).toMatch(/use .* of its .* disk budget; a new worktree adds about .* \(the median of its 2 worktrees\), making /)
    must(await core.disk.setBudget(repo.id, view!.totalBytes + sizes[1]! + 4096))
    expect((await core.disk.check(repo.id)).over).toBe(false)
    must(await core.disk.setBudget(repo.id, null))
    expect((await core.disk.check(repo.id)).budgetBytes).toBeNull()
  })

  it('estimates a first worktree from the checked-out files, and keeps the budget across restarts', async () => {
    const made = await makeCore()
    const repoPath = makeRepo()
    writeFile(join(repoPath, 'assets', 'big.bin'), randomBytes(300_000))
    execFileSync('git', ['-C', repoPath, 'add', '-A'])
    execFileSync('git', ['-C', repoPath, '-c', 'user.name=T', '-c', 'user.email=t@e', 'commit', '-qm', 'assets'])
    const repo = must(await made.core.repos.add(repoPath))
    must(await made.core.disk.setBudget(repo.id, 100_000))
    const check = await made.core.disk.check(repo.id)
    expect(check.estimateBytes).toBeGreaterThanOrEqual(300_000)
    expect(check.over).toBe(true)
    expect(check.message).toContain('its checked-out files')
    await made.core.close()
    const again = await makeCore(made.home)
    expect((await again.core.disk.check(repo.id)).budgetBytes).toBe(100_000)
  })
})
