import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { memoryLogger } from '../src/main/core/logger'
import { DataDir } from '../src/main/core/store/data-dir'
import { ThreadStore } from '../src/main/core/store/thread-store'
import type { Item, Thread } from '../src/shared/models'
import { cleanupTemp, makeCore, makeRepo, must, tempDir } from './helpers/fixtures'

afterEach(cleanupTemp)

const TRIES = 320

const itemFor = (threadId: string, n: number): Item => ({
  id: `i${n}`,
  threadId,
  turnId: 'turn',
  kind: 'assistant',
  status: 'completed',
  createdAt: n,
  text: `reply ${n}`
})

describe('acknowledged means durable: renames racing item appends', () => {
  it('reads back the last acknowledged title on every try, in the store and after reopening it', async () => {
    const home = tempDir('skein-race-')
    const made = await makeCore(home)
    const repo = must(await made.core.repos.add(makeRepo()))
    const thread = must(await made.core.threads.create({ repoId: repo.id, title: 'start', mode: 'local' }))
    await made.core.close()

    const dir = new DataDir(home)
    const store = await ThreadStore.open(dir, memoryLogger())
    let stale = 0
    let staleAfterReopen = 0
    for (let i = 0; i < TRIES; i++) {
      const title = `title ${i}`
      // An agent's item appends and activity updates race the rename, as they do in a live turn.
      const appends = [0, 1, 2].map((k) =>
        store.appendRaw(thread.id, { type: 'item.completed', at: Date.now(), item: itemFor(thread.id, i * 10 + k) })
      )
      const activity = store.update(thread.id, { lastActivityAt: Date.now() }, 'conversation')
      const renamed = store.update(thread.id, { title }, 'renamed')
      const more = store.appendRaw(thread.id, { type: 'item.completed', at: Date.now(), item: itemFor(thread.id, i * 10 + 5) })
      const results = await Promise.all([...appends, activity, renamed, more])
      for (const r of results) must(r as { ok: true; value: unknown } | { ok: false; error: { message: string } })
      if (store.get(thread.id)?.title !== title) stale++
      await store.flush()
      const reopened = await ThreadStore.open(dir, memoryLogger())
      if (reopened.get(thread.id)?.title !== title) staleAfterReopen++
    }
    expect({ stale, staleAfterReopen }).toEqual({ stale: 0, staleAfterReopen: 0 })
  }, 120_000)

  it('through the thread service: rename vs a stream of transcript saves and conversation updates, then a core restart', async () => {
    const home = tempDir('skein-race-core-')
    const made = await makeCore(home)
    const repo = must(await made.core.repos.add(makeRepo()))
    const thread = must(await made.core.threads.create({ repoId: repo.id, title: 'start', mode: 'local' }))
    const { core } = made
    let stale = 0
    let last = ''
    for (let i = 0; i < TRIES; i++) {
      last = `title ${i}`
      const saves = [0, 1].map((k) => core.transcript.save(itemFor(thread.id, i * 10 + k)))
      const conv = core.threads.updateConversation(thread.id, { busy: i % 2 === 0 }, null)
      const renamed = core.threads.rename(thread.id, last)
      const after = core.transcript.save(itemFor(thread.id, i * 10 + 5))
      await Promise.all([...saves, conv, renamed, after])
      const listed = core.threads.list().find((t) => t.id === thread.id) as Thread
      if (listed.title !== last) stale++
    }
    expect(stale).toBe(0)
    await core.close()
    const index = JSON.parse(readFileSync(new DataDir(home).indexFile, 'utf8')) as { threads: { thread: Thread }[] }
    expect(index.threads.find((e) => e.thread.id === thread.id)?.thread.title).toBe(last)
    const second = await makeCore(home)
    expect(second.core.threads.list().find((t) => t.id === thread.id)?.title).toBe(last)
  }, 120_000)
})
