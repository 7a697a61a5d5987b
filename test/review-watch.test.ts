import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Disposable } from '../src/shared/jsonrpc'
import type { ChangeSet } from '../src/shared/review'
import type { Connection } from '../src/main/core/rpc/rpc-server'
import { cleanupTemp, git, makeCore, makeRepo, must } from './helpers/fixtures'
import { eventually } from './helpers/pty-client'

afterEach(cleanupTemp)

let n = 0
/** A client connection that keeps the review/changed notifications it is sent. */
function watchingClient(): Connection & { changes: ChangeSet[]; close(): void } {
  const closes = new Set<() => void>()
  const changes: ChangeSet[] = []
  return {
    id: `watch-${++n}`,
    changes,
    notify(name, params) {
      if (name === 'review/changed') changes.push((params as { changes: ChangeSet }).changes)
    },
    onClose(l): Disposable {
      closes.add(l)
      return { dispose: () => closes.delete(l) }
    },
    close: () => [...closes].forEach((l) => l())
  }
}

const paths = (c: ChangeSet | undefined) => (c?.files ?? []).map((f) => f.path)

async function watched(scope: 'base' | 'uncommitted' = 'base') {
  const { core } = await makeCore()
  const repoDir = makeRepo()
  writeFileSync(join(repoDir, '.gitignore'), 'node_modules/\ndist/\n')
  git(repoDir, 'add', '-A')
  git(repoDir, 'commit', '-qm', 'ignore')
  const repo = must(await core.repos.add(repoDir))
  const t = must(await core.threads.create({ repoId: repo.id, title: 'watch', mode: 'worktree' }))
  const client = watchingClient()
  const first = must(await core.reviewWatch.watch(t.id, scope, client))
  await core.reviewWatch.whenReady(t.id)
  return { core, t, client, first, wt: t.worktreePath }
}

describe('live change sets', () => {
  it('sends the new change set after edits, including files in a folder made after the watch began', async () => {
    const { core, t, client, first, wt } = await watched()
    expect(first.files).toEqual([])
    writeFileSync(join(wt, 'src/app.ts'), 'export const answer = 43\n')
    await eventually(() => paths(client.changes.at(-1)).includes('src/app.ts'), 'the first edit')
    mkdirSync(join(wt, 'lib/deep'), { recursive: true })
    writeFileSync(join(wt, 'lib/deep/new.ts'), 'x\n')
    await eventually(() => paths(client.changes.at(-1)).includes('lib/deep/new.ts'), 'a file in a new folder')
    writeFileSync(join(wt, 'lib/deep/new.ts'), 'x\ny\n')
    await eventually(
      () => client.changes.at(-1)?.files.find((f) => f.path === 'lib/deep/new.ts')?.additions === 2,
      'an edit in the new folder'
    )
    expect(core.reviewWatch.stats(t.id)!.notifications).toBe(client.changes.length)
    await core.close()
  })

  it('reports an edit made after the answer but before the watchers were up', async () => {
    const { core } = await makeCore()
    const repo = must(await core.repos.add(makeRepo()))
    const t = must(await core.threads.create({ repoId: repo.id, title: 'early', mode: 'worktree' }))
    const client = watchingClient()
    expect(must(await core.reviewWatch.watch(t.id, 'base', client)).files).toEqual([])
    writeFileSync(join(t.worktreePath, 'early.txt'), 'written while the watchers start\n')
    await eventually(() => paths(client.changes.at(-1)).includes('early.txt'), 'the early edit')
    await core.close()
  })

  it('coalesces a burst of 100 file writes into a few recomputations', async () => {
    const { core, t, client, wt } = await watched()
    for (let i = 0; i < 100; i++) writeFileSync(join(wt, 'src', `f${i}.ts`), `export const v${i} = ${i}\n`)
    await eventually(() => client.changes.at(-1)?.files.length === 100, 'all 100 files')
    const stats = core.reviewWatch.stats(t.id)!
    expect(stats.events).toBeGreaterThanOrEqual(100)
    // Coalesced: the writes all land before the core reads one event, so no write gets a
    // recomputation of its own. How few there are is a timing figure: bench/review-changes.ts.
    expect(stats.runs).toBeLessThan(stats.events)
    expect(client.changes.length).toBeLessThanOrEqual(stats.runs)
    await core.close()
  })

  it('ignores git-ignored folders and does not notify when nothing in the change set moved', async () => {
    const { core, t, client, wt } = await watched()
    mkdirSync(join(wt, 'node_modules/pkg'), { recursive: true })
    for (let i = 0; i < 20; i++) writeFileSync(join(wt, 'node_modules/pkg', `m${i}.js`), 'x')
    writeFileSync(join(wt, 'dist.log'), 'not ignored but then removed')
    await eventually(() => core.reviewWatch.stats(t.id)!.runs >= 1, 'a recomputation')
    await eventually(() => client.changes.length >= 1, 'the dist.log change')
    await eventually(() => core.reviewWatch.stats(t.id)!.settled === core.reviewWatch.stats(t.id)!.runs, 'the recomputation to finish')
    const before = client.changes.length
    const { events, runs } = core.reviewWatch.stats(t.id)!
    for (let i = 0; i < 20; i++) writeFileSync(join(wt, 'node_modules/pkg', `later${i}.js`), 'x')
    // Rewriting dist.log with the same text is an event in a watched folder that changes nothing.
    // It comes after the 20 writes, and one inotify queue keeps their order, so once its
    // recomputation has finished every event those writes could have caused has been seen.
    writeFileSync(join(wt, 'dist.log'), 'not ignored but then removed')
    await eventually(() => core.reviewWatch.stats(t.id)!.settled > runs, 'the recomputation for dist.log')
    // Nothing inside the ignored folder is even watched (20 writes there would be 20 events or more).
    expect(core.reviewWatch.stats(t.id)!.events - events).toBeLessThan(20)
    expect(client.changes.length).toBe(before)
    await core.close()
  })

  it('sees a commit in the uncommitted scope, and stops watching for good when the thread is forgotten', async () => {
    const { core, t, client, wt } = await watched('uncommitted')
    writeFileSync(join(wt, 'src/app.ts'), 'export const answer = 43\n')
    await eventually(() => paths(client.changes.at(-1)).includes('src/app.ts'), 'the edit')
    git(wt, 'commit', '-qam', 'commit it')
    await eventually(() => client.changes.at(-1)?.files.length === 0, 'the commit to empty the uncommitted set')
    client.close()
    // The watch outlives its last client for a while (a reloaded page comes back to it)…
    expect(core.reviewWatch.stats(t.id)).toBeDefined()
    core.reviewWatch.forget(t.id)
    expect(core.reviewWatch.stats(t.id)).toBeUndefined()
    await core.close()
  })
})
