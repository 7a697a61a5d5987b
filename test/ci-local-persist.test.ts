import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { LocalRunLog, RUNS_KEPT_PER_THREAD } from '../src/main/core/ci/local-run-log'
import { memoryLogger } from '../src/main/core/logger'
import type { LocalRun } from '../src/shared/ci'
import { cleanupTemp, makeCore, makeRepo, must, tempDir } from './helpers/fixtures'
import { eventually } from './helpers/pty-client'

afterEach(cleanupTemp)

const run = (id: string, o: Partial<LocalRun> = {}): LocalRun => ({
  id,
  threadId: 't1',
  command: 'make test',
  state: 'passed',
  startedAt: 1,
  endedAt: 2,
  durationMs: 1,
  exitCode: 0,
  commit: null,
  dirty: false,
  logPath: `/x/${id}.log`,
  detail: null,
  ...o
})

describe('local CI runs survive a restart', () => {
  it('brings back run history, logs and the failed CI state of a thread after a core restart', async () => {
    const home = tempDir('skein-ci-persist-')
    const first = await makeCore(home)
    const repo = must(await first.core.repos.add(makeRepo()))
    const t = must(await first.core.threads.create({ repoId: repo.id, title: 'checks', mode: 'worktree' }))
    const failing = must(await first.core.ci.runLocal(t.id, 'echo "broken test"; exit 3'))
    await first.core.ci.service.localDone(failing.id)
    const passing = must(await first.core.ci.runLocal(t.id, 'echo fine'))
    await first.core.ci.service.localDone(passing.id)
    await eventually(() => first.core.ci.statuses().find((s) => s.threadId === t.id)?.overall === 'failed', 'the thread to show CI failed')
    await first.core.close()

    const second = await makeCore(home)
    await eventually(() => second.core.ci.statuses().some((s) => s.threadId === t.id), 'the thread CI status to come back')
    const status = second.core.ci.statuses().find((s) => s.threadId === t.id)!
    expect(status.overall).toBe('failed')
    expect(status.checks.map((c) => c.state).sort()).toEqual(['failed', 'passed'])
    const checks = must(await second.core.ci.checks(t.id))
    const byId = new Map(checks.runs.map((r) => [r.id, r]))
    expect(byId.get(failing.id)).toMatchObject({ command: 'echo "broken test"; exit 3', state: 'failed', exitCode: 3 })
    expect(byId.get(passing.id)).toMatchObject({ command: 'echo fine', state: 'passed', exitCode: 0 })
    expect(byId.get(failing.id)!.endedAt).toBeGreaterThanOrEqual(byId.get(failing.id)!.startedAt)
    const failedCheck = status.checks.find((c) => c.state === 'failed')!
    const log = must(await second.core.ci.log(t.id, failedCheck.id))
    expect(JSON.stringify(log)).toContain('broken test')
  })

  it('shows a run that was still going when Skein died as failed (interrupted), not running forever', async () => {
    const home = tempDir('skein-ci-cut-')
    const logger = memoryLogger()
    const path = join(home, 'runs.jsonl')
    const log = new LocalRunLog(path, logger)
    await log.record(run('a', { state: 'running', endedAt: null, durationMs: null, exitCode: null }))
    await log.record(run('b'))
    const loaded = await new LocalRunLog(path, logger).load(100)
    expect(loaded.find((r) => r.id === 'a')).toMatchObject({ state: 'failed', endedAt: 100, detail: expect.stringMatching(/interrupted/) })
    expect(loaded.find((r) => r.id === 'b')).toMatchObject({ state: 'passed' })
    // The fix is written back, so the next start does not need to guess again.
    expect(readFileSync(path, 'utf8')).not.toContain('"running"')
  })

  it('keeps the latest line of each run, skips a torn line, and keeps only the newest runs per thread', async () => {
    const dir = tempDir('skein-ci-log-')
    mkdirSync(dir, { recursive: true })
    const path = join(dir, 'runs.jsonl')
    const lines = [run('a', { state: 'running' }), run('a', { state: 'failed', exitCode: 1 })]
    for (let i = 0; i < RUNS_KEPT_PER_THREAD + 5; i++) lines.push(run(`n${i}`, { startedAt: 10 + i, threadId: 't2' }))
    writeFileSync(path, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n{"id":"torn`)
    const logger = memoryLogger()
    const loaded = await new LocalRunLog(path, logger).load(1000)
    expect(loaded.find((r) => r.id === 'a')).toMatchObject({ state: 'failed', exitCode: 1 })
    expect(loaded.filter((r) => r.threadId === 't2')).toHaveLength(RUNS_KEPT_PER_THREAD)
    expect(loaded.some((r) => r.id === 'n0')).toBe(false)
    expect(logger.lines.some((l) => l.level === 'warn')).toBe(true)
  })
})
