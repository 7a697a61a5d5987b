import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { connect } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { socketTransport } from '../src/main/core/rpc/socket-transport'
import { RpcClient } from '../src/shared/rpc-client'
import type { Thread } from '../src/shared/models'
import { LIST_PAGE, listAllThreads } from '../src/cli/context'
import { seedScaleHome } from '../bench/lib/scale-home'
import { cleanupTemp, makeCore, tempDir } from './helpers/fixtures'
import { CLI, type Run } from './helpers/cli-run'
import { useScriptedModel, type ModelServer } from './helpers/model-server'

let server: ModelServer
beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npx electron-vite build\` first (npm test does).`)
  server = await useScriptedModel()
})
afterAll(() => server.close())
afterEach(cleanupTemp)

/** Runs the built `skein` (as helpers/cli-run does) with room for the output of thousands of threads. */
function runSkein(args: string[], o: { home: string; modelUrl: string }): Promise<Run> {
  const env = { PATH: process.env.PATH!, SKEIN_HOME: o.home, HOME: tempDir('skein-user-'), ANTHROPIC_BASE_URL: o.modelUrl }
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env, timeout: 60_000, maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr })
    )
  })
}

const THREADS = 2500 // every tenth archived: 2250 live, more than two pages of LIST_PAGE

const recentFirst = (a: Thread, b: Thread) => b.lastActivityAt - a.lastActivityAt

describe('the CLI pages through thread/list', () => {
  it('`skein list` shows every thread of a home with more threads than one page holds, grouped and in order', async () => {
    const home = tempDir('skein-home-')
    const seeded = await seedScaleHome(home, { threads: THREADS, repos: 2 })
    const { core } = await makeCore(home, { listenSocket: true })
    const live = seeded.threads.filter((t) => t.status !== 'archived')
    expect(live.length).toBeGreaterThan(2 * LIST_PAGE)

    const json = await runSkein(['list', '--json'], { home, modelUrl: server.url })
    expect(json.stderr).toBe('')
    expect(json.code).toBe(0)
    const listed = JSON.parse(json.stdout) as { repos: { name: string; threads: Thread[] }[] }
    expect(listed.repos.map((r) => r.name)).toEqual(['service-0', 'service-1'])
    for (const [i, r] of listed.repos.entries()) {
      const expected = live.filter((t) => t.repoId === seeded.repos[i]!.id).sort(recentFirst)
      expect(r.threads.map((t) => t.id)).toEqual(expected.map((t) => t.id))
    }

    const all = await runSkein(['list', '--all'], { home, modelUrl: server.url })
    expect(all.code).toBe(0)
    const rows = all.stdout.split('\n').filter((l) => /^\s+t\w+\s/.test(l))
    expect(rows).toHaveLength(THREADS)
    // The oldest thread sits on the last page: finding it by title needs every page.
    const oldest = seeded.threads[THREADS - 1]!
    expect(rows.at(-1)).toContain(oldest.id)
    const opened = await runSkein(['open', oldest.title], { home, modelUrl: server.url })
    expect(opened.stderr).toContain(`"${oldest.title}"`)
    expect(opened.code).toBe(0)
    await core.close()
  })

  it('asks for pages of at most LIST_PAGE threads, following the cursor to the end', async () => {
    const home = tempDir('skein-home-')
    const seeded = await seedScaleHome(home, { threads: THREADS, repos: 3 })
    const { core } = await makeCore(home, { listenSocket: true })
    const client = new RpcClient(socketTransport(connect(core.dataDir.socketPath)))
    const asked: unknown[] = []
    const request = client.request.bind(client)
    client.request = ((method: string, params: unknown) => {
      asked.push({ method, params })
      return request(method as never, params as never)
    }) as typeof client.request

    const threads = await listAllThreads(client, { archived: 'include' })
    expect(threads.map((t) => t.id)).toEqual([...seeded.threads].sort(recentFirst).map((t) => t.id))
    const lists = asked as { method: string; params: { limit?: number; cursor?: string } }[]
    expect(lists.map((r) => r.method)).toEqual(['thread/list', 'thread/list', 'thread/list'])
    expect(lists.every((r) => r.params.limit === LIST_PAGE)).toBe(true)
    expect(lists.map((r) => r.params.cursor === undefined)).toEqual([true, false, false])
    client.dispose()
    await core.close()
  })
})
