import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { useScriptedModel, type ModelServer } from './helpers/model-server'
import { CLI, skein } from './helpers/cli-run'
import { cleanupTemp, makeCore, makeRepo, must, tempDir } from './helpers/fixtures'
import { eventually } from './helpers/pty-client'

let server: ModelServer
beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npx electron-vite build\` first (npm test does).`)
  server = await useScriptedModel()
})
afterAll(() => server.close())
afterEach(cleanupTemp)

describe('skein checkpoints, rewind and fork', () => {
  it('lists and takes checkpoints, rewinds to one (and back), and forks from one with a prompt per fork', async () => {
    const home = tempDir('skein-home-')
    const { core } = await makeCore(home, { listenSocket: true })
    const repo = must(await core.repos.add(makeRepo()))
    const thread = must(await core.threads.create({ repoId: repo.id, title: 'cli rewind', mode: 'worktree', permissionMode: 'auto' }))
    const run = (args: string[]) => skein(args, { home, modelUrl: server.url })
    const file = join(thread.worktreePath, 'src', 'app.ts')

    const empty = await run(['checkpoints', thread.id])
    expect(empty).toMatchObject({ code: 0, stdout: '' })
    expect(empty.stderr).toContain('has no checkpoints yet')
    const taken = await run(['checkpoints', thread.id, '--now', '--label', 'before my edit'])
    expect(taken.code).toBe(0)
    expect(taken.stdout).toMatch(/^\s+1 {2}\S+ \S+ {2}before my edit \([0-9a-f]{8}\)/)
    writeFileSync(file, 'export const answer = 7\n')
    const listed = JSON.parse((await run(['checkpoints', thread.id, '--json'])).stdout)
    expect(listed.checkpoints.map((c: { n: number; label: string }) => [c.n, c.label])).toEqual([[1, 'before my edit']])

    const rewound = await run(['rewind', thread.id, '--to', '1', '--code'])
    expect(rewound.code).toBe(0)
    expect(rewound.stdout).toContain('1 file changed')
    expect(readFileSync(file, 'utf8')).toBe('export const answer = 42\n')
    const undo = /skein rewind \S+ --to (\d+) --code/.exec(rewound.stdout)
    expect(undo).not.toBeNull()
    expect((await run(['rewind', thread.id, '--to', undo![1]!, '--code'])).code).toBe(0)
    expect(readFileSync(file, 'utf8')).toBe('export const answer = 7\n')

    server.push({ text: 'Trying A.' }, { text: 'Trying B.' })
    const forked = await run(['fork', thread.id, '--from', '1', 'Approach A', 'Approach B', '--json'])
    expect(forked.code).toBe(0)
    const { threads } = JSON.parse(forked.stdout) as { threads: { id: string; worktreePath: string; forkedFrom: { checkpoint: number } }[] }
    expect(threads).toHaveLength(2)
    for (const t of threads) {
      expect(t.forkedFrom.checkpoint).toBe(1)
      expect(readFileSync(join(t.worktreePath, 'src', 'app.ts'), 'utf8')).toBe('export const answer = 42\n')
      await eventually(async () => (await core.agent.items(t.id)).some((i) => i.kind === 'assistant'), 'the fork’s first turn')
    }

    const bad = await run(['rewind', thread.id, '--to', 'x'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--to takes a checkpoint number')
    const missing = await run(['rewind', thread.id, '--to', '99'])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('Checkpoint 99 of this thread does not exist')
  })
})
