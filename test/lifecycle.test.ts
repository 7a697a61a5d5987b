import { connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { RpcClient } from '../src/shared/rpc-client'
import { DisposableStore, toDisposable } from '../src/main/core/lifecycle'
import { socketTransport } from '../src/main/core/rpc/socket-transport'
import { DataDir } from '../src/main/core/store/data-dir'
import { cleanupTemp, makeCore } from './helpers/fixtures'
import { eventually } from './helpers/pty-client'

afterEach(cleanupTemp)

describe('DisposableStore', () => {
  it('disposes in reverse order, awaiting each, and keeps going after a failure', async () => {
    const seen: string[] = []
    const errors: unknown[] = []
    const store = new DisposableStore((e) => errors.push(e))
    store.add(toDisposable(() => void seen.push('store flushed')))
    store.add(
      toDisposable(async () => {
        await new Promise((r) => setImmediate(r))
        seen.push('ptys killed')
      })
    )
    store.add(
      toDisposable(() => {
        throw new Error('watcher broke')
      })
    )
    store.add({ dispose: () => void seen.push('socket closed') })
    await Promise.all([store.dispose(), store.dispose()])
    expect(seen).toEqual(['socket closed', 'ptys killed', 'store flushed'])
    expect(errors.map((e) => (e as Error).message)).toEqual(['watcher broke'])
    await store.dispose()
    expect(seen).toHaveLength(3)
  })

  it('disposes at once what is added after disposal, and toDisposable runs once', async () => {
    const store = new DisposableStore()
    await store.dispose()
    let n = 0
    const d = store.add(toDisposable(() => void n++))
    await new Promise((r) => setImmediate(r))
    expect(n).toBe(1)
    await d.dispose()
    expect(n).toBe(1)
  })
})

describe('closing the core', () => {
  it('ends while a CLI client is still connected to its socket, and that client sees the connection close', async () => {
    const { core, home } = await makeCore(undefined, { listenSocket: true })
    const client = new RpcClient(socketTransport(connect(new DataDir(home).socketPath)))
    await client.request('core/hello', { client: 'cli' })
    let closed = false
    client.onClose(() => (closed = true))
    await core.close()
    await eventually(() => closed, 'the client to see its connection end')
  }, 60_000)
})
