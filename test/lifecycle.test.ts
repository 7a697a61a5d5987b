import { describe, expect, it } from 'vitest'
import { DisposableStore, toDisposable } from '../src/main/core/lifecycle'

describe('DisposableStore', () => {
  it('disposes in reverse order, awaiting each, and keeps going after a failure', async () => {
    const seen: string[] = []
    const errors: unknown[] = []
    const store = new DisposableStore((e) => errors.push(e))
    store.add(toDisposable(() => void seen.push('store flushed')))
    store.add(toDisposable(async () => {
      await new Promise((r) => setImmediate(r))
      seen.push('ptys killed')
    }))
    store.add(toDisposable(() => {
      throw new Error('watcher broke')
    }))
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
