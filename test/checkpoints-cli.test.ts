/**
 * Checkpoints of a thread whose agent is a CLI in a real Skein pty: one when its session starts, one
 * before Skein types a review into it, and one each time it starts working again after waiting for
 * the person, each holding the worktree as it was at that moment.
 */
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Checkpoint } from '../src/shared/checkpoints'
import { cleanupTemp, git, makeCore, makeRepo, must, tempDir } from './helpers/fixtures'
import { eventually } from './helpers/pty-client'

afterEach(cleanupTemp)

// Reads lines; on the first line of a batch it "works" (prints dots) until the test releases it,
// then writes work-<k>.txt in its folder and waits again. Released by a file, never by a timer.
const WORKER = `const fs = require('fs')
const [received, control] = process.argv.slice(2)
let k = 0, busy = false
process.stdout.write('ready> ')
require('readline').createInterface({ input: process.stdin }).on('line', (l) => {
  fs.appendFileSync(received, JSON.stringify(l) + '\\n')
  if (busy) return
  busy = true
  const job = ++k
  const tick = setInterval(() => process.stdout.write('.'), 100)
  const wait = setInterval(() => {
    if (!fs.existsSync(control + '/release-' + job)) return
    clearInterval(wait); clearInterval(tick)
    fs.writeFileSync('work-' + job + '.txt', 'job ' + job + '\\n')
    busy = false
    process.stdout.write('\\ndone ' + job + '\\n> ')
  }, 20)
})
`

const files = (repo: string, c: Checkpoint) => git(repo, 'ls-tree', '-r', '--name-only', c.commit).split('\n')

describe('checkpoints of a CLI agent', () => {
  it('checkpoints when the session starts, before a review is typed in, and when the agent starts working again', async () => {
    const control = tempDir('skein-worker-')
    writeFileSync(join(control, 'cli.js'), WORKER)
    const { core } = await makeCore()
    const repoPath = makeRepo()
    const repo = must(await core.repos.add(repoPath))
    must(
      await core.profiles.configure(repo.id, {
        customCommand: `node ${join(control, 'cli.js')} ${join(control, 'received')} ${control}`,
        customAcceptsPrompt: true
      })
    )
    const t = must(await core.threads.create({ repoId: repo.id, title: 'worker', mode: 'local', profileId: 'custom' }))
    const list = async () => must(await core.checkpoints.list(t.id))
    const activity = () => core.threads.list().find((x) => x.id === t.id)!.agent?.activity
    await eventually(async () => (await list()).some((c) => c.trigger === 'agent-start'), 'a checkpoint as the session starts')
    expect((await list())[0]).toMatchObject({ n: 1, trigger: 'agent-start', label: 'Custom started working', turnIds: [] })
    await eventually(() => activity() === 'waiting', 'the CLI to wait for input')

    // The person edits, then sends a review from Skein: the checkpoint before it holds the edit, not the work it causes.
    writeFileSync(join(repoPath, 'README.md'), '# edited by the person\n')
    must(await core.review.add(t.id, { path: 'README.md', startLine: 1, endLine: 1, body: 'Please tidy this heading' }))
    must(await core.review.submit(t.id))
    await eventually(async () => (await list()).some((c) => c.trigger === 'prompt'), 'a checkpoint before the review')
    const before = (await list()).find((c) => c.trigger === 'prompt')!
    expect(before.label).toMatch(/^Before a message from Skein: "/)
    expect(before.dirtyFiles).toBe(1)
    expect(files(repoPath, before)).not.toContain('work-1.txt')
    await eventually(() => existsSync(join(control, 'received')), 'the CLI to get the review')
    writeFileSync(join(control, 'release-1'), '')
    await eventually(() => existsSync(join(repoPath, 'work-1.txt')) && activity() === 'waiting', 'the first job to end')

    // The person types to the agent in its terminal: it starts working again, and that start is checkpointed.
    const count = (await list()).length
    must(core.ptys.write(core.threads.list().find((x) => x.id === t.id)!.agent!.ptyId, 'and now the tests\r'))
    await eventually(async () => (await list()).length > count, 'a checkpoint as the agent starts again')
    const again = (await list()).at(-1)!
    expect(again.trigger).toBe('agent-start')
    expect(files(repoPath, again)).toContain('work-1.txt')
    expect(files(repoPath, again)).not.toContain('work-2.txt')
    writeFileSync(join(control, 'release-2'), '')
    await eventually(() => existsSync(join(repoPath, 'work-2.txt')), 'the second job to end')
  })
})
