import { chmodSync, existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { suggestChecks } from '../src/main/core/ci/check-suggestions'
import { LocalChecks } from '../src/main/core/ci/local-checks'
import { GitRunner } from '../src/main/core/git/git-runner'
import type { LocalRun } from '../src/shared/ci'
import { cleanupTemp, git, makeRepo, must, tempDir, writeFile } from './helpers/fixtures'
import { eventually } from './helpers/pty-client'

afterEach(cleanupTemp)

// An empty home keeps this machine's dotfiles (pyenv and the like) out of the shells under test.
const env = { ...process.env, HOME: mkdtempSync(join(tmpdir(), 'skein-ci-home-')), SHELL: '/bin/bash' }

function checks() {
  const changes: LocalRun[] = []
  const output: string[] = []
  const lc = new LocalChecks({
    logDir: join(tempDir(), 'logs'),
    git: new GitRunner(),
    env,
    killGraceMs: 500,
    onChange: (r) => changes.push(r),
    onOutput: (_r, chunk) => output.push(chunk)
  })
  return { lc, changes, output }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('local checks', () => {
  it('runs a passing command on HEAD of a clean worktree, with its log and live output', async () => {
    const repo = makeRepo()
    const { lc, changes, output } = checks()
    const run = must(await lc.start('t1', repo, 'echo "hello from $(basename "$PWD")"; echo to-stderr >&2'))
    expect(run).toMatchObject({ threadId: 't1', state: 'running', commit: git(repo, 'rev-parse', 'HEAD'), dirty: false, exitCode: null })
    const end = (await lc.done(run.id))!
    expect(end).toMatchObject({ state: 'passed', exitCode: 0, detail: null })
    expect(end.durationMs).toBeGreaterThanOrEqual(0)
    expect(end.endedAt).toBeGreaterThanOrEqual(end.startedAt)
    const log = readFileSync(end.logPath, 'utf8')
    expect(log).toContain('hello from repo\n')
    expect(log).toContain('to-stderr\n')
    expect(output.join('')).toContain('hello from repo')
    expect(changes.map((c) => c.state)).toEqual(['running', 'passed'])
    expect(lc.list('t1').map((r) => r.id)).toEqual([run.id])
  })

  it('records a failure with its exit code on a dirty worktree', async () => {
    const repo = makeRepo()
    writeFile(join(repo, 'new.txt'), 'uncommitted\n')
    const { lc } = checks()
    const run = must(await lc.start('t1', repo, 'echo boom >&2; exit 3'))
    expect(run.dirty).toBe(true)
    const end = (await lc.done(run.id))!
    expect(end).toMatchObject({ state: 'failed', exitCode: 3, detail: 'exit code 3' })
    expect(readFileSync(end.logPath, 'utf8')).toBe('boom\n')
  })

  it('says which command was not found', async () => {
    const repo = makeRepo()
    const { lc } = checks()
    const run = must(await lc.start('t1', repo, 'no-such-tool-skein-test --all'))
    const end = (await lc.done(run.id))!
    expect(end).toMatchObject({ state: 'failed', exitCode: 127, detail: 'command not found: no-such-tool-skein-test' })
    const piped = must(await lc.start('t1', repo, 'echo start && missing-second-tool'))
    expect((await lc.done(piped.id))!.detail).toBe('command not found: missing-second-tool')
  })

  it('cancels the whole process tree, even processes that ignore SIGTERM', async () => {
    const repo = makeRepo()
    const { lc, changes } = checks()
    const pidFile = join(repo, 'child.pid')
    const run = must(await lc.start('t1', repo, `trap '' TERM HUP; sleep 300 & echo $! > child.pid; while :; do sleep 1; done`))
    await eventually(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', 'the background child')
    const child = Number(readFileSync(pidFile, 'utf8').trim())
    expect(alive(child)).toBe(true)
    const end = must(await lc.cancel(run.id))
    expect(end).toMatchObject({ state: 'cancelled', detail: 'cancelled' })
    await eventually(() => !alive(child), 'the background child to be gone')
    expect(changes.at(-1)!.state).toBe('cancelled')
    expect(must(await lc.cancel(run.id)).state).toBe('cancelled')
  })

  it('runs outside git with no commit, and refuses a missing folder or an empty command', async () => {
    const dir = tempDir()
    const { lc } = checks()
    const run = must(await lc.start('t1', dir, 'true'))
    expect(run).toMatchObject({ commit: null, dirty: false })
    expect((await lc.done(run.id))!.state).toBe('passed')
    const gone = await lc.start('t1', join(dir, 'missing'), 'true')
    expect(!gone.ok && gone.error.message).toMatch(/is gone/)
    expect((await lc.start('t1', dir, '   ')).ok).toBe(false)
  })

  it('keeps the latest run of each command, newest first', async () => {
    const dir = tempDir()
    let now = 1000
    const lc = new LocalChecks({ logDir: join(dir, 'logs'), git: new GitRunner(), env, now: () => now++ })
    const a1 = must(await lc.start('t', dir, 'exit 1'))
    await lc.done(a1.id)
    const b = must(await lc.start('t', dir, 'true'))
    await lc.done(b.id)
    const a2 = must(await lc.start('t', dir, 'exit 1'))
    await lc.done(a2.id)
    expect(lc.latest('t').map((r) => r.id)).toEqual([a2.id, b.id])
    expect(lc.list('other')).toEqual([])
  })

  it('dispose ends every running check', async () => {
    const dir = tempDir()
    const { lc } = checks()
    const run = must(await lc.start('t', dir, 'sleep 300'))
    await lc.dispose()
    expect(lc.get(run.id)!.state).toBe('cancelled')
    expect((await lc.start('t', dir, 'true')).ok).toBe(false)
  })
})

describe('check suggestions', () => {
  it('offers .ci/run, package.json scripts with the lockfile’s package manager, and make targets', async () => {
    const dir = tempDir()
    writeFile(join(dir, '.ci', 'run'), '#!/bin/sh\nexit 0\n')
    chmodSync(join(dir, '.ci', 'run'), 0o755)
    writeFile(
      join(dir, 'package.json'),
      JSON.stringify({ scripts: { dev: 'vite', build: 'vite build', test: 'vitest run', lint: 'eslint .', typecheck: 'tsc' } })
    )
    writeFile(join(dir, 'yarn.lock'), '')
    writeFile(join(dir, 'Makefile'), 'VERSION := 1\ncheck: test\n\tgo vet ./...\ntest:\n\tgo test ./...\nrelease:\n')
    expect(await suggestChecks(dir)).toEqual([
      { command: '.ci/run', source: '.ci/run' },
      { command: 'yarn typecheck', source: 'package.json script "typecheck"' },
      { command: 'yarn lint', source: 'package.json script "lint"' },
      { command: 'yarn test', source: 'package.json script "test"' },
      { command: 'yarn build', source: 'package.json script "build"' },
      { command: 'make check', source: 'Makefile target check' },
      { command: 'make test', source: 'Makefile target test' }
    ])
  })

  it('uses npm without a lockfile, skips a non-executable .ci/run and a broken package.json', async () => {
    const dir = tempDir()
    writeFile(join(dir, '.ci', 'run'), 'not executable')
    writeFile(join(dir, 'package.json'), JSON.stringify({ scripts: { test: 'node --test', check: 'tsc' } }))
    expect(await suggestChecks(dir)).toEqual([
      { command: 'npm run check', source: 'package.json script "check"' },
      { command: 'npm test', source: 'package.json script "test"' }
    ])
    writeFile(join(dir, 'package.json'), '{ nope')
    expect(await suggestChecks(dir)).toEqual([])
  })
})
