import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ErrorCode } from '../src/shared/errors'
import type { PtyInfo, Thread } from '../src/shared/models'
import { HIGH_WATERMARK_CHARS } from '../src/main/core/pty/flow-control'
import { PtySession } from '../src/main/core/pty/pty-session'
import { cleanupTemp, makeCore, makeRepo, must, tempDir } from './helpers/fixtures'
import { attachRecorder, eventually, recordingConnection } from './helpers/pty-client'

beforeAll(() => {
  process.env.SHELL = '/bin/bash'
  // Login shells read ~/.profile; an empty home keeps this machine's dotfiles (pyenv, cargo) out of the tests.
  process.env.HOME = mkdtempSync(join(tmpdir(), 'skein-pty-home-'))
})
afterEach(cleanupTemp)

async function coreWithThread(options: { mode?: 'worktree' | 'local'; home?: string; scrollbackChars?: number } = {}) {
  const repoPath = makeRepo()
  const made = await makeCore(options.home, { scrollbackChars: options.scrollbackChars })
  const repo = must(await made.core.repos.add(repoPath))
  const thread = must(await made.core.threads.create({ repoId: repo.id, title: 'pty work', mode: options.mode ?? 'worktree' }))
  return { ...made, repo, repoPath, thread }
}

const pidsMatching = (pattern: string): number[] => {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number)
  } catch {
    return []
  }
}

/**
 * Echoes through a fresh shell of `threadId` `n` times. A barrier for negative claims: once it
 * returns, the core has read its ptys and run its timers many times over, whatever the machine's load.
 */
async function roundTrips(core: Awaited<ReturnType<typeof makeCore>>['core'], threadId: string, n: number): Promise<void> {
  const probe = must(await core.ptys.open(threadId, { kind: 'shell', cols: 80, rows: 24 }))
  const c = recordingConnection()
  must(await core.ptys.attach(probe.id, c))
  for (let i = 1; i <= n; i++) {
    must(core.ptys.write(probe.id, `echo probe-$((${i}*1000+1))\r`))
    await c.waitFor(new RegExp(`probe-${i * 1000 + 1}`))
  }
  await core.ptys.close(probe.id)
}

describe('pty sessions', () => {
  it('spawns a shell in the worktree with SKEIN_THREAD_ID and PORT, echoes, and reports the exit code', async () => {
    const { core, thread } = await coreWithThread()
    const exits: { exitCode: number | null }[] = []
    core.bus.subscribe((name, p) => name === 'pty/exit' && exits.push(p as { exitCode: number | null }))
    const pty = must(await core.ptys.open(thread.id, { kind: 'shell', cols: 100, rows: 30 }))
    expect(pty.cwd).toBe(thread.worktreePath)
    expect(pty.port).toBeGreaterThan(0)
    const c = recordingConnection()
    must(await core.ptys.attach(pty.id, c))
    must(core.ptys.write(pty.id, 'echo "cwd=$(pwd) id=$SKEIN_THREAD_ID port=$PORT sum=$((40+2))"\r'))
    const out = await c.waitFor(/sum=42/)
    expect(out).toContain(`cwd=${thread.worktreePath}`)
    expect(out).toContain(`id=${thread.id}`)
    expect(out).toContain(`port=${pty.port}`)
    must(core.ptys.write(pty.id, 'exit 7\r'))
    await eventually(() => exits.length > 0, 'exit')
    expect(exits[0]!.exitCode).toBe(7)
    const written = core.ptys.write(pty.id, 'echo too late\r')
    expect(written.ok).toBe(false)
    if (!written.ok) expect(written.error.code).toBe(ErrorCode.PtyExited)
    const listed = await core.ptys.list(thread.id)
    expect(listed.find((p) => p.id === pty.id)).toMatchObject({ state: 'exited', exitCode: 7 })
  })

  it('decodes UTF-8 split across reads, emoji and CJK included', async () => {
    // Each piece ends halfway through a character, and the child writes the next piece only after the
    // test has received this one's marker: every read boundary falls inside a character, by handshake
    // rather than by timing.
    const script = `
      process.stdin.setRawMode(true);
      const pieces = []; let carry = Buffer.alloc(0);
      ['😀', '中', '文', '🎉', 'ü'].forEach((c, i) => {
        const b = Buffer.from(c), cut = Math.ceil(b.length / 2);
        pieces.push(Buffer.concat([carry, Buffer.from('<' + i + '>'), b.subarray(0, cut)])); carry = b.subarray(cut);
      });
      pieces.push(Buffer.concat([carry, Buffer.from('<end>\\n')]));
      let i = 0;
      const next = () => { process.stdout.write(pieces[i++]); if (i === pieces.length) process.exit(0) };
      process.stdin.on('data', next);
      next();`
    const received: string[] = []
    let exit: () => void
    const done = new Promise<void>((r) => (exit = r))
    const info: PtyInfo = {
      id: 'p-utf8',
      threadId: 't',
      kind: 'shell',
      profileId: 'custom',
      title: 'x',
      command: 'node',
      cwd: process.cwd(),
      port: null,
      pid: null,
      state: 'running',
      exitCode: null,
      signal: null,
      startedAt: Date.now(),
      endedAt: null,
      endedByRestart: false,
      agentCommand: null,
      sandbox: null
    }
    const session = new PtySession(
      info,
      { file: process.execPath, args: ['-e', script], cwd: process.cwd(), env: process.env as Record<string, string>, cols: 80, rows: 24 },
      10_000,
      {
        data: (t) => received.push(t),
        exit: () => exit()
      }
    )
    for (let i = 0; i < 5; i++) {
      await eventually(() => received.join('').includes(`<${i}>`), `piece ${i}`)
      session.write('g')
    }
    await done
    const text = received.join('')
    expect(received.length).toBeGreaterThanOrEqual(5)
    expect(text).toContain('<0>😀<1>中<2>文<3>🎉<4>ü<end>')
    expect(text).not.toContain('\uFFFD')
    expect(session.scrollback.text()).toBe(text)
  })

  it('pauses a yes flood at the high watermark, resumes after acks, and a disconnect leaves nothing paused', async () => {
    const { core, thread } = await coreWithThread()
    const pty = must(await core.ptys.open(thread.id, { kind: 'shell', cols: 80, rows: 24 }))
    const live = (core.ptys as unknown as { live: Map<string, { session: PtySession }> }).live.get(pty.id)!.session
    const slow = recordingConnection()
    must(await core.ptys.attach(pty.id, slow))
    must(core.ptys.write(pty.id, 'yes skein-flood-line\r'))
    await eventually(() => live.flow.isPaused, 'the pty to pause')
    const atPause = slow.chars
    expect(atPause).toBeGreaterThan(HIGH_WATERMARK_CHARS)
    // Paused: only what was already in flight arrives, not a steady stream. No fixed window: ten
    // round trips through another shell prove the core kept reading ptys meanwhile (a `yes` that was
    // not paused would pour megabytes into this client during them).
    await roundTrips(core, thread.id, 10)
    expect(slow.chars - atPause).toBeLessThan(300_000)
    const heldAt = slow.chars

    must(core.ptys.ack(pty.id, slow, slow.chars))
    expect(live.flow.isPaused).toBe(false)
    await eventually(() => slow.chars > heldAt + 50_000, 'output to flow again after the ack')
    await eventually(() => live.flow.isPaused, 'the pty to pause again')

    let flowed = 0
    const append = live.scrollback.append.bind(live.scrollback)
    live.scrollback.append = (text: string) => {
      flowed += text.length
      append(text)
    }
    slow.disconnect()
    expect(live.flow.isPaused).toBe(false)
    // With nobody attached the output keeps flowing into the scrollback, well past the high watermark.
    await eventually(() => flowed > 4 * HIGH_WATERMARK_CHARS, 'output to keep flowing with nobody attached')
    expect(live.flow.isPaused).toBe(false)
    const before = live.scrollback.text().slice(-50)
    must(core.ptys.write(pty.id, '\x03'))
    await core.ptys.close(pty.id)
    expect(before).toContain('skein-flood-line')
  })

  it('keeps a bounded scrollback, replays it on attach, and after a restart shows it above a "session ended" marker', async () => {
    const home = tempDir('skein-home-')
    const first = await coreWithThread({ home, scrollbackChars: 20_000 })
    const pty = must(await first.core.ptys.open(first.thread.id, { kind: 'shell', cols: 80, rows: 24 }))
    must(first.core.ptys.write(pty.id, 'for i in $(seq 1 4000); do echo "line-$i"; done; echo END-$((6*7))\r'))
    const watcher = await attachRecorder(first.core.ptys, pty.id)
    await watcher.waitFor(/END-42/)
    const late = recordingConnection()
    const replay = must(await first.core.ptys.attach(pty.id, late)).scrollback
    expect(replay.length).toBeLessThanOrEqual(20_000)
    expect(replay).toContain('line-4000')
    expect(replay).toContain('END-42')
    expect(replay).not.toContain('line-1\r\n')
    await first.core.ptys.dispose()
    // Saved by the time dispose() returns: a process that exits right after loses nothing.
    expect(readFileSync(join(home, 'threads', first.thread.id, 'ptys', `${pty.id}.log`), 'utf8')).toContain('END-42')
    await first.core.close()

    const second = await makeCore(home)
    const listed = await second.core.ptys.list(first.thread.id)
    expect(listed).toHaveLength(1)
    expect(listed[0]).toMatchObject({ id: pty.id, state: 'exited', endedByRestart: true })
    const after = must(await second.core.ptys.attach(pty.id, recordingConnection())).scrollback
    expect(after).toContain('line-4000')
    expect(after).toMatch(/session ended when Skein quit/)
    expect(after.indexOf('line-4000')).toBeLessThan(after.indexOf('session ended'))
  })

  it('leaves no orphans: background children of a shell die on archive, and on quit', async () => {
    const { core, repo, thread } = await coreWithThread()
    // Unique sleep lengths tag our processes: `sleep <base>1` etc.
    const base = String(50000 + Math.floor(Math.random() * 40000))
    const tag = `sleep ${base}`
    const pty = must(await core.ptys.open(thread.id, { kind: 'shell', cols: 80, rows: 24 }))
    const c = recordingConnection()
    must(await core.ptys.attach(pty.id, c))
    // A job-control background job (own process group), a double-forked one (reparented to init) and a setsid one.
    must(core.ptys.write(pty.id, `sleep ${base}1 & (sleep ${base}2 &); setsid sleep ${base}3 & echo started-$((1+1))\r`))
    await c.waitFor(/started-2/)
    await eventually(() => pidsMatching(tag).length === 3, 'three background sleeps')
    must(await core.threads.archive(thread.id))
    await eventually(() => pidsMatching(tag).length === 0, 'the archived thread to leave no processes')

    const other = must(await core.threads.create({ repoId: repo.id, title: 'quit test', mode: 'worktree' }))
    const p2 = must(await core.ptys.open(other.id, { kind: 'shell', cols: 80, rows: 24 }))
    const c2 = recordingConnection()
    must(await core.ptys.attach(p2.id, c2))
    must(core.ptys.write(p2.id, `sleep ${base}4 & (sleep ${base}5 &); echo started-$((2+2))\r`))
    await c2.waitFor(/started-4/)
    await eventually(() => pidsMatching(tag).length === 2, 'two background sleeps')
    await core.close()
    expect(pidsMatching(tag)).toEqual([])
  })

  it('gives 20 live threads 20 different PORTs', async () => {
    const repoPath = makeRepo()
    const { core } = await makeCore()
    const repo = must(await core.repos.add(repoPath))
    const threads: Thread[] = []
    for (let i = 0; i < 20; i++) threads.push(must(await core.threads.create({ repoId: repo.id, title: `t${i}`, mode: 'local' })))
    const ptys = await Promise.all(threads.map((t) => core.ptys.open(t.id, { kind: 'shell', cols: 80, rows: 24 }).then(must)))
    const ports = ptys.map((p) => p.port)
    expect(new Set(ports).size).toBe(20)
    expect(ports.every((p) => typeof p === 'number' && p > 0)).toBe(true)
    // A second terminal of the same thread shares the thread's port.
    const again = must(await core.ptys.open(threads[0]!.id, { kind: 'shell', cols: 80, rows: 24 }))
    expect(again.port).toBe(ptys[0]!.port)
  })

  it('gives clear errors for a missing command, a vanished worktree, and bad sizes, and keeps serving', async () => {
    const { core, repo, thread } = await coreWithThread()
    must(await core.profiles.configure(repo.id, { customCommand: 'definitely-not-a-real-agent --flag' }))
    const missing = await core.ptys.open(thread.id, { kind: 'agent', profileId: 'custom', cols: 80, rows: 24 })
    expect(missing.ok).toBe(false)
    if (!missing.ok) {
      expect(missing.error.code).toBe(ErrorCode.ProfileUnavailable)
      expect(missing.error.message).toMatch(/definitely-not-a-real-agent.*not installed or not on your PATH/)
    }
    const noClaude = await core.threads.create({ repoId: repo.id, title: 'with claude', mode: 'worktree', profileId: 'claude' })
    if (!noClaude.ok) {
      expect(noClaude.error.code).toBe(ErrorCode.ProfileUnavailable)
      expect(noClaude.error.message).toMatch(/npm install -g @anthropic-ai\/claude-code/)
    }
    const profiles = await core.profiles.list(repo.id)
    expect(profiles.profiles.find((p) => p.id === 'shell')?.available).toBe(true)
    expect(profiles.profiles.find((p) => p.id === 'custom')?.problem).toMatch(/not installed/)

    rmSync(thread.worktreePath, { recursive: true, force: true })
    const vanished = await core.ptys.open(thread.id, { kind: 'shell', cols: 80, rows: 24 })
    expect(vanished.ok).toBe(false)
    if (!vanished.ok) {
      expect(vanished.error.code).toBe(ErrorCode.WorktreeMissing)
      expect(vanished.error.message).toContain(thread.worktreePath)
    }
    const bad = JSON.parse(
      (await core.rpc.dispatch(
        JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'pty/resize', params: { ptyId: 'x', cols: 0, rows: 1.5 } })
      ))!
    )
    expect(bad.error.code).toBe(ErrorCode.InvalidParams)
    expect(bad.error.message).toMatch(/cols must be at least 1/)
    expect(bad.error.message).toMatch(/rows must be a whole number/)
    const gone = JSON.parse(
      (await core.rpc.dispatch(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'pty/write', params: { ptyId: 'nope', data: 'x' } })))!
    )
    expect(gone.error.code).toBe(ErrorCode.PtyExited)
    const alive = JSON.parse((await core.rpc.dispatch(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'repo/list' })))!)
    expect(alive.result.repos).toHaveLength(1)
  })

  it('a shell at its prompt is idle and a quiet command keeps it running, never waiting; its exit is news only when nobody looks', async () => {
    const { core, repo } = await coreWithThread({ mode: 'local' })
    const t = must(
      await core.threads.create({ repoId: repo.id, title: 'shell', mode: 'local', profileId: 'shell', prompt: 'echo shell-says-hi' })
    )
    expect(t.agent).toMatchObject({ profileId: 'shell', activity: 'running' })
    const seen: string[] = []
    core.bus.subscribe((name, p) => {
      const thread = (p as { thread?: Thread }).thread
      if (name === 'thread/updated' && thread?.id === t.id && thread.agent) seen.push(`${thread.agent.activity}/${thread.status}`)
    })
    const now = () => core.threads.list().find((x) => x.id === t.id)!
    await eventually(() => now().agent?.activity === 'idle', 'the shell at its prompt goes idle')
    expect(now().status).toBe('idle')
    expect(now().unread).toBe(false) // a shell going quiet is not news

    // A quiet command: no output for longer than the quiet time; it stays running, never "waiting".
    const c = await attachRecorder(core.ptys, t.agent!.ptyId)
    const mark = seen.length
    must(core.ptys.write(t.agent!.ptyId, 'sleep 3; echo slept-$((20+3))\r'))
    await eventually(() => now().agent?.activity === 'running', 'running the command')
    await c.waitFor(/slept-23/)
    if (process.platform === 'linux') {
      // Once it runs, the foreground job keeps it running until the command is done. (An update
      // published before the output began, such as the input's activity time, still says idle.)
      const after = seen.slice(mark)
      const running = after.findIndex((s) => s.startsWith('running'))
      expect(running, after.join(' ')).toBeGreaterThanOrEqual(0)
      expect(
        after.slice(running).filter((s) => s.startsWith('idle')),
        after.join(' ')
      ).toEqual([])
    }
    await eventually(() => now().agent?.activity === 'idle', 'idle again')
    expect(seen.length).toBeGreaterThan(0)
    expect(seen.filter((s) => s.startsWith('waiting') || s.endsWith('needs-attention'))).toEqual([])

    must(core.ptys.write(t.agent!.ptyId, 'exit 3\r'))
    await eventually(() => now().agent?.activity === 'exited', 'exit')
    expect(now().agent?.exitCode).toBe(3)
    expect(now().status).toBe('idle')
    expect(now().unread).toBe(true) // nobody was looking
  })

  it('an agent CLI that prints a prompt and goes quiet is waiting for input (not needs-attention), and unread', async () => {
    const { core, repo } = await coreWithThread({ mode: 'local' })
    must(
      await core.profiles.configure(repo.id, {
        customCommand: `sh -c 'printf "fake-agent ready> "; read answer; echo "got $answer"; read again'`
      })
    )
    const t = must(await core.threads.create({ repoId: repo.id, title: 'fake agent', mode: 'local', profileId: 'custom' }))
    const now = () => core.threads.list().find((x) => x.id === t.id)!
    await eventually(() => now().agent?.activity === 'waiting', 'the agent waits for input')
    expect(now().status).toBe('idle')
    expect(now().unread).toBe(true)

    await core.threads.setViewing('viewer-1', t.id)
    expect(now().unread).toBe(false)
    const c = await attachRecorder(core.ptys, t.agent!.ptyId)
    must(core.ptys.write(t.agent!.ptyId, 'yes\r'))
    await c.waitFor(/got yes/)
    await eventually(() => now().agent?.activity === 'waiting', 'waiting again')
    expect(now().unread).toBe(false) // it was on screen
  })

  it('reports an agent that dies on start as an error in the thread, with its last words', async () => {
    const { core, repo } = await coreWithThread({ mode: 'local' })
    must(await core.profiles.configure(repo.id, { customCommand: `sh -c 'echo "fatal: no API key configured" >&2; exit 2'` }))
    const t = must(await core.threads.create({ repoId: repo.id, title: 'doomed', mode: 'local', profileId: 'custom' }))
    await eventually(() => core.threads.list().find((x) => x.id === t.id)?.status === 'error', 'the error status')
    const failed = core.threads.list().find((x) => x.id === t.id)!
    expect(failed.agent).toMatchObject({ activity: 'exited', exitCode: 2 })
    expect(failed.statusMessage).toMatch(/exited with code 2 right after it started: "fatal: no API key configured"/)
    // Starting a working session clears it.
    const again = must(await core.ptys.open(t.id, { kind: 'agent', profileId: 'shell', cols: 80, rows: 24 }))
    await eventually(() => core.threads.list().find((x) => x.id === t.id)?.agent?.ptyId === again.id, 'the new session')
    const fresh = core.threads.list().find((x) => x.id === t.id)!
    expect(fresh.status).not.toBe('error')
    expect(fresh.statusMessage).toBeNull()
  })

  it('never leaves an agent that exits at once marked running', async () => {
    const { core, repo } = await coreWithThread({ mode: 'local' })
    must(await core.profiles.configure(repo.id, { customCommand: '/bin/echo hi' }))
    const made = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        core.threads.create({ repoId: repo.id, title: `quick ${i}`, mode: 'local', profileId: 'custom' }).then(must)
      )
    )
    await eventually(
      () => made.every((t) => core.threads.list().find((x) => x.id === t.id)?.agent?.activity === 'exited'),
      'every quick agent to be exited'
    )
    // No fixed window: round trips through another session prove later pty events were handled too.
    await roundTrips(core, made[0].id, 3)
    expect(made.map((t) => core.threads.list().find((x) => x.id === t.id)?.agent?.activity)).toEqual(Array(8).fill('exited'))
  })

  it('attaches to an ended session after a restart without listing first, and closing a tab forgets it', async () => {
    const home = tempDir('skein-home-')
    const first = await coreWithThread({ home })
    const a = must(await first.core.ptys.open(first.thread.id, { kind: 'shell', cols: 80, rows: 24 }))
    const b = must(await first.core.ptys.open(first.thread.id, { kind: 'shell', cols: 80, rows: 24 }))
    const c = recordingConnection()
    must(await first.core.ptys.attach(a.id, c))
    must(first.core.ptys.write(a.id, 'echo kept-$((20+1))\r'))
    await c.waitFor(/kept-21/)
    await first.core.close()

    const second = await makeCore(home)
    const replay = must(await second.core.ptys.attach(a.id, recordingConnection())).scrollback
    expect(replay).toContain('kept-21')
    const removed: string[] = []
    second.core.bus.subscribe((name, p) => name === 'pty/removed' && removed.push((p as { ptyId: string }).ptyId))
    must(await second.core.ptys.close(a.id))
    expect(removed).toEqual([a.id])
    expect((await second.core.ptys.list(first.thread.id)).map((p) => p.id)).toEqual([b.id])
    // Closing a running terminal kills it and forgets it too.
    const live = must(await second.core.ptys.open(first.thread.id, { kind: 'shell', cols: 80, rows: 24 }))
    must(await second.core.ptys.close(live.id))
    expect((await second.core.ptys.list(first.thread.id)).map((p) => p.id)).toEqual([b.id])
    const gone = await second.core.ptys.attach(live.id, recordingConnection())
    expect(gone.ok).toBe(false)
  })
})

describe.runIf(process.platform === 'linux')('the foreground job of a shell', () => {
  const hasBwrap = (() => {
    try {
      execFileSync('bwrap', ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-pid', 'true'])
      return true
    } catch {
      return false
    }
  })()

  /** An interactive bash in a real pty, optionally inside bubblewrap as the agent's sandboxed shell runs. */
  function shell(wrapped: boolean) {
    let output = ''
    const info: PtyInfo = {
      id: `p-fg-${wrapped}`,
      threadId: 't',
      kind: 'agent',
      profileId: 'shell',
      title: 'x',
      command: 'bash',
      cwd: process.cwd(),
      port: null,
      pid: null,
      state: 'running',
      exitCode: null,
      signal: null,
      startedAt: Date.now(),
      endedAt: null,
      endedByRestart: false,
      agentCommand: null,
      sandbox: null
    }
    const bash = ['/bin/bash', '--norc', '--noprofile', '-i']
    const [file, ...args] = wrapped
      ? ['bwrap', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-pid', '--die-with-parent', '--', ...bash]
      : bash
    const session = new PtySession(
      info,
      { file, args, cwd: process.cwd(), env: { PATH: process.env.PATH!, HOME: process.env.HOME!, PS1: 'fg$ ' }, cols: 80, rows: 24 },
      10_000,
      { data: (t) => (output += t), exit: () => undefined }
    )
    const run = async (command: string, marker: string) => {
      session.write(`${command}\r`)
      await eventually(() => output.includes(marker), `the shell to echo ${marker}`)
    }
    return { session, run, output: () => output }
  }

  // Each command below runs in the foreground under a process still called "bash" (a subshell, a
  // script): judged by process names, the shell read as back at its prompt while they ran.
  for (const wrapped of [false, true]) {
    it.runIf(!wrapped || hasBwrap)(
      `tells its prompt from a quiet job by process group${wrapped ? ', inside bubblewrap' : ''}`,
      async () => {
        const { session, run, output } = shell(wrapped)
        try {
          await eventually(() => output().includes('fg$'), 'the prompt')
          await eventually(() => !session.foregroundJob(), 'the shell at its prompt holds its own foreground')
          await run('(sleep 30; echo sub-$((1+1)))', 'sleep 30')
          await eventually(() => session.foregroundJob(), 'a subshell running a quiet command is a job')
          session.write('\x03')
          await eventually(() => !session.foregroundJob(), 'back at the prompt after Ctrl+C')
          await run("bash -c 'sleep 30; echo script-$((2+2))'", 'sleep 30; echo script')
          await eventually(() => session.foregroundJob(), 'a script run by bash is a job')
          session.write('\x03')
          await eventually(() => !session.foregroundJob(), 'back at the prompt')
          await run('sleep 30', 'sleep 30')
          await eventually(() => session.foregroundJob(), 'sleep is a job')
        } finally {
          await session.kill()
        }
      }
    )
  }
})
