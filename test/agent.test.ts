import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Item, Thread } from '../src/shared/models'
import { estimateCost } from '../src/shared/pricing'
import { AGENT_SHELL_TITLE } from '../src/main/core/pty/pty-host'
import { useScriptedModel, type ModelServer } from './helpers/model-server'
import { cleanupTemp, git, makeCore, makeRepo, must } from './helpers/fixtures'
import { attachRecorder, eventually } from './helpers/pty-client'

let server: ModelServer
beforeAll(async () => {
  server = await useScriptedModel()
})
afterAll(() => server.close())
afterEach(async () => {
  process.env.ANTHROPIC_API_KEY = 'test-key'
  await cleanupTemp()
})

async function setup(permissionMode: Thread['conversation']['permissionMode'] = 'auto', home?: string) {
  const repoPath = makeRepo()
  const made = await makeCore(home)
  const repo = must(await made.core.repos.add(repoPath))
  const thread = must(await made.core.threads.create({ repoId: repo.id, title: 'agent work', mode: 'worktree', permissionMode }))
  return { ...made, repo, repoPath, thread }
}

const threadOf = (core: Awaited<ReturnType<typeof setup>>['core'], id: string) =>
  core.threads.list({ includeArchived: true }).find((t) => t.id === id)!
const idle = (core: Awaited<ReturnType<typeof setup>>['core'], id: string) =>
  eventually(() => threadOf(core, id).conversation.busy === false, 'the turn to end')
const tools = (items: Item[]) => items.filter((i) => i.kind === 'tool')

describe('built-in agent', () => {
  it('runs a multi-step tool conversation that edits files and runs commands in the worktree', async () => {
    const { core, thread } = await setup('auto')
    const deltas: string[] = []
    const banners: (string | null)[] = []
    core.bus.subscribe((name, p) => name === 'item/delta' && deltas.push((p as { delta: string }).delta))
    core.bus.subscribe(
      (name, p) => name === 'pty/updated' && banners.push((p as { pty: { agentCommand: string | null } }).pty.agentCommand)
    )
    server.push(
      {
        text: 'Let me look.',
        toolUses: [{ name: 'read_file', input: { path: 'src/app.ts' } }],
        usage: { input_tokens: 1000, output_tokens: 50 }
      },
      {
        toolUses: [{ name: 'edit_file', input: { path: 'src/app.ts', old_string: '42', new_string: '43' } }],
        usage: { input_tokens: 1200, output_tokens: 40, cache_read_input_tokens: 800 }
      },
      { toolUses: [{ name: 'bash', input: { command: 'cd src && export GREETING=hi' } }] },
      {
        toolUses: [
          { name: 'bash', input: { command: 'echo "$GREETING from $(basename $(pwd))"; exit_code_test() { return 3; }; exit_code_test' } }
        ]
      },
      { text: 'Done: the answer is now 43.', usage: { input_tokens: 1500, output_tokens: 20, cache_creation_input_tokens: 100 } }
    )
    must(await core.agent.startTurn(thread.id, 'Bump the answer'))
    await idle(core, thread.id)
    expect(readFileSync(join(thread.worktreePath, 'src/app.ts'), 'utf8')).toBe('export const answer = 43\n')
    const items = await core.agent.items(thread.id)
    const ts = tools(items)
    expect(ts.map((t) => t.tool!.name)).toEqual(['read_file', 'edit_file', 'bash', 'bash'])
    expect(ts[0]!.tool!.output).toContain('export const answer = 42')
    expect(ts[1]!.tool!.diff).toContain('-export const answer = 42')
    expect(ts[3]!.tool!.output).toBe('hi from src') // cd and export carried over
    expect(ts[3]!.tool!.exitCode).toBe(3)
    expect(items.filter((i) => i.kind === 'assistant').map((i) => i.text)).toEqual(['Let me look.', 'Done: the answer is now 43.'])
    expect(deltas.join('')).toContain('Done: the answer is now 43.')
    // The shared shell shows a banner while the agent's command runs there, and clears it after.
    expect(banners).toContain('cd src && export GREETING=hi')
    expect(banners.at(-1)).toBeNull()
    const shells = await core.ptys.list(thread.id)
    expect(shells.map((p) => p.title)).toEqual(['Agent shell'])
    // The model saw the tool results on the next request.
    const second = server.requests[server.requests.length - 4]!.body
    expect(JSON.stringify(second.messages)).toContain('export const answer = 42')
    expect(threadOf(core, thread.id).status).toBe('idle')
  })

  it('enforces each permission mode: what runs, what asks, what is refused', async () => {
    const { core, thread } = await setup('ask')
    const approvals: Item[] = []
    core.bus.subscribe((name, p) => name === 'approval/requested' && approvals.push((p as { item: Item }).item))
    server.push({ toolUses: [{ name: 'write_file', input: { path: 'new.txt', content: 'hello\n' } }] }, { text: 'ok' })
    must(await core.agent.startTurn(thread.id, 'write it'))
    await eventually(() => approvals.length === 1, 'an approval')
    expect(approvals[0]!.approval!.diff).toContain('+hello')
    expect(threadOf(core, thread.id).status).toBe('needs-attention')
    expect(existsSync(join(thread.worktreePath, 'new.txt'))).toBe(false)
    must(await core.agent.respond(thread.id, approvals[0]!.id, 'once'))
    await idle(core, thread.id)
    expect(readFileSync(join(thread.worktreePath, 'new.txt'), 'utf8')).toBe('hello\n')

    // Deny with a message: the model is told why.
    server.push({ toolUses: [{ name: 'bash', input: { command: 'rm -rf src' } }] }, { text: 'understood' })
    must(await core.agent.startTurn(thread.id, 'clean up'))
    await eventually(() => approvals.length === 2, 'a second approval')
    must(await core.agent.respond(thread.id, approvals[1]!.id, 'deny', 'do not delete src'))
    await idle(core, thread.id)
    expect(existsSync(join(thread.worktreePath, 'src'))).toBe(true)
    expect(JSON.stringify(server.requests[server.requests.length - 1]!.body.messages)).toContain('do not delete src')

    // Plan: edits refused, read-only commands run, other commands ask.
    must(await core.agent.configure(thread.id, { permissionMode: 'plan' }))
    server.push(
      {
        toolUses: [
          { name: 'write_file', input: { path: 'plan.txt', content: 'x' } },
          { name: 'bash', input: { command: 'ls src | wc -l' } }
        ]
      },
      { toolUses: [{ name: 'bash', input: { command: 'touch made-in-plan' } }] },
      { text: 'ok' }
    )
    must(await core.agent.startTurn(thread.id, 'plan something'))
    await eventually(() => approvals.length === 3, 'the plan-mode command approval')
    expect(approvals[2]!.approval!.command).toBe('touch made-in-plan')
    must(await core.agent.respond(thread.id, approvals[2]!.id, 'deny'))
    await idle(core, thread.id)
    const planTools = tools(await core.agent.items(thread.id)).slice(-3)
    expect(planTools[0]!.tool!.output).toMatch(/Refused: this thread is in plan mode/)
    expect(existsSync(join(thread.worktreePath, 'plan.txt'))).toBe(false)
    expect(planTools[1]!.tool!.output).toBe('1')
    expect(existsSync(join(thread.worktreePath, 'made-in-plan'))).toBe(false)

    // accept-edits: edits run, commands ask; "approve for this session" stops asking.
    must(await core.agent.configure(thread.id, { permissionMode: 'accept-edits' }))
    server.push(
      {
        toolUses: [
          { name: 'write_file', input: { path: 'auto-edit.txt', content: 'y' } },
          { name: 'bash', input: { command: 'echo one' } }
        ]
      },
      { toolUses: [{ name: 'bash', input: { command: 'echo two' } }] },
      { text: 'ok' }
    )
    must(await core.agent.startTurn(thread.id, 'go'))
    await eventually(() => approvals.length === 4, 'the command approval')
    expect(existsSync(join(thread.worktreePath, 'auto-edit.txt'))).toBe(true)
    must(await core.agent.respond(thread.id, approvals[3]!.id, 'session'))
    await idle(core, thread.id)
    expect(approvals).toHaveLength(4)
    expect(tools(await core.agent.items(thread.id)).slice(-1)[0]!.tool!.output).toBe('two')

    // That approval was given under accept-edits in the worktree sandbox; under another mode or without the sandbox it asks again.
    must(await core.agent.configure(thread.id, { permissionMode: 'ask' }))
    server.push({ toolUses: [{ name: 'bash', input: { command: 'echo three' } }] }, { text: 'ok' })
    must(await core.agent.startTurn(thread.id, 'again'))
    await eventually(() => approvals.length === 5, 'a fresh approval under ask')
    must(await core.agent.respond(thread.id, approvals[4]!.id, 'deny'))
    await idle(core, thread.id)
  })

  it('refuses every path escape: .., absolute, sibling prefix and symlinks out', async () => {
    const { core, thread } = await setup('auto')
    const outside = `${thread.worktreePath}-x`
    mkdirSync(outside)
    writeFileSync(join(outside, 'secret.txt'), 'sibling secret')
    symlinkSync('/etc', join(thread.worktreePath, 'etc-link'))
    symlinkSync(join(outside, 'secret.txt'), join(thread.worktreePath, 'file-link'))
    const attempts = [
      '../secret.txt',
      '/etc/hostname',
      `${outside}/secret.txt`,
      '../agent-work-x/secret.txt',
      'etc-link/hostname',
      'file-link',
      'src/../../x'
    ]
    server.push(
      { toolUses: attempts.map((p) => ({ name: 'read_file', input: { path: p } })) },
      { toolUses: [{ name: 'write_file', input: { path: 'etc-link/evil', content: 'x' } }] },
      { text: 'ok' }
    )
    must(await core.agent.startTurn(thread.id, 'try to escape'))
    await idle(core, thread.id)
    const ts = tools(await core.agent.items(thread.id))
    expect(ts).toHaveLength(attempts.length + 1)
    for (const t of ts) {
      expect(t.tool!.isError, JSON.stringify(t.tool!.input)).toBe(true)
      expect(t.tool!.output).toMatch(/Refused: .* is outside the thread's worktree/)
      expect(t.tool!.output).not.toContain('sibling secret')
    }
    expect(existsSync('/etc/evil')).toBe(false)
    // A file the person attaches is read the same way: a link out is refused, a file inside is sent.
    for (const a of ['file-link', 'etc-link/hostname', '../secret.txt']) {
      const r = await core.agent.startTurn(thread.id, 'look', [a])
      expect(r.ok).toBe(false)
      if (!r.ok) expect(r.error.message).toMatch(new RegExp(`^Cannot attach ${a.replace(/[.]/g, '\\.')}: .*outside the thread's worktree`))
    }
  })

  it('interrupts mid-stream and mid-command at once, leaving an "Interrupted" item', async () => {
    const { core, thread } = await setup('auto')
    server.push({ text: 'This answer streams very slowly and will be cut off before it ends. '.repeat(5), slow: true })
    must(await core.agent.startTurn(thread.id, 'talk slowly'))
    await eventually(
      async () => (await core.agent.items(thread.id)).some((i) => i.kind === 'assistant' && (i.text ?? '').length > 0),
      'some text'
    )
    must(core.agent.interrupt(thread.id))
    await idle(core, thread.id)
    let items = await core.agent.items(thread.id)
    expect(items.find((i) => i.kind === 'assistant')!.status).toBe('interrupted')
    expect(items.at(-1)).toMatchObject({ kind: 'notice', text: 'Interrupted' })

    server.push({ toolUses: [{ name: 'bash', input: { command: 'echo started-$((20+1)); sleep 30; echo never' } }] })
    must(await core.agent.startTurn(thread.id, 'wait'))
    await eventually(
      async () => (await core.agent.items(thread.id)).some((i) => i.kind === 'tool' && i.status === 'running'),
      'the command to start'
    )
    // Interrupt once the shell is inside the command (it announced itself), not after a fixed wait.
    // The tool is marked running as the shell opens: wait for the shell, then for the command in it.
    const agentShell = async () => (await core.ptys.list(thread.id)).find((p) => p.title === AGENT_SHELL_TITLE)
    await eventually(async () => (await agentShell()) !== undefined, 'the agent shell')
    const watcher = await attachRecorder(core.ptys, (await agentShell())!.id)
    await eventually(() => /started-21/.test(watcher.output()), 'the command to announce itself')
    must(core.agent.interrupt(thread.id))
    await idle(core, thread.id)
    items = await core.agent.items(thread.id)
    const cmd = tools(items).at(-1)!
    expect(cmd.status).toBe('interrupted')
    expect(cmd.tool!.output).not.toContain('never')
    expect(items.at(-1)).toMatchObject({ kind: 'notice', text: 'Interrupted' })
  })

  it('retries 429, 529 and a dropped stream visibly, keeping what already arrived', async () => {
    const { core, thread } = await setup('auto')
    server.push(
      { status: 429, headers: { 'retry-after': '0' } },
      { status: 529 },
      { text: 'Partial answer that will be cut', dropAfterEvents: 5, chunkSize: 4 },
      { text: 'Complete answer.' }
    )
    must(await core.agent.startTurn(thread.id, 'hello'))
    await idle(core, thread.id)
    const items = await core.agent.items(thread.id)
    const notices = items.filter((i) => i.kind === 'notice').map((i) => i.text)
    expect(notices.some((n) => /Rate limited \(429\)\. Retrying in 0\.0 s — attempt 2 of 5/.test(n!))).toBe(true)
    expect(notices.some((n) => /overloaded \(529\)/.test(n!))).toBe(true)
    expect(notices.some((n) => /connection to the model API dropped/.test(n!))).toBe(true)
    const partial = items.find((i) => i.kind === 'assistant' && i.status === 'failed')
    expect(partial?.text).toMatch(/^Partial/)
    expect(items.filter((i) => i.kind === 'assistant' && i.status === 'completed').map((i) => i.text)).toEqual(['Complete answer.'])
    expect(items.some((i) => i.kind === 'error')).toBe(false)
  })

  it('gives up after the last retry with a retryable error item, and Retry works', async () => {
    const { core, thread } = await setup('auto')
    server.push(...Array.from({ length: 5 }, () => ({ status: 500, headers: { 'retry-after': '0' } })))
    must(await core.agent.startTurn(thread.id, 'hello'))
    await idle(core, thread.id)
    const err = (await core.agent.items(thread.id)).at(-1)!
    expect(err).toMatchObject({ kind: 'error', retryable: true })
    expect(err.text).toMatch(/4 retries did not help/)
    server.push({ text: 'Back again.' })
    must(await core.agent.retry(thread.id))
    await idle(core, thread.id)
    expect((await core.agent.items(thread.id)).at(-1)).toMatchObject({ kind: 'assistant', text: 'Back again.' })
  })

  it('explains a 401 and a missing key', async () => {
    const { core, thread } = await setup('auto')
    server.push({ status: 401 })
    must(await core.agent.startTurn(thread.id, 'hi'))
    await idle(core, thread.id)
    expect((await core.agent.items(thread.id)).at(-1)!.text).toMatch(/rejected the API key \(401\)/)
    delete process.env.ANTHROPIC_API_KEY
    const before = server.requests.length
    must(await core.agent.startTurn(thread.id, 'hi again'))
    await idle(core, thread.id)
    const last = (await core.agent.items(thread.id)).at(-1)!
    expect(last).toMatchObject({ kind: 'error', retryable: true })
    expect(last.text).toMatch(/No Anthropic API key is set\. Add one in Settings/)
    expect(server.requests.length).toBe(before)
    expect((await core.agent.settings()).apiKey.source).toBeNull()
  })

  it('reloads the conversation after a restart and continues it with the logged history', async () => {
    const home = mkdtempSync(join(tmpdir(), 'skein-agent-restart-'))
    const first = await setup('auto', home)
    server.push({ toolUses: [{ name: 'read_file', input: { path: 'README.md' } }] }, { text: 'The README says "test repo".' })
    must(await first.core.agent.startTurn(first.thread.id, 'What does the README say?'))
    await idle(first.core, first.thread.id)
    await first.core.close()

    const second = await makeCore(home)
    const items = await second.core.agent.items(first.thread.id)
    expect(items.map((i) => i.kind)).toEqual(['user', 'notice', 'tool', 'assistant'])
    server.push({ text: 'Yes, still.' })
    must(await second.core.agent.startTurn(first.thread.id, 'Still true?'))
    await idle(second.core, first.thread.id)
    const sent = server.requests.at(-1)!.body.messages
    expect(sent.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user'])
    expect(JSON.stringify(sent)).toContain('# test repo')
    expect(JSON.stringify(sent)).toContain('The README says')
  })

  it('accounts tokens and cost per turn and per thread from the reported usage', async () => {
    const { core, thread } = await setup('auto')
    const u1 = { input_tokens: 1_000_000, output_tokens: 100_000, cache_read_input_tokens: 2_000_000, cache_creation_input_tokens: 400_000 }
    const u2 = { input_tokens: 500_000, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 }
    server.push({ toolUses: [{ name: 'list_files', input: { pattern: '**/*.ts' } }], usage: u1 }, { text: 'src/app.ts', usage: u2 })
    must(await core.agent.startTurn(thread.id, 'list ts files'))
    await idle(core, thread.id)
    const usage = threadOf(core, thread.id).conversation.usage
    expect(usage).toMatchObject({ input: 1_500_000, output: 100_000, cacheRead: 2_000_000, cacheWrite: 400_000 })
    // Sonnet 5.5 (the default): $2 in, $10 out, $0.10 cache read, $2.50 cache write per million.
    expect(usage.costUsd).toBeCloseTo(1.5 * 2 + 0.1 * 10 + 2 * 0.1 + 0.4 * 2.5, 6)
    expect(estimateCost('claude-sonnet-4-5', { input: 1_000_000, output: 0, cacheRead: 0, cacheWrite: 0 })).toBe(3)
    const last = (await core.agent.items(thread.id)).filter((i) => i.kind === 'assistant').at(-1)!
    expect(last.usage).toMatchObject({ input: 500_000, costUsd: 1 })
    expect(tools(await core.agent.items(thread.id))[0]!.tool!.output).toBe('src/app.ts')
    expect(git(thread.worktreePath, 'status', '--porcelain')).toBe('')
  })

  it('takes a steer message at the next step, even when the model was about to finish', async () => {
    const { core, thread } = await setup('auto')
    server.push({ text: 'Working on it slowly, step one of the answer.', slow: true, chunkSize: 6 }, { text: 'Now in French: bonjour.' })
    must(await core.agent.startTurn(thread.id, 'Say hello'))
    await eventually(async () => (await core.agent.items(thread.id)).some((i) => i.kind === 'assistant'), 'streaming')
    must(await core.agent.steer(thread.id, 'Answer in French'))
    await idle(core, thread.id)
    const items = await core.agent.items(thread.id)
    expect(items.filter((i) => i.kind === 'user').map((i) => i.text)).toEqual(['Say hello', 'Answer in French'])
    expect(items.at(-1)).toMatchObject({ kind: 'assistant', text: 'Now in French: bonjour.' })
    expect(JSON.stringify(server.requests.at(-1)!.body.messages.at(-1))).toContain('Answer in French')
  })

  it('after a restart, a pending approval is still pending; approving runs the call and continues the turn from the logged history', async () => {
    const home = mkdtempSync(join(tmpdir(), 'skein-agent-cut-'))
    const first = await setup('ask', home)
    server.push({
      text: 'I will write it.',
      toolUses: [{ name: 'write_file', input: { path: 'resumed.txt', content: 'after restart\n' } }]
    })
    must(await first.core.agent.startTurn(first.thread.id, 'write it'))
    await eventually(() => threadOf(first.core, first.thread.id).status === 'needs-attention', 'the approval')
    await first.core.close()

    const second = await makeCore(home)
    const core = second.core
    const t = threadOf(core, first.thread.id)
    expect(t.status).toBe('needs-attention')
    expect(t.conversation.busy).toBe(false)
    const items = await core.agent.items(t.id)
    const approval = items.find((i) => i.kind === 'approval')!
    const tool = items.find((i) => i.kind === 'tool')!
    expect(approval).toMatchObject({ status: 'pending', approval: { decision: null } })
    expect(tool).toMatchObject({ status: 'running', tool: { name: 'write_file' } })
    expect(JSON.stringify(items)).not.toContain('Interrupted before the person answered')
    expect(existsSync(join(t.worktreePath, 'resumed.txt'))).toBe(false)

    const before = server.requests.length
    server.push({ text: 'Written after the restart.' })
    must(await core.agent.respond(t.id, approval.id, 'once'))
    await eventually(
      async () => (await core.agent.items(t.id)).some((i) => i.kind === 'assistant' && i.text === 'Written after the restart.'),
      'the turn to continue'
    )
    await idle(core, t.id)
    expect(readFileSync(join(t.worktreePath, 'resumed.txt'), 'utf8')).toBe('after restart\n')
    const after = await core.agent.items(t.id)
    expect(after.find((i) => i.id === approval.id)).toMatchObject({ status: 'completed', approval: { decision: 'once' } })
    expect(after.find((i) => i.id === tool.id)).toMatchObject({ status: 'completed', tool: { isError: false } })
    // The resumed turn sent the history with the tool's result to the model.
    expect(server.requests.length).toBe(before + 1)
    const messages = JSON.stringify(server.requests.at(-1)!.body.messages)
    expect(messages).toContain(tool.tool!.useId)
    expect(messages).toContain('"tool_result"')
    expect(messages).toContain('I will write it.')
    expect(threadOf(core, t.id).status).toBe('idle')
    // Answered once: a second answer is refused.
    expect((await core.agent.respond(t.id, approval.id, 'once')).ok).toBe(false)
    // And it all holds after another restart.
    await core.close()
    const third = await makeCore(home)
    const reloaded = await third.core.agent.items(t.id)
    expect(reloaded.find((i) => i.id === approval.id)).toMatchObject({ status: 'completed', approval: { decision: 'once' } })
    expect(threadOf(third.core, t.id).status).toBe('idle')
  })

  it('after a restart, denying a pending approval continues the turn with the denial and runs nothing', async () => {
    const home = mkdtempSync(join(tmpdir(), 'skein-agent-deny-'))
    const first = await setup('ask', home)
    server.push({ toolUses: [{ name: 'bash', input: { command: 'touch denied.txt' } }] })
    must(await first.core.agent.startTurn(first.thread.id, 'touch it'))
    await eventually(() => threadOf(first.core, first.thread.id).status === 'needs-attention', 'the approval')
    await first.core.close()

    const { core } = await makeCore(home)
    const id = first.thread.id
    const approval = (await core.agent.items(id)).find((i) => i.kind === 'approval')!
    expect(approval.status).toBe('pending')
    server.push({ text: 'Understood, not touching it.' })
    must(await core.agent.respond(id, approval.id, 'deny', 'not that file'))
    await eventually(
      async () => (await core.agent.items(id)).some((i) => i.kind === 'assistant' && i.text === 'Understood, not touching it.'),
      'the turn to continue'
    )
    await idle(core, id)
    const tool = (await core.agent.items(id)).find((i) => i.kind === 'tool')!
    expect(tool).toMatchObject({ status: 'completed', tool: { isError: true, output: expect.stringContaining('not that file') } })
    expect(JSON.stringify(server.requests.at(-1)!.body.messages)).toContain('The person denied this command')
    expect(existsSync(join(first.thread.worktreePath, 'denied.txt'))).toBe(false)
  })

  it('after a restart, a new message instead of an answer closes the old approval without running it', async () => {
    const home = mkdtempSync(join(tmpdir(), 'skein-agent-skip-'))
    const first = await setup('ask', home)
    server.push({ toolUses: [{ name: 'write_file', input: { path: 'skipped.txt', content: 'x' } }] })
    must(await first.core.agent.startTurn(first.thread.id, 'write it'))
    await eventually(() => threadOf(first.core, first.thread.id).status === 'needs-attention', 'the approval')
    await first.core.close()

    const { core } = await makeCore(home)
    const id = first.thread.id
    server.push({ text: 'Fine, something else then.' })
    must(await core.agent.startTurn(id, 'never mind'))
    await idle(core, id)
    const items = await core.agent.items(id)
    expect(items.find((i) => i.kind === 'approval')).toMatchObject({ status: 'interrupted' })
    expect(items.find((i) => i.kind === 'tool')).toMatchObject({ status: 'interrupted', tool: { isError: true } })
    expect(existsSync(join(first.thread.worktreePath, 'skipped.txt'))).toBe(false)
    expect(threadOf(core, id).status).toBe('idle')
  })
})
