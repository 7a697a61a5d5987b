import { readFileSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Core } from '../src/main/core/core'
import { socketTransport } from '../src/main/core/rpc/socket-transport'
import { ErrorCode } from '../src/shared/errors'
import type { Thread } from '../src/shared/models'
import { RpcClient } from '../src/shared/rpc-client'
import { cleanupTemp, makeCore, makeRepo, must, tempDir } from './helpers/fixtures'
import { eventually } from './helpers/pty-client'

afterEach(cleanupTemp)

const clientOf = (core: Core) => new RpcClient(socketTransport(connect(core.dataDir.socketPath)))
const ids = (threads: Thread[]) => threads.map((t) => t.id)

/** A core with a socket, a repository and one worktree thread to fork. */
async function setup(home = tempDir('skein-home-')) {
  const made = await makeCore(home, { listenSocket: true })
  const repo = must(await made.core.repos.add(makeRepo()))
  const parent = must(await made.core.threads.create({ repoId: repo.id, title: 'parent', mode: 'worktree', permissionMode: 'auto' }))
  const client = clientOf(made.core)
  return { ...made, repo, parent, client }
}

/** One fork of `threadId` from its state now, with a title to tell it apart. */
async function forkOf(core: Core, threadId: string, title: string): Promise<Thread> {
  return must(await core.fork({ threadId, title, prompts: [] })).threads[0]!
}

/** Every `thread/updated` the client receives for one thread, in order. */
function updatesOf(client: RpcClient, threadId: string): Thread[] {
  const seen: Thread[] = []
  client.on('thread/updated', (p) => {
    const { thread } = p as { thread: Thread }
    if (thread.id === threadId) seen.push(thread)
  })
  return seen
}

describe('fork links the core keeps', () => {
  it('counts forks on the parent, tells clients each time, and lists the forks with thread/list {forkedFrom}', async () => {
    const { core, parent, client } = await setup()
    const updates = updatesOf(client, parent.id)
    expect(must(await core.threads.get(parent.id)).forkCount ?? 0).toBe(0)

    const a = await forkOf(core, parent.id, 'fork A')
    await eventually(() => updates.some((t) => t.forkCount === 1), 'the parent announced with one fork')
    expect((await client.request('thread/get', { threadId: parent.id })).forkCount).toBe(1)
    const b = await forkOf(core, parent.id, 'fork B')
    const c = await forkOf(core, parent.id, 'fork C')
    await eventually(() => updates.some((t) => t.forkCount === 3), 'the parent announced with three forks')
    // Each count was announced, in order (other changes of the parent may come between them).
    expect(updates.map((t) => t.forkCount ?? 0).filter((n, i, all) => n > 0 && n !== all[i - 1])).toEqual([1, 2, 3])

    // A fork of a fork counts on its own parent only.
    const grandchild = await forkOf(core, a.id, 'fork of A')
    expect(must(core.threads.find(a.id)).forkCount).toBe(1)
    expect(must(core.threads.find(parent.id)).forkCount).toBe(3)

    // Without a limit: every fork, oldest first; a thread with none lists nothing.
    const all = await client.request('thread/list', { forkedFrom: parent.id })
    expect(ids(all.threads)).toEqual([a.id, b.id, c.id])
    expect(all.total).toBe(3)
    expect((await client.request('thread/list', { forkedFrom: grandchild.id })).threads).toEqual([])
    // The page rows carry the counts too.
    const listed = (await client.request('thread/list', { archived: 'include' })).threads
    expect(listed.find((t) => t.id === parent.id)!.forkCount).toBe(3)
    expect(listed.find((t) => t.id === b.id)!.forkCount).toBeUndefined()

    // Paged one at a time, most recently active first, with the same cursors as any list.
    const order = ids([...all.threads].sort((x, y) => y.lastActivityAt - x.lastActivityAt || y.createdAt - x.createdAt))
    const walked: string[] = []
    let cursor: string | undefined
    do {
      const page = await client.request('thread/list', { forkedFrom: parent.id, limit: 1, cursor })
      expect(page.total).toBe(3)
      walked.push(...ids(page.threads))
      cursor = page.next ?? undefined
    } while (cursor)
    expect(walked).toEqual(order)
    const around = await client.request('thread/list', { forkedFrom: parent.id, limit: 3, anchor: { threadId: b.id } })
    expect(ids(around.threads)).toEqual(order)
    // A thread that is not one of the forks is no anchor for the list of forks.
    await expect(
      client.request('thread/list', { forkedFrom: parent.id, limit: 3, anchor: { threadId: grandchild.id } })
    ).rejects.toMatchObject({
      code: ErrorCode.InvalidParams
    })

    // An archived fork still counts and is listed, unless the list asks for live forks only.
    must(await core.threads.archive(b.id))
    expect(must(core.threads.find(parent.id)).forkCount).toBe(3)
    expect(ids((await client.request('thread/list', { forkedFrom: parent.id })).threads)).toEqual([a.id, b.id, c.id])
    const live = await client.request('thread/list', { forkedFrom: parent.id, archived: 'exclude', limit: 10 })
    expect(ids(live.threads).sort()).toEqual([a.id, c.id].sort())
    expect(live.total).toBe(2)
    const archived = await client.request('thread/list', { forkedFrom: parent.id, archived: 'only', limit: 10 })
    expect(ids(archived.threads)).toEqual([b.id])

    // A deleted fork leaves the count and the list, and the parent is announced again.
    must(await core.threads.delete(c.id))
    await eventually(() => updates.at(-1)!.forkCount === 2, 'the parent announced with two forks')
    expect(ids((await client.request('thread/list', { forkedFrom: parent.id })).threads)).toEqual([a.id, b.id])
    client.dispose()
  })

  it('forks of a deleted parent still list, and the parent counts none once its forks are gone', async () => {
    const { core, parent, client } = await setup()
    const a = await forkOf(core, parent.id, 'fork A')
    must(await core.threads.delete(parent.id))
    expect(ids((await client.request('thread/list', { forkedFrom: parent.id })).threads)).toEqual([a.id])
    await expect(client.request('thread/get', { threadId: parent.id })).rejects.toMatchObject({ code: ErrorCode.ThreadNotFound })

    const other = must(await core.threads.create({ repoId: a.repoId, title: 'other', mode: 'local', permissionMode: 'auto' }))
    const updates = updatesOf(client, a.id)
    const b = await forkOf(core, a.id, 'fork of A')
    await eventually(() => updates.some((t) => t.forkCount === 1), 'A announced with one fork')
    must(await core.threads.delete(b.id))
    await eventually(() => updates.at(-1)!.forkCount === undefined, 'A announced with no forks')
    expect(must(core.threads.find(a.id)).forkCount).toBeUndefined()
    expect(must(core.threads.find(other.id)).forkCount).toBeUndefined()
    client.dispose()
  })

  it('rebuilds the counts at a restart, from the index or from the logs, and never writes them to disk', async () => {
    const { core, home, parent, client } = await setup()
    const a = await forkOf(core, parent.id, 'fork A')
    await forkOf(core, parent.id, 'fork B')
    must(await core.threads.archive(a.id))
    client.dispose()
    await core.close()
    const index = readFileSync(join(home, 'threads', 'index.json'), 'utf8')
    const archivedIndex = readFileSync(join(home, 'threads', 'archived.json'), 'utf8')
    expect(index).toContain(parent.id)
    expect(archivedIndex).toContain(a.id)
    expect(index + archivedIndex).not.toContain('forkCount')
    expect(readFileSync(join(home, 'threads', parent.id, 'events.jsonl'), 'utf8')).not.toContain('forkCount')

    // From the index (the archived fork arrives from its own file, after the live threads).
    const again = (await makeCore(home, { listenSocket: true })).core
    const c1 = clientOf(again)
    expect((await c1.request('thread/get', { threadId: parent.id })).forkCount).toBe(2)
    expect((await c1.request('thread/list', { forkedFrom: parent.id })).threads).toHaveLength(2)
    c1.dispose()
    await again.close()

    // From the logs alone.
    rmSync(join(home, 'threads', 'index.json'))
    rmSync(join(home, 'threads', 'archived.json'))
    const rebuilt = (await makeCore(home)).core
    expect(must(rebuilt.threads.find(parent.id)).forkCount).toBe(2)
    expect(ids(rebuilt.threads.list({ includeArchived: true }).filter((t) => t.forkCount))).toEqual([parent.id])
  })
})
