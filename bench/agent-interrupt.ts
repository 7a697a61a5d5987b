// How quickly Stop ends a built-in agent turn: mid-stream (a slow model reply) and mid-command (a
// `sleep 30` in the agent shell), from turn/interrupt to the thread reporting idle. Raw baselines
// measured in the same run: aborting the SDK stream directly, and killing `sleep 30` in a bare pty.
import Anthropic from '@anthropic-ai/sdk'
import * as nodePty from 'node-pty'
import { createCore } from '../src/main/core/core'
import { memoryLogger } from '../src/main/core/logger'
import { startModelServer } from '../test/helpers/model-server'
import { benchDir, makeBenchRepo, ms, now, percentile, runBench } from './bench-utils'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10)

async function main(): Promise<void> {
  const server = await startModelServer({})
  process.env.ANTHROPIC_BASE_URL = server.url
  process.env.ANTHROPIC_API_KEY = 'bench-key'
  process.env.SHELL = '/bin/bash'
  const home = benchDir('interrupt')
  const core = await createCore({ home: `${home}/skein`, logger: memoryLogger(), listenSocket: false })
  const repo = await core.repos.add(makeBenchRepo(home, 'repo', 5))
  if (!repo.ok) throw new Error(repo.error.message)
  const made = await core.threads.create({ repoId: repo.value.id, title: 'interrupt', mode: 'local', permissionMode: 'auto' })
  if (!made.ok) throw new Error(made.error.message)
  const threadId = made.value.id

  const busy = () => core.threads.list().find((t) => t.id === threadId)!.conversation.busy
  const whenIdle = () =>
    new Promise<void>((done) => {
      if (!busy()) return done()
      const sub = core.bus.subscribe(() => {
        if (!busy()) {
          sub.dispose()
          done()
        }
      })
    })
  const until = async (check: () => Promise<boolean>) => {
    while (!(await check())) await new Promise((r) => setTimeout(r, 5))
  }
  const items = () => core.agent.items(threadId)

  const midStream: number[] = []
  const midCommand: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    // Only this round's items count: earlier rounds left interrupted ones behind.
    let seen = new Set((await items()).map((i) => i.id))
    server.push({ text: 'This reply streams slowly and is cut off. '.repeat(10), slow: true })
    await core.agent.startTurn(threadId, `talk ${round}`)
    await until(async () => (await items()).some((i) => !seen.has(i.id) && i.kind === 'assistant' && (i.text ?? '').length > 0))
    let t0 = now()
    core.agent.interrupt(threadId)
    await whenIdle()
    midStream.push(now() - t0)

    server.push({ toolUses: [{ name: 'bash', input: { command: `echo started-$((${round}+100)); sleep 30; echo never` } }] })
    seen = new Set((await items()).map((i) => i.id))
    await core.agent.startTurn(threadId, `wait ${round}`)
    await until(async () => (await items()).some((i) => !seen.has(i.id) && i.kind === 'tool' && i.status === 'running'))
    const agentShell = async () => (await core.ptys.list(threadId)).find((p) => p.title === 'Agent shell')
    await until(async () => (await agentShell()) !== undefined) // the tool is marked running as the shell opens
    const shell = (await agentShell())!
    await until(async () => {
      const conn = { id: `b${round}`, notify() {}, onClose: () => ({ dispose() {} }) }
      const r = await core.ptys.attach(shell.id, conn)
      core.ptys.detach(shell.id, conn)
      return r.ok && r.value.scrollback.includes(`started-${round + 100}`)
    })
    t0 = now()
    core.agent.interrupt(threadId)
    await whenIdle()
    midCommand.push(now() - t0)
  }
  await core.close()

  // Raw: abort the SDK's stream ourselves, and kill a bare pty's `sleep 30`.
  const client = new Anthropic({ baseURL: server.url, apiKey: 'bench-key', maxRetries: 0 })
  const rawStream: number[] = []
  const rawKill: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    server.push({ text: 'slow '.repeat(50), slow: true })
    const stream = client.messages.stream({ model: 'claude-sonnet-5-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] })
    await new Promise<void>((r) => stream.once('text', () => r()))
    const t0 = now()
    stream.abort()
    await stream.finalMessage().catch(() => undefined)
    rawStream.push(now() - t0)

    const pty = nodePty.spawn('/bin/bash', ['-c', 'echo up; sleep 30'], {
      cols: 80,
      rows: 24,
      cwd: home,
      env: process.env as Record<string, string>
    })
    await new Promise<void>((r) => pty.onData((d) => d.includes('up') && r()))
    const exited = new Promise<void>((r) => pty.onExit(() => r()))
    const t1 = now()
    pty.kill()
    await exited
    rawKill.push(now() - t1)
  }
  await server.close()

  const row = (label: string, xs: number[], raw: number[]) =>
    console.log(
      `  ${label.padEnd(44)} p50 ${ms(percentile(xs, 50))}  max ${ms(Math.max(...xs))}   raw p50 ${ms(percentile(raw, 50))}   ${(percentile(xs, 50) / percentile(raw, 50)).toFixed(1)}x`
    )
  console.log(`built-in agent: turn/interrupt until the thread is idle (${ROUNDS} rounds each)`)
  row('mid-stream (raw: abort the SDK stream)', midStream, rawStream)
  row('mid-command, sleep 30 (raw: kill a bare pty)', midCommand, rawKill)
}

runBench(main)
