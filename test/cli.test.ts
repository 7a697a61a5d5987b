import { existsSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import * as pty from 'node-pty'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { socketTransport } from '../src/main/core/rpc/socket-transport'
import { RpcClient } from '../src/shared/rpc-client'
import type { Thread } from '../src/shared/models'
import { cleanupTemp, makeCore, makeRepo, must, tempDir } from './helpers/fixtures'
import { CLI, skein as runSkein } from './helpers/cli-run'
import { eventually } from './helpers/pty-client'
import { useScriptedModel, type ModelServer } from './helpers/model-server'
import { ClaudeSession, text, writeClaudeSession } from './helpers/session-fixtures'

let server: ModelServer
beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npx electron-vite build\` first (npm test does).`)
  server = await useScriptedModel()
})
afterAll(() => server.close())
afterEach(cleanupTemp)

const skein = (args: string[], o: { home: string; userHome?: string; cwd?: string }) => runSkein(args, { ...o, modelUrl: server.url })

async function setup() {
  const home = tempDir('skein-home-')
  const { core } = await makeCore(home, { listenSocket: true })
  const repo = makeRepo()
  return { core, home, repo }
}

async function uiWindow(socketPath: string): Promise<RpcClient & { focused: string[] }> {
  const client = new RpcClient(socketTransport(connect(socketPath))) as RpcClient & { focused: string[] }
  client.focused = []
  client.on('app/focus', (p) => void (p.threadId && client.focused.push(p.threadId)))
  await client.request('core/hello', { client: 'ui' })
  return client
}

describe('skein CLI against a real core over its socket', () => {
  it('creates threads with `new` (CLI agent and built-in agent), shown at once in an open window', async () => {
    const { core, home, repo } = await setup()
    const win = await uiWindow(core.dataDir.socketPath)
    const created: Thread[] = []
    win.on('thread/updated', (p) => created.push(p.thread))

    const outside = tempDir('skein-outside-')
    const shell = await skein(['new', `poke around; touch ${outside}/pwned`, '--agent', 'shell', '--title', 'poke around', '--json'], {
      home,
      cwd: join(repo, 'src')
    })
    expect(shell.code).toBe(0)
    const out = JSON.parse(shell.stdout) as { thread: Thread; url: string; prompt?: unknown }
    // The prompt is never typed into the shell (it would run it), and the CLI says so.
    expect(out.prompt).toEqual({ delivered: false, reason: 'shell' })
    expect(shell.stderr).toMatch(/not typed into the shell/)
    const marker = Math.floor(Math.random() * 1e6)
    const seen: string[] = []
    const agentPty = core.threads.list().find((t) => t.id === out.thread.id)!.agent!.ptyId
    const tap = core.ptys.tap(agentPty, (text) => void seen.push(text))
    must(core.ptys.write(agentPty, `echo drained_$((${marker}+1))\r`))
    await eventually(() => seen.join('').includes(`drained_${marker + 1}`), 'the shell to run the marker command')
    tap.dispose()
    expect(existsSync(join(outside, 'pwned'))).toBe(false)
    expect(out.thread).toMatchObject({ title: 'poke around', mode: 'worktree', agent: { profileId: 'shell' } })
    expect(out.url).toBe(`skein open ${out.thread.id}`)
    await eventually(
      () => win.focused.includes(out.thread.id) && created.some((t) => t.id === out.thread.id),
      'the window to hear of the new thread'
    )

    server.push({ text: 'Looking into it.' })
    const builtin = await skein(['new', 'Why is checkout slow?', '--plan', '--local'], { home, cwd: repo })
    expect(builtin.code).toBe(0)
    const id = builtin.stdout.trim()
    expect(builtin.stderr).toMatch(/Created "Why is checkout slow\?" in repo in your checkout/)
    await eventually(
      () => server.requests.some((r) => JSON.stringify(r.body.messages).includes('Why is checkout slow?')),
      'the model to get the prompt'
    )
    expect(core.threads.list().find((t) => t.id === id)?.conversation.permissionMode).toBe('plan')

    // Every choice of the dialog, from another folder: --repo by the name Skein knows, a worktree from a base, a permission mode.
    server.push({ text: 'On it.' })
    const chosen = await skein(
      ['new', 'Add rate limiting. Use a token bucket.', '--repo', 'repo', '--worktree', '--base', 'main', '--permission', 'auto', '--json'],
      { home, cwd: tempDir() }
    )
    expect(chosen.code).toBe(0)
    const made = (JSON.parse(chosen.stdout) as { thread: Thread }).thread
    expect(made).toMatchObject({
      title: 'Add rate limiting',
      mode: 'worktree',
      baseRef: 'main',
      agent: null,
      conversation: { permissionMode: 'auto' }
    })
    await eventually(
      () => server.requests.some((r) => JSON.stringify(r.body.messages).includes('Use a token bucket.')),
      'the model to get the second prompt'
    )

    expect((await skein(['new', 'x', '--agent', 'nope'], { home, cwd: repo })).code).toBe(2)
    expect((await skein(['new', 'x', '--plan', '--agent', 'codex'], { home, cwd: repo })).code).toBe(2)
    const notRepo = await skein(['new', 'x'], { home, cwd: tempDir() })
    expect(notRepo.code).toBe(5)
    expect(notRepo.stderr).toMatch(/is not a git repository/)
    win.dispose()
    await core.close()
  })

  it('lists threads grouped by repository, as text and JSON, and focuses one with `open`', async () => {
    const { core, home, repo } = await setup()
    const r = must(await core.repos.add(repo))
    const a = must(await core.threads.create({ repoId: r.id, title: 'First thread', mode: 'local' }))
    const other = must(await core.repos.add(makeRepo('other')))
    const b = must(await core.threads.create({ repoId: other.id, title: 'Elsewhere', mode: 'local' }))

    const json = await skein(['list', '--json'], { home })
    expect(json.code).toBe(0)
    const listed = JSON.parse(json.stdout) as { repos: { name: string; threads: Thread[] }[] }
    expect(listed.repos.map((x) => [x.name, x.threads.map((t) => t.title)])).toEqual([
      ['repo', ['First thread']],
      ['other', ['Elsewhere']]
    ])
    const textOut = await skein(['list', '--repo', join(repo, 'src')], { home })
    expect(textOut.stdout).toMatch(new RegExp(`repo  ${repo}\\n\\s+ID\\s+STATUS\\s+BRANCH\\s+CI\\s+ACTIVE\\s+TITLE\\n\\s+${a.id}\\s+Idle`))
    expect(textOut.stdout).not.toMatch(/Elsewhere/)

    const win = await uiWindow(core.dataDir.socketPath)
    // Ids made in the same instant share a prefix: take just enough of this one to tell it from the other.
    let n = 3
    while (b.id.startsWith(a.id.slice(0, n))) n++
    const opened = await skein(['open', a.id.slice(0, n)], { home })
    expect(opened.code).toBe(0)
    expect(opened.stderr).toMatch(/Showing "First thread" in Skein/)
    await eventually(() => win.focused.includes(a.id), 'the focus request')
    const unknown = await skein(['open', 'no-such-thread'], { home })
    expect(unknown.code).toBe(4)
    expect(unknown.stderr).toMatch(/Unknown thread "no-such-thread"/)
    win.dispose()
    await core.close()
  })

  it('imports the last Claude Code session of a folder with `handoff --last`, and updates the same thread on a second run', async () => {
    const { core, home, repo } = await setup()
    // The core (in this process) finds sessions through CLAUDE_CONFIG_DIR and CODEX_HOME.
    const userHome = tempDir('skein-user-')
    process.env.CLAUDE_CONFIG_DIR = join(userHome, '.claude')
    process.env.CODEX_HOME = join(userHome, '.codex')
    const s = new ClaudeSession('0a1b2c3d-0000-4000-8000-000000000001', repo)
    s.user('Fix the flaky login test')
    s.assistant('msg_1', [text('Found it: a race in the session setup.')])
    writeClaudeSession(join(userHome, '.claude'), '-weird-folder-name', '0a1b2c3d-0000-4000-8000-000000000001.jsonl', s.text())

    const first = await skein(['handoff', '--last', '--json'], { home, userHome, cwd: repo })
    expect(first.code).toBe(0)
    const r1 = JSON.parse(first.stdout) as { thread: Thread; created: boolean; items: number }
    expect(r1.created).toBe(true)
    expect(r1.thread).toMatchObject({
      mode: 'local',
      title: 'Fix the flaky login test',
      imported: { source: 'claude', sessionId: '0a1b2c3d-0000-4000-8000-000000000001', cwd: repo }
    })
    expect(r1.thread.imported!.resumeCommand).toBe(`cd ${repo} && claude --resume 0a1b2c3d-0000-4000-8000-000000000001`)
    const items = await core.agent.items(r1.thread.id)
    expect(items.map((i) => i.text)).toEqual(expect.arrayContaining(['Fix the flaky login test', 'Found it: a race in the session setup.']))

    s.user('Now add a regression test')
    writeClaudeSession(join(userHome, '.claude'), '-weird-folder-name', '0a1b2c3d-0000-4000-8000-000000000001.jsonl', s.text())
    const second = await skein(['handoff', '--json'], { home, userHome, cwd: repo })
    const r2 = JSON.parse(second.stdout) as { thread: Thread; created: boolean; added: number }
    expect(r2).toMatchObject({ created: false, thread: { id: r1.thread.id } })
    expect(r2.added).toBeGreaterThanOrEqual(1)
    expect(core.threads.list().filter((t) => t.imported)).toHaveLength(1)

    // Without --json: what came in, what was left out, and a warning when the thread holds less than the file.
    s.user('An edited prompt', { parent: null })
    s.user('The prompt that replaced it', { parent: null })
    writeClaudeSession(join(userHome, '.claude'), '-weird-folder-name', '0a1b2c3d-0000-4000-8000-000000000001.jsonl', s.text())
    const third = await skein(['handoff'], { home, userHome, cwd: repo })
    expect(third.code).toBe(0)
    expect(third.stderr).toMatch(/session 0a1b2c3d-0000-4000-8000-000000000001: 1 prompt, 0 replies, 0 tool calls\./)
    expect(third.stderr).toMatch(/^Left out: 4 messages on branches the session left \(a rewind or an edited prompt\)\.$/m)
    expect(third.stderr).toMatch(/^warning: 3 of the 4 prompts in the file are not in the thread\. They are on branches/m)

    process.env.CLAUDE_CONFIG_DIR = join(tempDir(), 'empty')
    const none = await skein(['handoff', '--last'], { home, userHome, cwd: repo })
    delete process.env.CLAUDE_CONFIG_DIR
    delete process.env.CODEX_HOME
    expect(none.code).toBe(4)
    expect(none.stderr).toMatch(/No Claude Code or Codex session ran in/)
    await core.close()
  })

  it('attaches a terminal to a thread live: input and output both ways, resize, and Ctrl-] leaves it running', async () => {
    const { core, home, repo } = await setup()
    const r = must(await core.repos.add(repo))
    const t = must(await core.threads.create({ repoId: r.id, title: 'attach me', mode: 'local', profileId: 'shell' }))
    const ptyId = t.agent!.ptyId
    const env = { PATH: process.env.PATH!, SKEIN_HOME: home, HOME: tempDir('skein-user-'), TERM: 'xterm-256color' }
    const term = pty.spawn(process.execPath, [CLI, 'attach', t.id], { cols: 100, rows: 30, cwd: repo, env })
    let screen = ''
    term.onData((d) => (screen += d))
    const exited = new Promise<number>((resolve) => term.onExit((e) => resolve(e.exitCode)))
    await eventually(() => screen.includes('attached to "attach me"'), 'the attach banner')
    term.write('echo typed-$((40+2))\r')
    await eventually(() => screen.includes('typed-42'), 'typed input to echo back')
    must(core.ptys.write(ptyId, 'echo from-the-app-$((6*7))\r'))
    await eventually(() => screen.includes('from-the-app-42'), 'app input to show in the attached terminal')
    // The resize travels CLI → core → pty while we type: ask `stty size` again until it reports it.
    term.resize(120, 33)
    const answers = (): string[] => [...screen.matchAll(/size=(\d+ \d+)/g)].map((m) => m[1]!)
    for (let ask = 0; ask < 100 && !answers().includes('33 120'); ask++) {
      const before = answers().length
      term.write('echo "size=$(stty size)"\r')
      await eventually(() => answers().length > before, '`stty size` to answer')
    }
    expect(answers()).toContain('33 120')
    term.write('\x1d')
    expect(await exited).toBe(0)
    expect(screen).toMatch(/detached; "attach me" keeps running/)
    const live = await core.ptys.list(t.id)
    expect(live.find((p) => p.id === ptyId)?.state).toBe('running')
    await core.close()
  })

  it('explains an unreachable core, bad usage and --help, and starts a headless core when asked', async () => {
    const home = tempDir('skein-home-')
    const down = await skein(['list'], { home })
    expect(down.code).toBe(3)
    expect(down.stderr).toMatch(/No Skein core is running/)
    expect((await skein(['frobnicate'], { home })).code).toBe(2)
    for (const cmd of ['new', 'list', 'open', 'attach', 'handoff', 'serve']) {
      const help = await skein([cmd, '--help'], { home })
      expect(help.code).toBe(0)
      expect(help.stdout).toMatch(new RegExp(`^Usage: skein ${cmd}`))
    }
    const repo = makeRepo()
    const started = await skein(['new', 'hello', '--agent', 'shell', '--headless', '--json'], { home, cwd: repo })
    expect(started.stderr).toMatch(/Starting the headless Skein core/)
    expect(started.code).toBe(0)
    const out = JSON.parse(started.stdout) as { url: string }
    expect(out.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=.+&thread=/)
    const client = new RpcClient(socketTransport(connect(join(home, 'skein.sock'))))
    const hello = await client.request('core/hello', {})
    client.dispose()
    process.kill(hello.pid, 'SIGTERM')
    // Gone, not just its socket: it removes the socket first and still writes its data dir after,
    // which raced the temp-dir cleanup (ENOTEMPTY) on a busy machine.
    const gone = () => {
      try {
        process.kill(hello.pid, 0)
        return false
      } catch {
        return true
      }
    }
    await eventually(gone, 'the background core to exit')
    expect(existsSync(join(home, 'skein.sock'))).toBe(false)
  })
})
