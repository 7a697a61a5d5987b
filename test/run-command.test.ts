import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ErrorCode, RpcError } from '../src/shared/errors'
import type { PtyInfo } from '../src/shared/models'
import { RpcClient } from '../src/shared/rpc-client'
import { socketTransport } from '../src/main/core/rpc/socket-transport'
import { isPortFree } from '../src/main/core/ports/port-probe'
import { detectUrl, expandUrl } from '../src/main/core/run/run-url'
import { cleanupTemp, git, makeCore, makeRepo, must, tempDir, writeFile } from './helpers/fixtures'
import { eventually } from './helpers/pty-client'

beforeAll(() => {
  process.env.SHELL = '/bin/bash'
})
const children: ChildProcess[] = []
const clients: RpcClient[] = []
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
  // Connections end before their core closes (the socket's close waits for its connections).
  for (const c of clients.splice(0)) c.dispose()
  await cleanupTemp()
})

const CLI = join(__dirname, '..', 'out', 'main', 'cli.js')

/** `skein serve` as its own process, so it can be killed with SIGKILL; resolves once it serves, with a client on its socket. */
async function startRealCore(home: string): Promise<{ child: ChildProcess; client: RpcClient }> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npx electron-vite build\` first (npm test does).`)
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0'], {
    env: { PATH: process.env.PATH!, SKEIN_HOME: home, HOME: tempDir('skein-user-'), SHELL: '/bin/bash' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  children.push(child)
  let log = ''
  child.stdout!.on('data', (d) => (log += String(d)))
  child.stderr!.on('data', (d) => (log += String(d)))
  await eventually(() => /Skein is serving at/.test(log) || child.exitCode !== null, 'the core to start serving')
  if (child.exitCode !== null) throw new Error(`the core exited on start:\n${log}`)
  return { child, client: new RpcClient(socketTransport(connect(join(home, 'skein.sock')))) }
}

// A dev server that starts a helper process of its own (on SKEIN_PORT_1) and a detached daemon that
// leaves its session, then listens on $PORT and says where, as dev servers do.
const SERVER = `
const http = require('http')
const { spawn } = require('child_process')
const fs = require('fs')
const helper = spawn(process.execPath, ['-e', "require('http').createServer((q, s) => s.end('helper')).listen(+process.env.SKEIN_PORT_1, '127.0.0.1', () => console.log('up'))"], { stdio: ['ignore', 'pipe', 'inherit'] })
const daemon = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore', detached: true })
daemon.unref()
helper.stdout.once('data', () => {
  http.createServer((req, res) => res.end('hello from ' + process.env.SKEIN_THREAD_ID)).listen(+process.env.PORT, '127.0.0.1', () => {
    fs.writeFileSync('pids.json', JSON.stringify([process.pid, helper.pid, daemon.pid]))
    console.log('\\x1b[32m  ➜  Local:\\x1b[0m   http://localhost:\\x1b[1m' + process.env.PORT + '\\x1b[22m/')
  })
})
`

function serverRepo(): string {
  const repo = makeRepo()
  writeFile(join(repo, 'server.js'), SERVER)
  writeFile(join(repo, '.gitignore'), 'pids.json\n')
  git(repo, 'add', '-A')
  git(repo, 'commit', '-q', '-m', 'dev server')
  return repo
}

/** Whether a process still runs (a zombie waiting for its parent to reap it has ended). */
const alive = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}

/** Waits until none of these processes runs (their reaping by init may trail the kill). */
const allGone = (pids: number[]) => eventually(() => pids.every((p) => !alive(p)), `processes ${pids.join(', ')} to end`)

async function get(url: string): Promise<string> {
  const res = await fetch(url)
  return res.text()
}

async function setup(home = tempDir('skein-home-'), repoPath = serverRepo()) {
  const made = await makeCore(home, { listenSocket: true })
  const client = new RpcClient(socketTransport(connect(made.core.dataDir.socketPath)))
  clients.push(client)
  const updates: PtyInfo[] = []
  client.on('pty/updated', (p) => void updates.push(p.pty))
  const repo = must(await made.core.repos.add(repoPath))
  return { ...made, client, updates, repo }
}

const pidsOf = async (worktree: string): Promise<number[]> => {
  await eventually(() => existsSync(join(worktree, 'pids.json')), 'the dev server wrote its pids')
  return JSON.parse(readFileSync(join(worktree, 'pids.json'), 'utf8')) as number[]
}

describe('the run command', () => {
  it("starts the dev server in a Run terminal with the thread's ports, shows the URL it printed, and stop ends its whole process tree and frees the ports", async () => {
    const { core, client, updates, repo } = await setup()
    await client.request('run/configure', { repoId: repo.id, config: { command: 'node server.js' } })
    const t = must(await core.threads.create({ repoId: repo.id, title: 'dev', mode: 'worktree' }))
    const before = await client.request('run/status', { threadId: t.id })
    expect(before).toMatchObject({ config: { command: 'node server.js' }, source: 'settings', pty: null })
    const ports = before.ports!
    expect(ports.count).toBe(10)

    const pty = await client.request('run/start', { threadId: t.id })
    expect(pty).toMatchObject({ kind: 'run', title: 'Run', command: 'node server.js', state: 'running', port: ports.first })
    await eventually(() => updates.some((p) => p.id === pty.id && p.url), 'the URL it printed')
    const withUrl = updates.find((p) => p.id === pty.id && p.url)
    expect(withUrl!.url).toBe(`http://localhost:${ports.first}/`)
    expect(await get(withUrl!.url!)).toBe(`hello from ${t.id}`)
    expect(await get(`http://127.0.0.1:${ports.first + 1}/`)).toBe('helper')
    // Starting again while it runs gives the same run.
    expect((await client.request('run/start', { threadId: t.id })).id).toBe(pty.id)
    const pids = await pidsOf(t.worktreePath)
    expect(pids.every(alive)).toBe(true)

    await client.request('run/stop', { threadId: t.id })
    await allGone(pids)
    expect(await isPortFree(ports.first)).toBe(true)
    expect(await isPortFree(ports.first + 1)).toBe(true)
    const after = await client.request('run/status', { threadId: t.id })
    expect(after.pty).toMatchObject({ id: pty.id, state: 'exited' })
    // Its output stays readable in the Run terminal.
    const { scrollback } = await client.request('pty/attach', { ptyId: pty.id })
    expect(scrollback).toContain('Local:')

    // A new run replaces the ended one's tab.
    const again = await client.request('run/start', { threadId: t.id })
    expect(again.id).not.toBe(pty.id)
    const runs = (await client.request('pty/list', { threadId: t.id })).ptys.filter((p) => p.kind === 'run')
    expect(runs.map((p) => p.id)).toEqual([again.id])
    await client.request('run/stop', { threadId: t.id })
  })

  it("takes the URL from the template with the thread's ports when there is one", async () => {
    const { core, client, repo } = await setup()
    await client.request('run/configure', {
      repoId: repo.id,
      config: { command: 'node server.js', url: 'http://127.0.0.1:${PORT}/?also=$SKEIN_PORT_1' }
    })
    const t = must(await core.threads.create({ repoId: repo.id, title: 'templated', mode: 'local' }))
    const pty = await client.request('run/start', { threadId: t.id })
    expect(pty.url).toBe(`http://127.0.0.1:${pty.port}/?also=${pty.port! + 1}`)
    await pidsOf(join(core.repos.list()[0]!.path))
    expect(await get(pty.url!)).toBe(`hello from ${t.id}`)
    await client.request('run/stop', { threadId: t.id })
  })

  it('ends a running dev server and everything it started when the core quits; after the restart the run shows as ended', async () => {
    const home = tempDir('skein-home-')
    const repoPath = serverRepo()
    const first = await setup(home, repoPath)
    await first.client.request('run/configure', { repoId: first.repo.id, config: { command: 'node server.js' } })
    const t = must(await first.core.threads.create({ repoId: first.repo.id, title: 'quit', mode: 'worktree' }))
    const pty = await first.client.request('run/start', { threadId: t.id })
    const pids = await pidsOf(t.worktreePath)
    first.client.dispose()
    await first.core.close()
    await allGone(pids)
    expect(await isPortFree(pty.port!)).toBe(true)

    const second = await setup(home, repoPath)
    const status = await second.client.request('run/status', { threadId: t.id })
    expect(status.pty).toMatchObject({ id: pty.id, state: 'exited', endedByRestart: true })
    expect(status.ports?.first).toBe(pty.port)
  })

  it('after `kill -9` of the core, the next start ends the dev server it left running, with everything it started', async () => {
    const home = tempDir('skein-home-')
    const { child, client } = await startRealCore(home)
    const repo = await client.request('repo/add', { path: serverRepo() })
    await client.request('run/configure', { repoId: repo.id, config: { command: 'node server.js' } })
    const t = await client.request('thread/create', { repoId: repo.id, title: 'crash', mode: 'worktree' })
    const pty = await client.request('run/start', { threadId: t.id })
    const pids = await pidsOf(t.worktreePath)
    client.dispose()
    child.kill('SIGKILL')
    await eventually(() => child.signalCode !== null || child.exitCode !== null, 'the core to die on SIGKILL')
    // The pty's hangup ends the server and its helper; the daemon left their session and survives it.
    expect(alive(pids[2]!)).toBe(true)
    await makeCore(home)
    await allGone(pids)
    expect(await isPortFree(pty.port!)).toBe(true)
  })

  it('says so when the repository has no run command', async () => {
    const { core, client, repo } = await setup()
    const t = must(await core.threads.create({ repoId: repo.id, title: 'none', mode: 'local' }))
    const failed = await client.request('run/start', { threadId: t.id }).catch((e: unknown) => e)
    expect(failed).toBeInstanceOf(RpcError)
    expect((failed as RpcError).code).toBe(ErrorCode.RunNotConfigured)
    expect((await client.request('run/status', { threadId: t.id })).config).toBeNull()
  })
})

describe('run URLs', () => {
  it('finds the URL dev servers print, colours and wildcard addresses included', () => {
    expect(detectUrl('\x1b[32m  ➜  Local:\x1b[39m   \x1b[36mhttp://localhost:\x1b[1m5173\x1b[22m/\x1b[39m\n')).toBe(
      'http://localhost:5173/'
    )
    expect(detectUrl('   ▲ Next.js 14.2.3\n   - Local:        http://localhost:3000\n')).toBe('http://localhost:3000')
    expect(detectUrl(' * Running on http://127.0.0.1:5000\nPress CTRL+C to quit')).toBe('http://127.0.0.1:5000')
    expect(detectUrl('Starting development server at http://0.0.0.0:8000/')).toBe('http://localhost:8000/')
    expect(detectUrl('Listening on http://[::]:4000.')).toBe('http://localhost:4000')
    expect(detectUrl('see https://vitejs.dev/config for options')).toBeNull()
    expect(detectUrl('compiling…')).toBeNull()
  })

  it("puts the thread's ports in a URL template and refuses what is not http(s)", () => {
    const ports = { first: 3200, count: 10 }
    expect(expandUrl('http://localhost:$PORT', ports)).toBe('http://localhost:3200')
    expect(expandUrl('http://localhost:${SKEIN_PORT_9}/app', ports)).toBe('http://localhost:3209/app')
    expect(expandUrl('http://localhost:${SKEIN_PORT_10}/', ports)).toBeNull()
    expect(expandUrl('javascript:alert(1)', ports)).toBeNull()
  })
})
