// The cgroup module against this machine's real cgroup2: create, join through the wrapper, kill, rmdir.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { memoryLogger } from '../src/main/core/logger'
import {
  cgroup2Mount,
  cgroupPids,
  createPtyCgroup,
  isPtyCgroupPath,
  joinCgroupSpawn,
  joinState,
  killCgroup,
  ownCgroupDir
} from '../src/main/core/pty/pty-cgroup'
import { PtyContainment } from '../src/main/core/pty/pty-containment'
import { PtyRecords, type PtyRunRecord } from '../src/main/core/pty/pty-records'
import { PtySession } from '../src/main/core/pty/pty-session'
import type { PtyInfo } from '../src/shared/models'
import { cleanupTemp, tempDir } from './helpers/fixtures'
import { eventually } from './helpers/pty-client'

/** Why the real-cgroup tests cannot run here, or null when they can. */
function noCgroup(): string | null {
  const own = ownCgroupDir()
  if (!own.ok) return `no cgroup2 to test against: ${own.error}`
  const probe = createPtyCgroup(own.value, `test-probe-${process.pid}`)
  if (!probe.ok) return `the cgroup2 here is not writable by this user: ${probe.error}`
  rmdirSync(probe.value)
  return null
}
const skip = noCgroup()
if (skip) console.warn(`Skipping the real-cgroup tests: ${skip}`)

const children: ChildProcess[] = []
const base = 8_000_000 + Math.floor(Math.random() * 9_000_000) * 10
let n = 0
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
  for (const p of tagged()) process.kill(p, 'SIGKILL')
  await cleanupTemp()
})

/** Live processes whose argv holds one of this file's sleep lengths. */
function tagged(): number[] {
  const out: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const words = readFileSync(`/proc/${name}/cmdline`, 'utf8').split(/[^0-9]+/)
      if (words.some((w) => Number(w) > base && Number(w) <= base + 100)) out.push(Number(name))
    } catch {
      // gone
    }
  }
  return out
}

/** A process's command name, or null once it is gone. */
function command(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
  } catch {
    return null
  }
}

const parent = () => (ownCgroupDir() as { value: string }).value

describe('pty cgroups', () => {
  it('finds the cgroup2 mount in mountinfo, unescaping it', () => {
    const info =
      '24 1 0:21 / /sys/fs/cgroup rw - cgroup cgroup rw,memory\n41 31 0:38 / /sys/fs/my\\040cg rw,relatime - cgroup2 cgroup2 rw\n'
    expect(cgroup2Mount(info)).toBe('/sys/fs/my cg')
    expect(cgroup2Mount('24 1 0:21 / /proc rw - proc proc rw\n')).toBeNull()
  })

  it.skipIf(skip)('contains a setsid + env -i job that ignores SIGTERM, kills it with cgroup.kill and removes the cgroup', async () => {
    const made = createPtyCgroup(parent(), `unit.p${++n}${process.pid}`)
    expect(made.ok).toBe(true)
    if (!made.ok) return
    const dir = made.value
    const a = base + 1
    const b = base + 2
    const wrapped = joinCgroupSpawn(dir, '/bin/sh', [
      '-c',
      `setsid -f sh -c 'trap "" HUP TERM; exec env -i sleep ${a}' </dev/null >/dev/null 2>&1; exec sleep ${b}`
    ])
    const child = spawn(wrapped.file, wrapped.args, { stdio: 'ignore' })
    children.push(child)
    // Both must be `sleep` by now: a shell still holding the numbers in its -c text has not set its trap yet.
    await eventually(() => tagged().length === 2 && tagged().every((p) => command(p) === 'sleep'), 'both sleeps to run')
    expect(joinState(child.pid!, dir, '/bin/sh')).toBe('joined')
    expect((await cgroupPids(dir)).sort()).toEqual(tagged().sort())
    const killed = await killCgroup(dir, { graceMs: 300 })
    expect(killed).toEqual({ ok: true, value: { members: 2, forced: true } })
    expect(existsSync(dir)).toBe(false)
    expect(tagged()).toEqual([])
  })

  it.skipIf(skip)('runs the program with a warning when the join fails', async () => {
    const wrapped = joinCgroupSpawn(join(parent(), 'skein-does-not-exist'), '/bin/sh', ['-c', 'echo ran-$((2+3))'])
    const child = spawn(wrapped.file, wrapped.args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout!.on('data', (d) => (out += String(d)))
    child.stderr!.on('data', (d) => (out += String(d)))
    await eventually(() => child.exitCode !== null, 'the wrapped program to finish')
    expect(out).toMatch(/skein: could not move this terminal into its cgroup/)
    expect(out).toMatch(/ran-5/)
  })

  it.skipIf(skip)('a PtySession joins its own cgroup, records pid and start time, and removes both when killed', async () => {
    const records = new PtyRecords(join(tempDir(), 'run', 'ptys'))
    const logger = memoryLogger()
    const containment = PtyContainment.detect(records, logger)
    expect(logger.lines.map((l) => l.message).join('\n')).toMatch(/contained in cgroups under/)
    const id = `unit.p${++n}x${process.pid}`
    const info = {
      id,
      threadId: 'unit',
      kind: 'shell',
      profileId: 'shell',
      title: 'Shell',
      command: 'sh',
      cwd: process.cwd(),
      port: null,
      pid: null,
      state: 'running',
      exitCode: null,
      signal: null,
      startedAt: Date.now(),
      endedAt: null,
      endedByRestart: false,
      agentCommand: null
    } as PtyInfo
    let output = ''
    const session = new PtySession(
      info,
      {
        file: '/bin/sh',
        args: ['-c', `setsid -f env -i sleep ${base + 3}; sleep ${base + 4}`],
        cwd: process.cwd(),
        env: { PATH: process.env.PATH! },
        cols: 80,
        rows: 24
      },
      10_000,
      { data: (t) => (output += t), exit: () => undefined },
      containment
    )
    expect(session.containment).toBe('cgroup')
    await eventually(() => tagged().length === 3, 'both sleeps (and the shell, whose argv names them) to run').catch((e) => {
      throw new Error(`${(e as Error).message}; the pty printed: ${output}`)
    })
    const dir = join(parent(), `skein-${id}`)
    expect((await cgroupPids(dir)).sort()).toEqual(tagged().sort())
    const record = JSON.parse(readFileSync(join(records.dir, `${id}.json`), 'utf8')) as PtyRunRecord
    expect(record).toMatchObject({ ptyId: id, cgroup: dir, pid: session.info.pid, sid: session.info.pid, corePid: process.pid })
    expect(record.startTime).toMatch(/^\d+$/)
    await session.kill()
    expect(tagged()).toEqual([])
    expect(existsSync(dir)).toBe(false)
    expect(existsSync(join(records.dir, `${id}.json`))).toBe(false)
  })

  it.skipIf(skip)('trusts a recorded cgroup only when it is a Skein pty cgroup named for that pty', () => {
    const mount = cgroup2Mount(readFileSync('/proc/self/mountinfo', 'utf8'))!
    const made = createPtyCgroup(parent(), `unit.p${++n}y${process.pid}`)
    if (!made.ok) throw new Error(made.error)
    expect(isPtyCgroupPath(made.value, `unit.p${n}y${process.pid}`)).toBe(true)
    expect(isPtyCgroupPath(made.value, 'other.p1')).toBe(false)
    expect(isPtyCgroupPath(mount, 'x')).toBe(false)
    expect(isPtyCgroupPath(join(mount, '..', 'skein-x'), 'x')).toBe(false)
    rmdirSync(made.value)
  })
})
