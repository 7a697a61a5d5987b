import { connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { socketTransport } from '../src/main/core/rpc/socket-transport'
import { forkCountOf, loadForks } from '../src/renderer/features/checkpoints/fork-index'
import { setRpcClient } from '../src/renderer/state/rpc'
import { useThreads } from '../src/renderer/state/threads-store'
import type { Thread } from '../src/shared/models'
import { RpcClient } from '../src/shared/rpc-client'
import { cleanupTemp, makeCore, makeRepo, must } from './helpers/fixtures'
import { eventually } from './helpers/pty-client'

afterEach(async () => {
  setRpcClient(null)
  await cleanupTemp()
})

const titles = (threads: Thread[]) => threads.map((t) => t.title)

describe("the window's fork lists, asked of a real core", () => {
  it('come from thread/list {forkedFrom} without the forks loaded, are kept while the count holds, and follow renames', async () => {
    const { core } = await makeCore(undefined, { listenSocket: true })
    const repo = must(await core.repos.add(makeRepo()))
    const parent = must(await core.threads.create({ repoId: repo.id, title: 'parent', mode: 'worktree', permissionMode: 'auto' }))
    const fork = async (title: string) => must(await core.fork({ threadId: parent.id, title, prompts: [] })).threads[0]!
    const a = await fork('fork A')
    await fork('fork B')
    const client = new RpcClient(socketTransport(connect(core.dataDir.socketPath)))
    setRpcClient(client)
    const current = () => client.request('thread/get', { threadId: parent.id })
    // The parent's changes as the core announces them, applied to the window when the test says (as if late).
    const heard: Thread[] = []
    client.on('thread/updated', (p) => {
      const { thread } = p as { thread: Thread }
      if (thread.id === parent.id) heard.push(thread)
    })

    // The window holds the parent only (the forks are outside its pages).
    useThreads.getState().replaceAll([await current()])
    const held = useThreads.getState().byId[parent.id]!
    expect(forkCountOf(held)).toBe(2)
    expect(titles(await loadForks(held))).toEqual(['fork A', 'fork B'])

    // Forks made and deleted while the window has not heard of it yet: the list fetched for its count is kept...
    const c = await fork('fork C')
    must(await core.threads.delete(a.id))
    expect(titles(await loadForks(held))).toEqual(['fork A', 'fork B'])
    // ...until the parent's changes (its thread/updated) bring the counts: 3, then 2 again, which is still a new list.
    await eventually(() => heard.at(-1)?.forkCount === 2, 'the parent announced with two forks again')
    expect(heard.map((t) => t.forkCount)).toContain(3)
    for (const t of heard) useThreads.getState().upsert(t)
    const now = useThreads.getState().byId[parent.id]!
    expect(forkCountOf(now)).toBe(2)
    expect(titles(await loadForks(now))).toEqual(['fork B', 'fork C'])

    // A fork renamed reaches the window as a change of the fork, and the list shows the new title without asking.
    must(await core.threads.rename(c.id, 'fork C renamed'))
    useThreads.getState().upsert(await client.request('thread/get', { threadId: c.id }))
    expect(titles(await loadForks(now))).toEqual(['fork B', 'fork C renamed'])

    // A thread with no forks asks nothing and lists none.
    setRpcClient(null)
    expect(await loadForks({ ...now, forkCount: undefined })).toEqual([])
    client.dispose()
  })
})
