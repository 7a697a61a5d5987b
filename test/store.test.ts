import { appendFileSync, existsSync, readFileSync, readdirSync, writeFileSync, rmSync, chmodSync, statSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { memoryLogger } from '../src/main/core/logger'
import { writeFileAtomic } from '../src/main/core/store/atomic-write'
import { DataDir } from '../src/main/core/store/data-dir'
import { ThreadStore } from '../src/main/core/store/thread-store'
import type { Repo } from '../src/shared/models'
import { ErrorCode } from '../src/shared/errors'
import { cleanupTemp, makeCore, makeRepo, must, tempDir } from './helpers/fixtures'
import { storeThread } from './helpers/thread-fixture'

afterEach(cleanupTemp)

const repo: Repo = { id: 'r1', name: 'r1', path: '/nowhere/r1', addedAt: 1 }

async function storeWith(home: string, n: number): Promise<ThreadStore> {
  const s = await ThreadStore.open(new DataDir(home), memoryLogger())
  for (let i = 0; i < n; i++) must(await s.create(storeThread(`t${i}`), repo))
  await s.flush()
  return s
}

describe('thread store', () => {
  it('a log that cannot be read is an error naming it, never an empty conversation; a core still starts with it', async () => {
    const home = tempDir()
    const s = await storeWith(home, 0)
    must(await s.create(storeThread('t0', { status: 'needs-attention' }), repo))
    await s.flush()
    const log = new DataDir(home).eventsFile('t0')
    rmSync(log)
    // A folder where the log should be: reading it fails with EISDIR, as an unreadable disk would fail.
    execFileSync('mkdir', [log])
    const { core, logger } = await makeCore(home)
    await expect(core.agent.items('t0')).rejects.toThrow(/^This thread's log could not be read: .*EISDIR.*Nothing in it was changed\.$/)
    const window = await core.agent.window({ threadId: 't0', anchor: 'end', limit: 50 })
    expect(window.ok ? window.value : window.error).toMatchObject({
      code: ErrorCode.StorageFailed,
      message: expect.stringMatching(/^This thread's log could not be read: .*EISDIR/)
    })
    expect(logger.lines.some((l) => l.level === 'error' && /Could not read the log of thread t0/.test(l.message))).toBe(true)
    // A log that is simply not there yet is an empty conversation.
    rmSync(log, { recursive: true })
    core.transcript.forget('t0')
    expect(await core.agent.items('t0')).toEqual([])
  })

  it('keeps a thread whose last line was torn, warns, and appends cleanly after it', async () => {
    const home = tempDir()
    const s = await storeWith(home, 1)
    must(await s.update('t0', { title: 'renamed' }, 'renamed'))
    await s.flush()
    const log = new DataDir(home).eventsFile('t0')
    appendFileSync(log, '{"type":"thread.changed","at":3,"reason":"renamed","patch":{"title":"tor')

    const logger = memoryLogger()
    const reopened = await ThreadStore.open(new DataDir(home), logger)
    expect(reopened.get('t0')?.title).toBe('renamed')
    expect(logger.lines.some((l) => l.level === 'warn' && /torn last line/.test(l.message))).toBe(true)

    must(await reopened.update('t0', { title: 'after the tear' }, 'renamed'))
    await reopened.flush()
    const again = await ThreadStore.open(new DataDir(home), memoryLogger())
    expect(again.get('t0')?.title).toBe('after the tear')
  })

  it('skips a corrupt middle line with a warning and keeps the rest of the thread', async () => {
    const home = tempDir()
    const s = await storeWith(home, 1)
    must(await s.update('t0', { title: 'one' }, 'renamed'))
    must(await s.update('t0', { status: 'needs-attention' }, 'status'))
    await s.flush()
    const log = new DataDir(home).eventsFile('t0')
    const lines = readFileSync(log, 'utf8').split('\n')
    lines[1] = '\u0000\u0000garbage{{{'
    writeFileSync(log, lines.join('\n'))
    const logger = memoryLogger()
    const reopened = await ThreadStore.open(new DataDir(home), logger)
    const t = reopened.get('t0')!
    expect(t.status).toBe('needs-attention')
    expect(t.title).toBe('t0') // the rename on the corrupt line is the only thing lost
    expect(logger.lines.some((l) => /corrupt line 2/.test(l.message))).toBe(true)
  })

  it('rebuilds a missing index from the logs', async () => {
    const home = tempDir()
    await storeWith(home, 5)
    rmSync(new DataDir(home).indexFile)
    const reopened = await ThreadStore.open(new DataDir(home), memoryLogger())
    expect(
      reopened
        .list()
        .map((t) => t.id)
        .sort()
    ).toEqual(['t0', 't1', 't2', 't3', 't4'])
    expect(existsSync(new DataDir(home).indexFile)).toBe(true)
  })

  it('rebuilds a thread whose log is mostly bulky transcript without holding it, and keeps its latest state', async () => {
    const home = tempDir()
    const s = await storeWith(home, 1)
    const bulky = 'x'.repeat(4 * 1024 * 1024) // every item line spans several of the scan's 1 MB chunks
    for (let i = 0; i < 40; i++) {
      must(await s.appendRaw('t0', { type: 'item.completed', at: i, item: { id: `i${i}`, text: bulky } }))
      if (i === 20) must(await s.update('t0', { title: 'renamed between outputs' }, 'renamed'))
    }
    await s.flush()
    const size = statSync(new DataDir(home).eventsFile('t0')).size
    rmSync(new DataDir(home).indexFile)
    const logger = memoryLogger()
    // A 160 MB log: read whole, it would cost the buffer and its string (over 300 MB); streamed, a few lines.
    const before = process.memoryUsage().rss
    let peak = before
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2)
    const rebuilt = await ThreadStore.open(new DataDir(home), logger).finally(() => clearInterval(sampler))
    peak = Math.max(peak, process.memoryUsage().rss)
    expect((peak - before) / 1024 ** 2).toBeLessThan(80)
    expect(rebuilt.get('t0')?.title).toBe('renamed between outputs')
    expect(rebuilt.logSize('t0')).toBe(size)
    expect(logger.lines.filter((l) => l.level !== 'info')).toEqual([])
  })

  it('rebuilds a corrupt index from the logs, with a warning', async () => {
    const home = tempDir()
    await storeWith(home, 3)
    writeFileSync(new DataDir(home).indexFile, '{"version":1,"threads":[{"thread":')
    const logger = memoryLogger()
    const reopened = await ThreadStore.open(new DataDir(home), logger)
    expect(reopened.list()).toHaveLength(3)
    expect(logger.lines.some((l) => /index .* is corrupt/.test(l.message))).toBe(true)
    expect(() => JSON.parse(readFileSync(new DataDir(home).indexFile, 'utf8'))).not.toThrow()
  })

  it('notices logs that changed after the index was written (a crash before the index flush)', async () => {
    const home = tempDir()
    await storeWith(home, 2)
    const log = new DataDir(home).eventsFile('t1')
    appendFileSync(log, `${JSON.stringify({ type: 'thread.changed', at: 9, reason: 'renamed', patch: { title: 'only in the log' } })}\n`)
    const reopened = await ThreadStore.open(new DataDir(home), memoryLogger())
    expect(reopened.get('t1')?.title).toBe('only in the log')
  })

  it('lists from memory without reading logs', async () => {
    const home = tempDir()
    const s = await storeWith(home, 3)
    for (const id of ['t0', 't1', 't2']) chmodSync(new DataDir(home).eventsFile(id), 0o000)
    try {
      expect(s.list()).toHaveLength(3)
    } finally {
      for (const id of ['t0', 't1', 't2']) chmodSync(new DataDir(home).eventsFile(id), 0o600)
    }
  })

  it('recovers repos.json from the thread logs when it is corrupt, keeping the bad file aside', async () => {
    const repoPath = makeRepo('recoverable')
    const home = tempDir()
    const first = await makeCore(home)
    const r = must(await first.core.repos.add(repoPath))
    must(await first.core.threads.create({ repoId: r.id, title: 'x', mode: 'local' }))
    await first.core.close()
    writeFileSync(join(home, 'repos.json'), '{ not json')
    const second = await makeCore(home)
    expect(second.core.repos.list().map((x) => x.path)).toEqual([repoPath])
    expect(readdirSync(home).some((f) => f.startsWith('repos.json.corrupt-'))).toBe(true)
    expect(second.logger.lines.some((l) => /repos.json is corrupt/.test(l.message))).toBe(true)
  })
})

describe('atomic writes', () => {
  it('never lets a reader see a half-written index', async () => {
    const dir = tempDir()
    const path = join(dir, 'index.json')
    const big = (n: number) => JSON.stringify({ n, pad: 'x'.repeat(512 * 1024) })
    await writeFileAtomic(path, big(0))
    let writing = true
    let reads = 0
    const reader = (async () => {
      while (writing) {
        const text = readFileSync(path, 'utf8')
        expect(() => JSON.parse(text)).not.toThrow()
        reads++
        await new Promise((r) => setImmediate(r))
      }
    })()
    for (let i = 1; i <= 40; i++) await writeFileAtomic(path, big(i))
    writing = false
    await reader
    expect(reads).toBeGreaterThan(0)
    expect(JSON.parse(readFileSync(path, 'utf8')).n).toBe(40)
    expect(readdirSync(dir)).toEqual(['index.json']) // no temp files left behind
  })

  it('leaves the old file intact, and no temp file, when the disk fills up mid-write', async (ctx) => {
    const mnt = tempDir('skein-tinyfs-')
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt], { stdio: 'ignore' })
    } catch {
      ctx.skip('needs root to mount a 64 KB tmpfs that can fill up')
    }
    try {
      const path = join(mnt, 'index.json')
      await writeFileAtomic(path, '{"old":true}')
      await expect(writeFileAtomic(path, JSON.stringify({ pad: 'x'.repeat(200 * 1024) }))).rejects.toMatchObject({ code: 'ENOSPC' })
      expect(readFileSync(path, 'utf8')).toBe('{"old":true}')
      expect(readdirSync(mnt)).toEqual(['index.json'])
    } finally {
      execFileSync('umount', [mnt], { stdio: 'ignore' })
    }
  })
})
