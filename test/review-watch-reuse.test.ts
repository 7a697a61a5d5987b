import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Disposable } from '../src/shared/jsonrpc'
import type { ChangeScope } from '../src/shared/review'
import { GitRunner } from '../src/main/core/git/git-runner'
import { ChangeWatchService } from '../src/main/core/review/change-watch'
import type { Connection } from '../src/main/core/rpc/rpc-server'
import { cleanupTemp, git, makeCore, makeRepo, must } from './helpers/fixtures'
import { eventually } from './helpers/pty-client'

afterEach(cleanupTemp)

let n = 0
/** A client connection that can be closed, as a page reload closes its socket. */
function client(): Connection & { close(): void } {
  const closes = new Set<() => void>()
  return {
    id: `reuse-${++n}`,
    notify: () => undefined,
    onClose(l): Disposable {
      closes.add(l)
      return { dispose: () => closes.delete(l) }
    },
    close: () => [...closes].forEach((l) => l())
  }
}

/** A core with a worktree thread, and a watch service over it that counts its computations. */
async function setup(lingerMs: number) {
  const { core } = await makeCore()
  const repoDir = makeRepo()
  const repo = must(await core.repos.add(repoDir))
  const t = must(await core.threads.create({ repoId: repo.id, title: 'reuse', mode: 'worktree' }))
  let computed = 0
  const watch = new ChangeWatchService(
    new GitRunner(),
    (id) => (core.threads.find(id).ok ? must(core.threads.find(id)) : undefined),
    (id, scope: ChangeScope) => {
      computed++
      return core.review.changes(id, scope)
    },
    { quietMs: 50, maxWaitMs: 500, lingerMs },
    (id) => core.review.headAndBase(id)
  )
  const settled = async () => {
    await watch.whenReady(t.id)
    await eventually(() => {
      const s = watch.stats(t.id)
      return s !== undefined && s.runs >= 1 && s.settled === s.runs
    }, 'the watch to settle')
  }
  return { core, repoDir, t, wt: t.worktreePath, watch, settled, computed: () => computed }
}

describe('a live change set outlives a page reload', () => {
  it('answers a returning client from the live watch, and recomputes after an edit made while nobody watched', async () => {
    const { core, t, wt, watch, settled, computed } = await setup(30_000)
    writeFileSync(join(wt, 'src/app.ts'), 'export const answer = 43\n')
    const first = client()
    must(await watch.watch(t.id, 'base', first))
    await settled()
    first.close()

    const before = computed()
    const again = must(await watch.watch(t.id, 'base', client()))
    expect(computed()).toBe(before)
    expect(again.files.map((f) => f.path)).toEqual(['src/app.ts'])

    // Edited while the page was gone: the held set is stale and must not be served.
    const third = client()
    writeFileSync(join(wt, 'src/other.ts'), 'export const other = 1\n')
    await eventually(() => (watch.stats(t.id)?.events ?? 0) > 0, 'the edit to be seen')
    const fresh = must(await watch.watch(t.id, 'base', third))
    expect(fresh.files.map((f) => f.path)).toEqual(['src/app.ts', 'src/other.ts'])
    watch.dispose()
    await core.close()
  })

  it("recomputes when the base moved outside the worktree (a merge into the base in the person's checkout)", async () => {
    const { core, repoDir, t, wt, watch, settled } = await setup(30_000)
    writeFileSync(join(wt, 'feature.txt'), 'feature\n')
    git(wt, 'add', '-A')
    git(wt, '-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '-qm', 'feature')
    const first = client()
    expect(must(await watch.watch(t.id, 'base', first)).files.map((f) => f.path)).toEqual(['feature.txt'])
    await settled()
    first.close()
    // The base takes the branch in the person's own checkout: nothing under the worktree moves.
    git(repoDir, 'merge', '-q', '--ff-only', t.branch!)
    expect(must(await watch.watch(t.id, 'base', client())).files).toEqual([])
    watch.dispose()
    await core.close()
  })

  it('stops watching once the last client has been gone for the linger time', async () => {
    const { core, t, watch, settled } = await setup(100)
    const only = client()
    must(await watch.watch(t.id, 'base', only))
    await settled()
    only.close()
    expect(watch.stats(t.id)).toBeDefined()
    await eventually(() => watch.stats(t.id) === undefined, 'the lingering watch to stop')
    await core.close()
  })
})
