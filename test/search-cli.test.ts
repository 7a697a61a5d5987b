import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { parseWhen } from '../src/cli/commands/search'
import type { Item } from '../src/shared/models'
import { CLI, skein as runSkein } from './helpers/cli-run'
import { cleanupTemp, makeCore, makeRepo, must, tempDir } from './helpers/fixtures'
import { useScriptedModel, type ModelServer } from './helpers/model-server'
import { eventually } from './helpers/pty-client'

let server: ModelServer
beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npx electron-vite build\` first (npm test does).`)
  server = await useScriptedModel()
})
afterAll(() => server.close())
afterEach(cleanupTemp)

const skein = (args: string[], home: string, cwd?: string) => runSkein(args, { home, modelUrl: server.url, cwd })

describe('skein search', () => {
  it('prints matches with their thread, kind, snippet and how to open them; filters; JSON; clear usage errors', async () => {
    const home = tempDir('skein-home-')
    const { core } = await makeCore(home, { listenSocket: true })
    const repoPath = makeRepo('alpha')
    const alpha = must(await core.repos.add(repoPath))
    const beta = must(await core.repos.add(makeRepo('beta')))
    const a = must(await core.threads.create({ repoId: alpha.id, title: 'Alpha work', mode: 'local' }))
    const b = must(await core.threads.create({ repoId: beta.id, title: 'Beta work', mode: 'local' }))
    const save = async (threadId: string, text: string, createdAt = Date.now()) => {
      const item: Item = {
        id: `i${Math.random().toString(36).slice(2)}`,
        threadId,
        turnId: 't',
        kind: 'assistant',
        status: 'completed',
        createdAt,
        text
      }
      await core.transcript.save(item)
      core.bus.publish('item/completed', { item })
      return item
    }
    const old = await save(a.id, 'The kraken was sighted in March.', new Date('2026-03-01T12:00').getTime())
    const fresh = await save(b.id, 'A kraken again, near the harbour.')
    await eventually(async () => (await skein(['search', 'kraken', '--json'], home)).stdout.includes(fresh.id), 'indexed')

    const text = await skein(['search', 'kraken'], home)
    expect(text.code).toBe(0)
    expect(text.stdout).toContain('Beta work  ·  assistant')
    expect(text.stdout).toContain('«kraken»')
    expect(text.stdout).toContain(`skein open ${a.id}`)
    expect(text.stdout).toContain(`skein open ${b.id}`)

    const json = JSON.parse((await skein(['search', 'kraken', '--json', '--repo', join(repoPath, 'src')], home)).stdout) as {
      results: { itemId: string; threadTitle: string; open: string }[]
    }
    expect(json.results.map((r) => [r.itemId, r.threadTitle, r.open])).toEqual([[old.id, 'Alpha work', `skein open ${a.id}`]])
    const byName = JSON.parse((await skein(['search', 'kraken', '--json', '--repo', 'beta'], home)).stdout) as {
      results: { itemId: string }[]
    }
    expect(byName.results.map((r) => r.itemId)).toEqual([fresh.id])
    const recent = JSON.parse((await skein(['search', 'kraken', '--json', '--since', '2026-06-01'], home)).stdout) as {
      results: { itemId: string }[]
    }
    expect(recent.results.map((r) => r.itemId)).toEqual([fresh.id])
    const archived = await skein(['search', 'kraken', '--status', 'archived'], home)
    expect(archived.code).toBe(0)
    expect(archived.stderr).toContain('Nothing matches')

    expect((await skein(['search'], home)).code).toBe(2)
    const badSince = await skein(['search', 'kraken', '--since', 'yesterday-ish'], home)
    expect([badSince.code, badSince.stderr]).toEqual([2, expect.stringContaining('--since takes a date')])
    expect((await skein(['search', 'kraken', '--status', 'sleeping'], home)).code).toBe(2)
    const unknownRepo = await skein(['search', 'kraken', '--repo', tempDir()], home)
    expect(unknownRepo.code).toBe(4)
    const syntax = await skein(['search', '***'], home)
    expect([syntax.code, syntax.stderr]).toEqual([1, expect.stringContaining('Type a word')])
    expect((await skein(['search', '--help'], home)).stdout).toContain('Usage: skein search')
  })

  it('reads dates, dates with times and ages', () => {
    const now = new Date('2026-12-05T12:00:00Z').getTime()
    expect(parseWhen('7d', now)).toBe(now - 7 * 86_400_000)
    expect(parseWhen('30m', now)).toBe(now - 30 * 60_000)
    expect(parseWhen('2026-11-20')).toBe(new Date('2026-11-20T00:00').getTime())
    expect(parseWhen('2026-11-20T14:00')).toBe(new Date('2026-11-20T14:00').getTime())
    for (const bad of ['', 'soon', '7y', '2026-13-45', '20261120']) expect(parseWhen(bad, now)).toBeNull()
  })
})
