import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ThreadSummary } from '../src/shared/models'
import { terminalTail } from '../src/main/core/summary/terminal-tail'
import { useScriptedModel, type ModelServer } from './helpers/model-server'
import { cleanupTemp, git, makeCore, makeRepo, must } from './helpers/fixtures'
import { eventually } from './helpers/pty-client'

let server: ModelServer
beforeAll(async () => {
  server = await useScriptedModel()
})
afterAll(() => server.close())
afterEach(async () => {
  process.env.ANTHROPIC_API_KEY = 'test-key'
  await cleanupTemp()
})

describe('terminal tail', () => {
  it('keeps the last non-empty lines, without colours or titles', () => {
    expect(terminalTail('\x1b]0;my title\x07one\r\n\x1b[32mtwo\x1b[0m\r\n\r\n  three  \r\n\r\n')).toEqual(['one', 'two', 'three'])
    expect(terminalTail('a\r\nb\r\nc\r\nd\r\n', 2)).toEqual(['c', 'd'])
  })

  it('follows carriage returns, backspaces and erases, as a spinner redraws its line', () => {
    expect(terminalTail('Installing |\r\x1b[KInstalling /\r\x1b[KInstalling -\r\x1b[Kadded 12 packages\r\n')).toEqual(['added 12 packages'])
    expect(terminalTail('abc\b\bXY\r\n')).toEqual(['aXY'])
  })

  it('follows a TUI that moves up and redraws its last lines (as ink does)', () => {
    const frame = (text: string) => `╭────────╮\r\n│ ${text} │\r\n╰────────╯\r\n`
    const redraw = (text: string) => `\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\x1b[G${frame(text)}`
    const out = `Reading files…\r\n${frame('thinking')}${redraw('Fixed the test')}`
    expect(terminalTail(out)).toEqual(['Reading files…', 'Fixed the test'])
  })

  it('drops lines that are only a frame, and shows the main screen again after the alternate one', () => {
    expect(terminalTail('result: 3 failures\r\n────────\r\n> \r\n')).toEqual(['result: 3 failures'])
    expect(terminalTail('before\r\n\x1b[?1049h\x1b[Hfull screen app\x1b[?1049l')).toEqual(['before'])
    expect(terminalTail('old\r\n\x1b[2J\x1b[Hnew screen\r\n')).toEqual(['new screen'])
  })

  it('reads a tail that begins in the middle of an escape sequence', () => {
    expect(terminalTail('5;31mred text\x1b[0m\r\nnext\r\n')).toEqual(['5;31mred text', 'next'])
  })
})

async function setup(permissionMode: 'auto' | 'ask' = 'auto') {
  const repoPath = makeRepo()
  const { core } = await makeCore()
  const repo = must(await core.repos.add(repoPath))
  const thread = must(await core.threads.create({ repoId: repo.id, title: 'summary work', mode: 'worktree', permissionMode }))
  const told: ThreadSummary[] = []
  core.bus.subscribe((name, p) => name === 'thread/summary' && told.push((p as { summary: ThreadSummary }).summary))
  const latest = (id = thread.id) => told.filter((s) => s.threadId === id).at(-1)
  return { core, repo, repoPath, thread, told, latest }
}

describe('thread summaries', () => {
  it('counts lines and files changed against the base in a real worktree, and follows the agent', async () => {
    const { core, thread, latest } = await setup('auto')
    const wt = thread.worktreePath
    // A committed change, an uncommitted edit and an untracked file all count, as in the Changes tab.
    writeFileSync(join(wt, 'src/app.ts'), 'export const answer = 43\nexport const more = 1\n')
    git(wt, 'commit', '-qam', 'edit')
    writeFileSync(join(wt, 'README.md'), '')
    writeFileSync(join(wt, 'notes.txt'), 'a\nb\nc\n')
    const [first] = await core.summaries.summaries([thread.id, 'tNoSuchThread'])
    expect(first).toMatchObject({ threadId: thread.id, lastLine: null, pendingApproval: null })
    await eventually(() => latest()?.diffStat !== null && latest()?.diffStat !== undefined, 'the first counts')
    expect(latest()!.diffStat).toEqual({ files: 3, added: 2 + 3, removed: 1 + 1 })

    // The agent removes a file and says what it did: the counts and the last line follow without being asked.
    server.push(
      { text: 'Removing the notes.', toolUses: [{ name: 'bash', input: { command: 'rm notes.txt' } }] },
      { text: 'Done: notes.txt is gone.\nNothing else changed.' }
    )
    must(await core.agent.startTurn(thread.id, 'Remove notes.txt'))
    await eventually(() => latest()?.lastLine?.text === 'Done: notes.txt is gone.\nNothing else changed.', 'the final reply')
    expect(latest()!.lastLine!.source).toBe('agent')
    await eventually(() => latest()?.diffStat?.files === 2, 'the counts after the command')
    expect(latest()!.diffStat).toEqual({ files: 2, added: 2, removed: 2 })
  })

  it('shows a pending approval until it is answered', async () => {
    const { core, thread, latest } = await setup('ask')
    await core.summaries.summaries([thread.id])
    server.push(
      { text: 'I will write the file.', toolUses: [{ name: 'write_file', input: { path: 'hello.txt', content: 'hello\n' } }] },
      { text: 'Written.' }
    )
    must(await core.agent.startTurn(thread.id, 'Write hello.txt'))
    await eventually(() => !!latest()?.pendingApproval, 'the pending approval')
    const pending = latest()!.pendingApproval!
    expect(pending.summary).toMatch(/hello\.txt/)
    expect(pending.path).toBe('hello.txt')
    must(await core.agent.respond(thread.id, pending.itemId, 'once'))
    await eventually(
      () => latest()?.pendingApproval === null && latest()?.lastLine?.text === 'Written.',
      'the answered approval and the last reply'
    )
    await eventually(() => latest()?.diffStat?.files === 1 && latest()?.diffStat?.added === 1, 'the new file counted')
  })

  it('reads the last reply and a waiting approval from the log of a thread it has not seen live', async () => {
    const repoPath = makeRepo()
    const home = (await makeCore()).home
    // A first core runs a turn that stops at an approval; a second core on the same home starts from the log.
    const first = (await makeCore(home)).core
    const repo = must(await first.repos.add(repoPath))
    const thread = must(await first.threads.create({ repoId: repo.id, title: 'restart', mode: 'worktree', permissionMode: 'ask' }))
    server.push({ text: 'Checking the tests first.', toolUses: [{ name: 'bash', input: { command: 'npm test' } }] })
    must(await first.agent.startTurn(thread.id, 'Run the tests'))
    await eventually(() => first.threads.list().find((t) => t.id === thread.id)!.status === 'needs-attention', 'the approval')
    await first.close()
    const second = (await makeCore(home)).core
    const [s] = await second.summaries.summaries([thread.id])
    expect(s!.pendingApproval).toMatchObject({ command: 'npm test' })
    // The last thing the agent did is the command it waits to run.
    expect(s!.lastLine).toMatchObject({ source: 'tool', text: '$ npm test' })
  })

  it("follows a CLI agent's terminal: the last lines it printed, live and after it exits", async () => {
    const { core, thread, latest } = await setup()
    const pty = must(await core.ptys.open(thread.id, { kind: 'agent', profileId: 'shell', cols: 80, rows: 24 }))
    core.ptys.write(pty.id, "printf '\\033[31mfirst\\033[0m\\nsecond\\nthird line\\n'\r")
    await eventually(() => latest()?.lastLine?.text.includes('third line') === true, 'the tail')
    expect(latest()!.lastLine).toMatchObject({ source: 'terminal' })
    expect(latest()!.lastLine!.text).not.toContain('\x1b')
    core.ptys.write(pty.id, "printf 'bye\\n'; exit 3\r")
    await eventually(() => latest()?.lastLine?.text.split('\n').includes('bye') === true, 'the last words before the exit')
    // A client that asks later gets the same tail, from the saved scrollback.
    const [s] = await core.summaries.summaries([thread.id])
    expect(s!.lastLine!.text).toContain('bye')
  })

  it("keeps an investigation's focus on its thread, and its finding in the summary", async () => {
    const { core, repo, latest } = await setup()
    server.push({ text: 'Finding: the cache TTL was cut to 1s in a1b2c3.' })
    const { threads } = must(
      await core.agent.fanout({
        repoId: repo.id,
        prompt: 'Why is p99 up?',
        investigations: [{ title: 'Cache', focus: 'Check the cache settings' }],
        mode: 'local',
        permissionMode: 'plan'
      })
    )
    expect(threads).toHaveLength(1)
    expect(threads[0]!.focus).toBe('Check the cache settings')
    expect(core.threads.list().find((t) => t.id === threads[0]!.id)!.focus).toBe('Check the cache settings')
    await core.summaries.summaries([threads[0]!.id])
    await eventually(() => latest(threads[0]!.id)?.lastLine?.text === 'Finding: the cache TTL was cut to 1s in a1b2c3.', 'the finding')
  })

  it("reads a thread's log once when a summary and a turn load it at the same moment (the turn's message is never lost)", async () => {
    const { core, thread } = await setup()
    const [a, b] = await Promise.all([core.transcript.items(thread.id), core.transcript.items(thread.id)])
    expect(a).toBe(b)
    // As on a dashboard: the card asks while the turn starts; the model must get the person's message.
    server.push({ text: 'Got it.' })
    const before = server.requests.length
    const fresh = must(await core.threads.create({ repoId: thread.repoId, title: 'race', mode: 'local' }))
    await Promise.all([core.summaries.summaries([fresh.id]), core.agent.startTurn(fresh.id, 'Say got it')])
    await eventually(() => server.requests.length > before, 'the model request')
    expect(server.requests[before]!.body.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Say got it' }] }])
  })

  it('gives no counts for a worktree that is gone, and forgets a deleted thread', async () => {
    const { core, thread, told } = await setup()
    rmSync(thread.worktreePath, { recursive: true, force: true })
    const [s] = await core.summaries.summaries([thread.id])
    await core.summaries.settled()
    expect(s!.diffStat).toBeNull()
    expect(told.filter((x) => x.threadId === thread.id && x.diffStat)).toEqual([])
    must(await core.threads.delete(thread.id))
    expect(await core.summaries.summaries([thread.id])).toEqual([])
  })
})
