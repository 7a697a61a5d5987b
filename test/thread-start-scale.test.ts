import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { memoryLogger } from '../src/main/core/logger'
import { DataDir } from '../src/main/core/store/data-dir'
import { ThreadStore } from '../src/main/core/store/thread-store'
import type { Thread } from '../src/shared/models'
import { cleanupTemp, makeCore, makeRepo, must, tempDir } from './helpers/fixtures'
import { eventually } from './helpers/pty-client'
import { killServedCores, requireServeBuilt, startServedCore } from './helpers/served-core'

beforeAll(requireServeBuilt)
afterEach(async () => {
  killServedCores()
  await cleanupTemp()
})

async function homeWithThreads(n: number) {
  const home = tempDir('skein-start-home-')
  const { core } = await makeCore(home)
  const repo = must(await core.repos.add(makeRepo()))
  const threads: Thread[] = []
  for (let i = 0; i < n; i++) threads.push(must(await core.threads.create({ repoId: repo.id, title: `thread ${i}`, mode: 'local' })))
  await core.close()
  return { home, repo, threads }
}

const indexed = (home: string) =>
  (JSON.parse(readFileSync(new DataDir(home).indexFile, 'utf8')) as { threads: { thread: Thread }[] }).threads.map((e) => e.thread)

describe('start-up from the journal', () => {
  it('a kill -9 right after thread changes, before the index save, loses nothing: the next start reads the journal', async () => {
    const { home, repo, threads } = await homeWithThreads(2)
    // The index is not saved for a minute: whatever the restart shows came from the journal and the logs.
    const { client, kill9 } = await startServedCore(home, { SKEIN_THREAD_INDEX_SAVE_MS: '60000' })
    const made = (await client.request('thread/create', { repoId: repo.id, title: 'made before the crash', mode: 'local' })) as Thread
    await client.request('thread/rename', { threadId: threads[0]!.id, title: 'renamed before the crash' })
    await client.request('thread/archive', { threadId: threads[1]!.id })
    await kill9()

    // The index on disk never saw these changes: only the journal names the threads to re-read.
    const stale = indexed(home)
    expect(stale.map((t) => t.id)).not.toContain(made.id)
    expect(stale.find((t) => t.id === threads[0]!.id)?.title).toBe('thread 0')

    // The store as the core opens it, without the check of every log, already has everything.
    const store = await ThreadStore.open(new DataDir(home), memoryLogger(), { reconcile: 'later' })
    expect(store.get(made.id)?.title).toBe('made before the crash')
    expect(store.get(threads[0]!.id)?.title).toBe('renamed before the crash')
    expect(store.get(threads[1]!.id)?.status).toBe('archived')
    await store.flush()
    // Opening saved the index and emptied the journal: the next start reads no log at all.
    expect(indexed(home).find((t) => t.id === made.id)?.title).toBe('made before the crash')
    const journal = join(new DataDir(home).threadsDir, 'journal')
    expect(existsSync(journal) ? readFileSync(journal, 'utf8').trim() : '').toBe('')

    const { core } = await makeCore(home)
    expect(core.threads.find(threads[0]!.id)).toMatchObject({ ok: true, value: { title: 'renamed before the crash' } })
    expect(core.threads.list({ includeArchived: true })).toHaveLength(3)
  }, 60_000)

  it('a thread log written by something else is found after ready by the background check and announced', async () => {
    const { home, threads } = await homeWithThreads(2)
    const other = await homeWithThreads(1)
    const copied = other.threads[0]!
    const dir = new DataDir(home)
    cpSync(new DataDir(other.home).threadDir(copied.id), dir.threadDir(copied.id), { recursive: true })
    // And one thread's log grows behind the store's back (a restore from a backup, say).
    const renamed = { type: 'thread.changed', at: Date.now(), reason: 'renamed', patch: { title: 'changed outside' } }
    writeFileSync(dir.eventsFile(threads[1]!.id), `${JSON.stringify(renamed)}\n`, { flag: 'a' })

    const { core } = await makeCore(home)
    const announced: Thread[] = []
    core.bus.subscribe((name, p) => {
      if (name === 'thread/updated') announced.push((p as { thread: Thread }).thread)
    })
    await eventually(() => announced.length >= 2, 'the background check to announce both threads')
    expect(announced.map((t) => t.id).sort()).toEqual([copied.id, threads[1]!.id].sort())
    expect(core.threads.find(copied.id)).toMatchObject({ ok: true, value: { title: 'thread 0' } })
    expect(core.threads.find(threads[1]!.id)).toMatchObject({ ok: true, value: { title: 'changed outside' } })
    await core.close()
    expect(indexed(home).map((t) => t.id)).toContain(copied.id)
  }, 60_000)

  it('a deleted or corrupt index is rebuilt from the logs at a core start, with the notice for a corrupt one', async () => {
    const { home, threads } = await homeWithThreads(3)
    rmSync(new DataDir(home).indexFile)
    const first = await makeCore(home)
    expect(
      first.core.threads
        .list()
        .map((t) => t.id)
        .sort()
    ).toEqual(threads.map((t) => t.id).sort())
    await first.core.close()
    expect(indexed(home)).toHaveLength(3)

    writeFileSync(new DataDir(home).indexFile, '{"version":1,"threads":[{"thread":')
    const second = await makeCore(home)
    expect(second.core.threads.list()).toHaveLength(3)
    expect(
      second.logger.lines.some(
        (l) => l.level === 'warn' && /thread index .* is corrupt .*rebuilding it from the thread logs/.test(l.message)
      )
    ).toBe(true)
  }, 60_000)
})
