// No process outlives its thread: nine ways a shell can start a background job, each tagged with a
// unique number in its argv, counted in /proc/*/cmdline (not ps, not the environment: some of them
// clear it). Closing the terminal, archiving the thread, quitting (in process and a real core on
// SIGTERM) and a `kill -9` of a real core followed by a restart must all leave none of them running.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { socketTransport } from '../src/main/core/rpc/socket-transport'
import { RpcClient } from '../src/shared/rpc-client'
import { cleanupTemp, makeCore, makeRepo, must, tempDir } from './helpers/fixtures'
import { attachRecorder, eventually } from './helpers/pty-client'

const CLI = join(__dirname, '..', 'out', 'main', 'cli.js')
/** How long the processes may take to end after the action: a hang ceiling, not an expectation. */
const END_MS = 30_000

beforeAll(() => {
  process.env.SHELL = '/bin/bash'
  // Login shells read ~/.profile; an empty home keeps this machine's dotfiles out of the tests.
  process.env.HOME = tempDir('skein-containment-home-')
})
afterEach(async () => {
  await cleanupTemp()
  // Whatever a failing run left behind must not outlive the test either.
  for (const base of bases.splice(0)) for (const s of survivors(base)) signal(s.pid, 'SIGKILL')
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
})
afterAll(cleanupTemp)

const bases: number[] = []
const children: ChildProcess[] = []

/** A fresh range of nine sleep lengths no other process on the machine uses. */
function newBase(): number {
  const base = 7_000_000 + Math.floor(Math.random() * 9_000_000) * 10
  bases.push(base)
  return base
}

/** The nine ways, each tagged with base+1 … base+9. */
function backgroundJobs(b: number): string[] {
  return [
    `sleep ${b + 1} &`,
    `nohup sleep ${b + 2} >/dev/null 2>&1 &`,
    `sleep ${b + 3} & disown`,
    `(sleep ${b + 4} &)`,
    `setsid sleep ${b + 5} &`,
    `setsid -f env -i sleep ${b + 6}`,
    `(setsid env -i sleep ${b + 7} &)`,
    `setsid -f sh -c 'trap "" HUP TERM INT; exec env -i sleep ${b + 8}' </dev/null >/dev/null 2>&1`,
    // A classic daemon: fork, setsid, fork again, so it is nobody's child and in no session of ours.
    `perl -e 'fork and exit; require POSIX; POSIX::setsid(); fork and exit; exec "sleep", "${b + 9}"' </dev/null >/dev/null 2>&1`
  ]
}

const tokens = (b: number): string[] => Array.from({ length: 9 }, (_, i) => String(b + i + 1))

/** Every live process whose argv carries one of the base's tokens (zombies have no cmdline and do not count). */
function survivors(b: number): { pid: number; token: string; cmd: string }[] {
  const wanted = new Set(tokens(b))
  const found: { pid: number; token: string; cmd: string }[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    let raw: string
    try {
      raw = readFileSync(`/proc/${name}/cmdline`, 'utf8')
    } catch {
      continue
    }
    const args = raw.split('\0').filter(Boolean)
    const token = args.flatMap((a) => a.split(/[^0-9]+/)).find((w) => wanted.has(w))
    if (token) found.push({ pid: Number(name), token, cmd: args.join(' ') })
  }
  return found
}

const describeSurvivors = (b: number): string =>
  survivors(b)
    .map((s) => `  pid ${s.pid} (way ${Number(s.token) - b}): ${s.cmd}`)
    .join('\n')

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig)
  } catch {
    // gone
  }
}

/** Waits until every one of the nine ways has a process running. */
async function allNineRunning(b: number): Promise<void> {
  await eventually(
    () => new Set(survivors(b).map((s) => s.token)).size === 9,
    `all nine background jobs to run; running:\n${describeSurvivors(b)}`
  )
}

/** Waits until none of the nine is left, failing with the list of survivors. */
async function noneLeft(b: number, after: string): Promise<void> {
  const deadline = Date.now() + END_MS
  while (survivors(b).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
  const left = describeSurvivors(b)
  expect(left, `processes that outlived ${after}:\n${left}`).toBe('')
}

async function coreWithThread(home?: string) {
  const made = await makeCore(home)
  const repo = must(await made.core.repos.add(makeRepo()))
  const thread = must(await made.core.threads.create({ repoId: repo.id, title: 'containment', mode: 'worktree' }))
  return { ...made, repo, thread }
}

/** Opens a shell in the thread and starts the nine background jobs in it. */
async function startJobsInProcess(core: Awaited<ReturnType<typeof makeCore>>['core'], threadId: string, b: number): Promise<string> {
  const pty = must(await core.ptys.open(threadId, { kind: 'shell', cols: 120, rows: 30 }))
  const c = await attachRecorder(core.ptys, pty.id)
  must(core.ptys.write(pty.id, `echo ready-$((20+1))\r`))
  await c.waitFor(/ready-21/)
  for (const job of backgroundJobs(b)) must(core.ptys.write(pty.id, `${job}\r`))
  await allNineRunning(b)
  return pty.id
}

/** A real core process (`skein serve`) on its own SKEIN_HOME. */
async function startRealCore(home: string): Promise<{ child: ChildProcess; client: RpcClient; pid: number }> {
  const env = { PATH: process.env.PATH!, SKEIN_HOME: home, HOME: tempDir('skein-user-'), SHELL: '/bin/bash' }
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  let log = ''
  child.stdout!.on('data', (d) => (log += String(d)))
  child.stderr!.on('data', (d) => (log += String(d)))
  await eventually(() => /Skein is serving at/.test(log) || child.exitCode !== null, 'the core to start serving')
  if (child.exitCode !== null) throw new Error(`the core exited on start:\n${log}`)
  const client = new RpcClient(socketTransport(connect(join(home, 'skein.sock'))))
  const hello = await client.request('core/hello', {})
  return { child, client, pid: hello.pid }
}

async function startJobsInRealCore(client: RpcClient, b: number): Promise<void> {
  const repo = await client.request('repo/add', { path: makeRepo() })
  const thread = await client.request('thread/create', { repoId: repo.id, title: 'real core', mode: 'worktree' })
  const pty = await client.request('pty/open', { threadId: thread.id, kind: 'shell', cols: 120, rows: 30 })
  let out = ''
  client.on('pty/data', (p) => p.ptyId === pty.id && (out += p.data))
  const attached = await client.request('pty/attach', { ptyId: pty.id })
  out = attached.scrollback + out
  await client.request('pty/write', { ptyId: pty.id, data: 'echo ready-$((20+1))\r' })
  await eventually(() => /ready-21/.test(out), 'the shell of the real core to answer')
  for (const job of backgroundJobs(b)) await client.request('pty/write', { ptyId: pty.id, data: `${job}\r` })
  await allNineRunning(b)
}

const exited = (child: ChildProcess) => () => child.exitCode !== null || child.signalCode !== null

describe('no process outlives its thread', () => {
  it('closing the terminal ends all nine kinds of background job', async () => {
    const { core, thread } = await coreWithThread()
    const b = newBase()
    const ptyId = await startJobsInProcess(core, thread.id, b)
    must(await core.ptys.close(ptyId))
    await noneLeft(b, 'closing the terminal')
  })

  it('archiving the thread ends all nine kinds of background job', async () => {
    const { core, thread } = await coreWithThread()
    const b = newBase()
    await startJobsInProcess(core, thread.id, b)
    must(await core.threads.archive(thread.id))
    await noneLeft(b, 'archiving the thread')
  })

  it('quitting (disposing the core in process) ends all nine kinds of background job', async () => {
    const { core, thread } = await coreWithThread()
    const b = newBase()
    await startJobsInProcess(core, thread.id, b)
    await core.close()
    await noneLeft(b, 'quitting the core')
  })

  it('a shell that exited leaves its background jobs to the close of its terminal, which ends them', async () => {
    const { core, thread } = await coreWithThread()
    const b = newBase()
    const ptyId = await startJobsInProcess(core, thread.id, b)
    let exited = false
    core.bus.subscribe((name, p) => name === 'pty/exit' && (p as { ptyId: string }).ptyId === ptyId && (exited = true))
    must(core.ptys.write(ptyId, 'exit\r'))
    await eventually(() => exited, 'the shell to exit')
    // Closing the ended terminal's tab still ends what its shell left running.
    must(await core.ptys.close(ptyId))
    await noneLeft(b, 'closing a terminal whose shell had exited')
  })

  describe('a real core process', () => {
    beforeAll(() => {
      if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npx electron-vite build\` first (npm test does).`)
    })

    it('SIGTERM to `skein serve` ends all nine kinds of background job', async () => {
      const home = tempDir('skein-home-')
      const { child, client } = await startRealCore(home)
      const b = newBase()
      await startJobsInRealCore(client, b)
      client.dispose()
      child.kill('SIGTERM')
      await eventually(exited(child), 'the core to exit on SIGTERM')
      await noneLeft(b, 'SIGTERM to the core')
    })

    it('after `kill -9` of the core, the next start ends what it left behind', async () => {
      const home = tempDir('skein-home-')
      const { child, client } = await startRealCore(home)
      const b = newBase()
      await startJobsInRealCore(client, b)
      client.dispose()
      child.kill('SIGKILL')
      await eventually(exited(child), 'the core to die on SIGKILL')
      const { logger } = await makeCore(home, { listenSocket: true })
      await noneLeft(
        b,
        `kill -9 of the core and a restart (the restart logged:\n${logger.lines.map((l) => `${l.level} ${l.message}`).join('\n')})`
      )
      // Every window is told once what the start cleaned up.
      const window = new RpcClient(socketTransport(connect(join(home, 'skein.sock'))))
      const hello = await window.request('core/hello', { client: 'ui' })
      expect(hello.notices).toEqual(['Skein stopped unexpectedly last time. It has ended the processes that 1 terminal left running.'])
      window.dispose()
    })

    it('a restart leaves alone processes it did not start, even one whose pid is in a forged leftover record', async () => {
      const home = tempDir('skein-home-')
      const b = newBase()
      // Started by the test, outside Skein.
      const outsider = spawn('sleep', [String(b + 1)], { stdio: 'ignore', detached: true })
      const forged = spawn('sleep', [String(b + 2)], { stdio: 'ignore', detached: true })
      children.push(outsider, forged)
      await eventually(() => survivors(b).length === 2, 'the two outside sleeps to run')
      const startTime = readFileSync(`/proc/${forged.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19]!
      // A leftover record naming the second sleep's pid, with another start time: that pid was reused.
      const records = join(home, 'run', 'ptys')
      mkdirSync(records, { recursive: true })
      const record = {
        version: 1,
        ptyId: 'forged.p1',
        threadId: 'forged',
        cgroup: null,
        pid: forged.pid,
        startTime: String(Number(startTime) + 12345),
        sid: forged.pid,
        corePid: 1,
        coreStartTime: '1',
        createdAt: Date.now()
      }
      writeFileSync(join(records, 'forged.p1.json'), JSON.stringify(record))
      // A record from a core that is still running (this test process) is never reaped either.
      writeFileSync(
        join(records, 'live.p1.json'),
        JSON.stringify({
          ...record,
          ptyId: 'live.p1',
          startTime,
          corePid: process.pid,
          coreStartTime: readFileSync(`/proc/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19]!
        })
      )
      const { core, logger } = await makeCore(home)
      // A barrier: the core has started (and reaped whatever it reaps) before this returns.
      const repo = must(await core.repos.add(makeRepo()))
      expect(repo.id).toBeTruthy()
      expect(outsider.exitCode ?? outsider.signalCode, 'the outside sleep was killed').toBeNull()
      expect(
        forged.exitCode ?? forged.signalCode,
        `the forged record's pid was killed; log:\n${logger.lines.map((l) => l.message).join('\n')}`
      ).toBeNull()
      expect(
        survivors(b)
          .map((s) => s.pid)
          .sort()
      ).toEqual([outsider.pid, forged.pid].sort())
      // The forged record (its process is not ours) is dropped; the live core's record is kept.
      expect(existsSync(join(records, 'forged.p1.json'))).toBe(false)
      expect(existsSync(join(records, 'live.p1.json'))).toBe(true)
    })
  })
})
