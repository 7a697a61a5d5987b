import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { memoryLogger } from '../src/main/core/logger'
import { DataDir } from '../src/main/core/store/data-dir'
import { ThreadStore } from '../src/main/core/store/thread-store'
import type { Repo, Thread } from '../src/shared/models'
import { cleanupTemp, makeCore, must, tempDir } from './helpers/fixtures'
import { storeThread } from './helpers/thread-fixture'

afterEach(cleanupTemp)

const repo: Repo = { id: 'r1', name: 'r1', path: '/nowhere/r1', defaultBranch: 'main', addedAt: 1 } as Repo

const ids = (file: string): string[] =>
  (JSON.parse(readFileSync(file, 'utf8')) as { threads: { thread: Thread }[] }).threads.map((e) => e.thread.id).sort()

/** A home of `live` + `archived` threads, saved. */
async function home(live: number, archived: number): Promise<{ dir: DataDir; archivedIds: string[] }> {
  const dir = new DataDir(tempDir())
  const s = await ThreadStore.open(dir, memoryLogger())
  const archivedIds: string[] = []
  for (let i = 0; i < live + archived; i++) {
    const t = must(await s.create(storeThread(`t${i}`, { createdAt: 1000 + i, lastActivityAt: 1000 + i }), repo))
    if (i >= live) {
      must(await s.update(t.id, { status: 'archived', archivedAt: 5000 + i }, 'archived'))
      archivedIds.push(t.id)
    }
  }
  await s.flush()
  return { dir, archivedIds }
}

describe('archived threads in their own index', () => {
  it('a save keeps index.json to the live threads and archived.json to the archived ones; a start reads both', async () => {
    const { dir, archivedIds } = await home(3, 2)
    expect(ids(dir.indexFile)).toEqual(['t0', 't1', 't2'])
    expect(ids(dir.archivedIndexFile)).toEqual(archivedIds.sort())
    const later = await ThreadStore.open(dir, memoryLogger(), { reconcile: 'later' })
    await later.whenComplete()
    expect(later.complete).toBe(true)
    expect(
      later
        .list()
        .map((t) => t.id)
        .sort()
    ).toEqual(['t0', 't1', 't2', 't3', 't4'])
    expect(later.get('t4')?.status).toBe('archived')
    // The activity order holds them too: a page of archived threads finds them.
    expect([...later.byActivity()].filter((t) => t.status === 'archived').map((t) => t.id)).toEqual(['t4', 't3'])
  })

  it('moves archived threads out of an index written before the split, losing none', async () => {
    const { dir } = await home(2, 2)
    // The old layout: every thread in index.json, no archived.json.
    const all = [readFileSync(dir.indexFile, 'utf8'), readFileSync(dir.archivedIndexFile, 'utf8')].flatMap(
      (text) => (JSON.parse(text) as { threads: unknown[] }).threads
    )
    writeFileSync(dir.indexFile, JSON.stringify({ version: 1, threads: all }))
    writeFileSync(dir.archivedIndexFile, '')
    const s = await ThreadStore.open(dir, memoryLogger())
    expect(s.list()).toHaveLength(4)
    must(await s.update('t0', { title: 'touched' }, 'renamed'))
    await s.flush()
    expect(ids(dir.indexFile)).toEqual(['t0', 't1'])
    expect(ids(dir.archivedIndexFile)).toEqual(['t2', 't3'])
  })

  it('of two entries for one thread (a save cut short between the files), the one folded from more of its log wins', async () => {
    const { dir } = await home(2, 1)
    const staleArchived = readFileSync(dir.archivedIndexFile, 'utf8') // t2 archived
    const s = await ThreadStore.open(dir, memoryLogger())
    must(await s.update('t2', { status: 'idle', archivedAt: null }, 'restored'))
    await s.flush()
    // The live file has t2 restored; put back the archived file from before, as if its rewrite never landed.
    writeFileSync(dir.archivedIndexFile, staleArchived)
    const again = await ThreadStore.open(dir, memoryLogger(), { reconcile: 'later' })
    await again.whenComplete()
    expect(again.get('t2')?.status).toBe('idle')
  })

  it('a lost archived.json is rebuilt from the logs by the check after the start', async () => {
    const { dir } = await home(1, 2)
    writeFileSync(dir.archivedIndexFile, '{ not json')
    const logger = memoryLogger()
    const s = await ThreadStore.open(dir, logger, { reconcile: 'later' })
    await s.whenComplete()
    expect(s.get('t1')).toBeUndefined()
    expect(await s.reconcile()).toBe(2)
    expect(s.get('t1')?.status).toBe('archived')
    expect(logger.lines.some((l) => /archived\.json is corrupt/.test(l.message))).toBe(true)
  })

  it('a request for an archived thread made before they are loaded waits for them, and finds it', async () => {
    const { dir, archivedIds } = await home(1, 50)
    // archived.json as a FIFO: the core's read of it blocks until the test writes, so the request surely comes first.
    const content = readFileSync(dir.archivedIndexFile, 'utf8')
    rmSync(dir.archivedIndexFile)
    execFileSync('mkfifo', [dir.archivedIndexFile])
    const { core } = await makeCore(dir.home)
    const target = archivedIds[archivedIds.length - 1]!
    const ask = (id: number, method: string, params: unknown) =>
      core.rpc.dispatch(JSON.stringify({ jsonrpc: '2.0', id, method, params })).then((r) => JSON.parse(r!))
    const got = ask(1, 'thread/get', { threadId: target })
    const listed = ask(2, 'thread/list', { archived: 'only', limit: 1 })
    try {
      // What a window asks first does not wait.
      expect((await ask(3, 'thread/list', { limit: 10 })).result.total).toBe(1)
      expect(core.threads.list({ includeArchived: true })).toHaveLength(1)
    } finally {
      writeFileSync(dir.archivedIndexFile, content) // unblocks the read even when a check failed, so the core can close
    }
    expect((await got).result?.status).toBe('archived')
    expect((await listed).result.total).toBe(50)
  })
})
