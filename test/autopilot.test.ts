import { mkdtempSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Core } from '../src/main/core/core'
import { socketTransport } from '../src/main/core/rpc/socket-transport'
import type { AutopilotState } from '../src/shared/autopilot'
import type { NotificationOf } from '../src/shared/methods'
import type { Thread } from '../src/shared/models'
import { RpcClient } from '../src/shared/rpc-client'
import { cleanupTemp, git, makeCore, makeRepo, must, tempDir, writeFile } from './helpers/fixtures'
import { FakeGithub } from './helpers/fake-github'
import { FakeGithubPulls } from './helpers/fake-github-pulls'
import { startModelServer, type ModelServer, type ScriptedStep } from './helpers/model-server'
import { eventually } from './helpers/pty-client'

let gh: FakeGithub
let pulls: FakeGithubPulls
let model: ModelServer
/** What the scripted model answers next, one function per request (it may look at the request and the world). */
let script: ((body: { messages: unknown[] }) => ScriptedStep)[] = []
beforeAll(async () => {
  gh = await FakeGithub.start()
  pulls = FakeGithubPulls.attach(gh)
  model = await startModelServer({ respond: (body) => script.shift()?.(body) ?? { text: 'Nothing more to do.' } })
  process.env.ANTHROPIC_BASE_URL = model.url
  process.env.ANTHROPIC_API_KEY = 'test-key'
  process.env.SHELL = '/bin/bash'
  process.env.HOME = mkdtempSync(join(tmpdir(), 'skein-model-home-'))
  process.env.GITHUB_TOKEN = gh.token
})
afterAll(async () => {
  delete process.env.GITHUB_TOKEN
  await gh.close()
  await model.close()
})
afterEach(async () => {
  script = []
  await cleanupTemp()
  expect(gh.violations.splice(0)).toEqual([])
})

let repoCount = 0
const LOG = ['npm test', 'FAIL src/cart.test.ts', '  expected 42, got 41', 'npm ERR! Test failed.'].join('\n')

/** A core, a GitHub-shaped repository (its pushes go to a bare repository), CI read from the fake, and a thread with one failing push. */
async function failingThread(home = tempDir('skein-home-'), cli?: string) {
  const name = `shop${++repoCount}`
  const full = `acme/${name}`
  gh.addRepo(full)
  const repoDir = makeRepo(name)
  const bare = join(tempDir('skein-remote-'), `${name}.git`)
  git(tempDir(), 'init', '-q', '--bare', bare)
  git(repoDir, 'remote', 'add', 'origin', `https://github.com/${full}.git`)
  git(repoDir, 'config', 'remote.origin.pushurl', bare)
  git(repoDir, 'config', 'user.name', 'Person')
  git(repoDir, 'config', 'user.email', 'person@example.com')
  const { core } = await makeCore(home, { listenSocket: true })
  const repo = must(await core.repos.add(repoDir))
  must(await core.ci.configure(repo.id, { override: { provider: 'github', baseUrl: gh.baseUrl } }))
  if (cli) must(await core.profiles.configure(repo.id, { customCommand: cli, customAcceptsPrompt: true }))
  const thread = must(
    await core.threads.create({
      repoId: repo.id,
      title: 'fix the cart',
      mode: 'worktree',
      permissionMode: 'auto',
      profileId: cli ? 'custom' : undefined
    })
  )
  writeFile(join(thread.worktreePath, 'cart.ts'), 'export const total = 41\n')
  must(await core.review.commit(thread.id, 'first try'))
  const sha1 = git(thread.worktreePath, 'rev-parse', 'HEAD')
  fail(full, sha1, 100)
  return { core, home, repo, thread, full, bare, sha1 }
}

/** The fake reports a failing (or passing) test job for a commit. */
function fail(full: string, sha: string, id: number): void {
  gh.setCheckRun(full, sha, { id, name: 'test (ubuntu)', status: 'completed', conclusion: 'failure', log: LOG })
}
function pass(full: string, sha: string, id: number): void {
  gh.setCheckRun(full, sha, { id, name: 'test (ubuntu)', status: 'completed', conclusion: 'success', log: 'all good' })
}

/** Pushes the thread's branch as the Push button does. */
async function push(core: Core, thread: Thread): Promise<void> {
  must(await core.review.push(thread.id))
  await core.ci.pushed(thread.id)
}

/** The agent's turn: it commits a change to cart.ts; when the turn comes back for the tool's result, `then` runs (with the new HEAD). */
function agentCommits(thread: Thread, content: string, then: (sha: string) => void, usage?: ScriptedStep['usage']): void {
  script.push(
    () => ({
      toolUses: [{ name: 'bash', input: { command: `printf '${content}\\n' > cart.ts && git add -A && git commit -qm "fix the total"` } }],
      usage
    }),
    () => {
      then(git(thread.worktreePath, 'rev-parse', 'HEAD'))
      return { text: 'Fixed the total and committed it.' }
    }
  )
}

const stateOf = (core: Core, id: string): AutopilotState => must(core.autopilot.get(id))
const until = (core: Core, id: string, what: string, check: (s: AutopilotState) => boolean) =>
  eventually(() => check(stateOf(core, id)), what)
const remoteTip = (bare: string, branch: string) => git(bare, 'rev-parse', `refs/heads/${branch}`)
const sentToModel = () => model.requests.map((r) => JSON.stringify(r.body.messages))

describe('the CI autopilot', () => {
  it('fail, fix, push, green, auto-merge: the failure reaches the agent, its commit is pushed, and the green sha is merged', async () => {
    const { core, thread, full, bare, sha1 } = await failingThread()
    const client = new RpcClient(socketTransport(connect(core.dataDir.socketPath)))
    const updates: AutopilotState[] = []
    client.on('autopilot/updated', (p) => void updates.push(p.state))
    const before = model.requests.length
    const on = await client.request('autopilot/configure', { threadId: thread.id, enabled: true, autoMerge: true })
    expect(on.settings).toEqual({ enabled: true, maxAttempts: 3, budgetUsd: 5, autoMerge: true })
    expect(on.phase).toBe('watching')

    let sha2 = ''
    agentCommits(thread, 'export const total = 42', (sha) => {
      sha2 = sha
      pass(full, sha, 101)
    })
    await push(core, thread)
    pulls.setRemote(full, bare)
    const pr = pulls.addPull(full, { title: 'fix the cart', head: { ref: thread.branch!, sha: remoteTip(bare, thread.branch!) } })

    await until(core, thread.id, 'the attempt to pass and the merge', (s) => s.phase === 'passed' && s.merge?.state === 'merged')
    const state = stateOf(core, thread.id)
    expect(state.attempts).toHaveLength(1)
    const [a] = state.attempts
    expect(a).toMatchObject({ n: 1, headBefore: sha1, headAfter: sha2, checks: ['test (ubuntu)'], step: 'done', outcome: 'passed' })
    expect(a!.endedAt).toBeGreaterThanOrEqual(a!.startedAt)
    expect(a!.costUsd).toBeGreaterThan(0)
    expect(state.spentUsd).toBe(a!.costUsd)
    expect(remoteTip(bare, thread.branch!)).toBe(sha2)
    expect(pulls.writes.filter((w) => w.path === `/repos/${full}/pulls/${pr.number}/merge`).map((w) => w.body)).toEqual([
      { merge_method: 'merge', sha: sha2 }
    ])
    expect(state.merge).toMatchObject({ sha: sha2, state: 'merged' })

    // The failure went to the agent as "Send failure to agent" words it, inside the autopilot's message.
    const message = sentToModel()[before]!
    expect(message).toContain("Skein's CI autopilot, attempt 1 of 3")
    expect(message).toContain('FAIL src/cart.test.ts')
    expect(message).toContain(`The GitHub CI check \\"test (ubuntu)\\" failed on commit ${sha1.slice(0, 7)}`)
    // Every step was published: sending, the agent at work, the push, the checks.
    const steps = updates.flatMap((u) => u.attempts.map((x) => x.step))
    expect(steps).toEqual(expect.arrayContaining(['sending', 'agent', 'pushing', 'checks', 'done']))
    client.dispose()
  })

  it('gives up after N attempts while checks keep failing, says why on the bus, and does not start again on that commit', async () => {
    const { core, thread, full, bare } = await failingThread()
    const gaveUp: NotificationOf<'autopilot/gaveUp'>[] = []
    core.bus.subscribe((name, p) => name === 'autopilot/gaveUp' && gaveUp.push(p as NotificationOf<'autopilot/gaveUp'>))
    must(await core.autopilot.configure(thread.id, { enabled: true, maxAttempts: 2 }))
    const heads: string[] = []
    for (const [i, content] of ['export const total = 40', 'export const total = 39'].entries())
      agentCommits(thread, content, (sha) => {
        heads.push(sha)
        fail(full, sha, 200 + i)
      })
    const before = model.requests.length
    await push(core, thread)

    await until(core, thread.id, 'the autopilot to give up', (s) => s.phase === 'gave-up')
    const state = stateOf(core, thread.id)
    expect(state.attempts.map((a) => [a.n, a.outcome, a.headAfter])).toEqual([
      [1, 'failed', heads[0]],
      [2, 'failed', heads[1]]
    ])
    expect(state.attempts[1]!.headBefore).toBe(heads[0])
    expect(state.gaveUp).toMatchObject({ reason: 'attempts', message: 'Gave up after 2 attempts: test (ubuntu) still fails.' })
    expect(gaveUp).toEqual([{ threadId: thread.id, reason: 'attempts', message: 'Gave up after 2 attempts: test (ubuntu) still fails.' }])
    expect(remoteTip(bare, thread.branch!)).toBe(heads[1])
    // Two turns of two requests each; the second attempt said which one it was and sent the new commit's failure.
    expect(model.requests.length - before).toBe(4)
    expect(sentToModel().at(-1)).toContain(`attempt 2 of 2: CI failed on commit ${heads[0]!.slice(0, 7)}`)

    // CI news about the commit it gave up on starts nothing.
    const asked = model.requests.length
    gh.setStatus(full, heads[1]!, { context: 'lint', state: 'failure' })
    await core.ci.refresh(thread.id)
    await eventually(() => core.ci.service.status(thread.id).checks.some((c) => c.name === 'lint'), 'the new failing status')
    expect(stateOf(core, thread.id).attempts).toHaveLength(2)
    expect(model.requests.length).toBe(asked)
  })

  it('gives up when the budget runs out: the agent’s turn is stopped and nothing is pushed', async () => {
    const { core, thread, bare, sha1 } = await failingThread()
    must(await core.autopilot.configure(thread.id, { enabled: true, budgetUsd: 0.05 }))
    // 100k output tokens cost a dollar on the default model: far past the budget after the first reply.
    agentCommits(thread, 'export const total = 42', () => undefined, { input_tokens: 10, output_tokens: 100_000 })
    await push(core, thread)
    await until(core, thread.id, 'the budget to run out', (s) => s.phase === 'gave-up')
    const state = stateOf(core, thread.id)
    expect(state.gaveUp?.reason).toBe('budget')
    expect(state.gaveUp?.message).toContain('$0.05')
    expect(state.attempts).toEqual([expect.objectContaining({ n: 1, outcome: 'over-budget', headAfter: null })])
    expect(state.attempts[0]!.costUsd).toBeGreaterThan(0.05)
    await eventually(() => core.threads.list().find((t) => t.id === thread.id)!.conversation.busy === false, 'the stopped turn to end')
    expect(remoteTip(bare, thread.branch!)).toBe(sha1)
  })

  it('counts an attempt in which the agent made no change as failed, and says so when it gives up', async () => {
    const { core, thread, bare, sha1 } = await failingThread()
    must(await core.autopilot.configure(thread.id, { enabled: true, maxAttempts: 1 }))
    script.push(() => ({ text: 'I looked, and I cannot tell what is wrong.' }))
    await push(core, thread)
    await until(core, thread.id, 'the autopilot to give up', (s) => s.phase === 'gave-up')
    const state = stateOf(core, thread.id)
    expect(state.attempts).toEqual([
      expect.objectContaining({ outcome: 'no-change', detail: 'The agent made no change.', headAfter: null })
    ])
    expect(state.gaveUp?.message).toBe('Gave up after 1 attempt: the agent made no change in the last one.')
    expect(remoteTip(bare, thread.branch!)).toBe(sha1)
  })

  it('gives up when the agent stops on an error', async () => {
    const { core, thread } = await failingThread()
    must(await core.autopilot.configure(thread.id, { enabled: true }))
    script.push(() => ({ status: 400, text: 'prompt is too long' }))
    await push(core, thread)
    await until(core, thread.id, 'the autopilot to give up', (s) => s.phase === 'gave-up')
    const state = stateOf(core, thread.id)
    expect(state.gaveUp?.reason).toBe('agent-error')
    expect(state.gaveUp?.message).toContain('prompt is too long')
    expect(state.attempts.map((a) => a.outcome)).toEqual(['agent-error'])
  })

  it('stops when the person turns it off mid-way, and pushes nothing the agent commits afterwards', async () => {
    const { core, thread, bare, sha1 } = await failingThread()
    must(await core.autopilot.configure(thread.id, { enabled: true }))
    script.push(() => ({ text: 'Thinking about the cart total very slowly. '.repeat(4), slow: true }))
    await push(core, thread)
    await until(core, thread.id, 'the agent to be at work', (s) => s.attempts[0]?.step === 'agent')
    const off = must(await core.autopilot.configure(thread.id, { enabled: false }))
    expect(off.phase).toBe('off')
    await until(core, thread.id, 'the attempt to be stopped', (s) => s.gaveUp?.reason === 'turned-off')
    const state = stateOf(core, thread.id)
    expect(state.attempts).toEqual([expect.objectContaining({ outcome: 'stopped', step: 'done' })])
    expect(state.gaveUp?.message).toBe('You turned the autopilot off during attempt 1.')
    // The agent finishes its turn with a commit of its own; the autopilot, off, leaves it unpushed.
    must(core.agent.interrupt(thread.id))
    await eventually(() => core.threads.list().find((t) => t.id === thread.id)!.conversation.busy === false, 'the turn to end')
    writeFile(join(thread.worktreePath, 'cart.ts'), 'export const total = 42\n')
    must(await core.review.commit(thread.id, 'later fix'))
    await core.ci.refresh(thread.id)
    expect(remoteTip(bare, thread.branch!)).toBe(sha1)
    expect(stateOf(core, thread.id).phase).toBe('off')
  })

  it('drives a CLI agent too: the failure is typed into its terminal, its commit pushed once it waits, and only attempts count', async () => {
    const dir = tempDir('skein-cli-agent-')
    const go = join(dir, 'go')
    // A CLI agent with an input box: on Enter after a paste it commits a fix, keeps printing while it "works" (until the
    // test says go), then waits for input again.
    writeFile(
      join(dir, 'agent.js'),
      `const { execSync } = require('child_process'); const fs = require('fs')
process.stdin.setRawMode(true)
process.stdout.write('\\x1b[?2004h> ')
let text = ''
process.stdin.on('data', (d) => {
  text += d.toString()
  if (!text.endsWith('\\r') || !text.includes('test (ubuntu)')) return
  fs.writeFileSync('cart.ts', 'export const total = 42\\n')
  execSync('git add -A && git commit -qm "fix from the CLI"')
  const t = setInterval(() => { process.stdout.write('.'); if (fs.existsSync(${JSON.stringify(go)})) { clearInterval(t); process.stdout.write('done\\n> ') } }, 100)
})
`
    )
    const { core, thread, full, bare, sha1 } = await failingThread(undefined, `node ${join(dir, 'agent.js')}`)
    expect(thread.agent?.profileId).toBe('custom')
    must(await core.autopilot.configure(thread.id, { enabled: true }))
    await push(core, thread)
    await eventually(() => git(thread.worktreePath, 'rev-parse', 'HEAD') !== sha1, 'the CLI agent to commit')
    const sha2 = git(thread.worktreePath, 'rev-parse', 'HEAD')
    expect(stateOf(core, thread.id)).toMatchObject({ phase: 'fixing', attempts: [{ step: 'agent', costUsd: null }] })
    pass(full, sha2, 301)
    writeFile(go, '')
    await until(core, thread.id, 'the attempt to pass', (s) => s.phase === 'passed')
    const state = stateOf(core, thread.id)
    expect(state.attempts).toEqual([expect.objectContaining({ outcome: 'passed', headAfter: sha2, costUsd: null })])
    expect(state.spentUsd).toBeNull()
    expect(remoteTip(bare, thread.branch!)).toBe(sha2)
  })

  it('keeps its settings and attempts across a restart, and refuses what it cannot do', async () => {
    const home = tempDir('skein-home-')
    const { core, thread } = await failingThread(home)
    must(await core.autopilot.configure(thread.id, { enabled: true, maxAttempts: 1, budgetUsd: 2.5, autoMerge: true }))
    script.push(() => ({ text: 'No idea.' }))
    await push(core, thread)
    await until(core, thread.id, 'the autopilot to give up', (s) => s.phase === 'gave-up')
    const before = stateOf(core, thread.id)
    await core.close()

    const again = (await makeCore(home, { listenSocket: true })).core
    const after = must(again.autopilot.get(thread.id))
    expect(after.settings).toEqual({ enabled: true, maxAttempts: 1, budgetUsd: 2.5, autoMerge: true })
    expect(after.attempts).toEqual(before.attempts)
    expect(after.gaveUp).toEqual(before.gaveUp)
    expect(again.autopilot.list().map((s) => s.threadId)).toEqual([thread.id])

    const client = new RpcClient(socketTransport(connect(again.dataDir.socketPath)))
    await expect(client.request('autopilot/configure', { threadId: thread.id, maxAttempts: 11 })).rejects.toThrow(/10/)
    await expect(client.request('autopilot/configure', { threadId: thread.id, budgetUsd: 0 })).rejects.toThrow(/budgetUsd/)
    client.dispose()
    const local = must(await again.threads.create({ repoId: thread.repoId, title: 'look around', mode: 'local' }))
    const refused = await again.autopilot.configure(local.id, { enabled: true })
    expect(refused.ok).toBe(false)
  })
})
