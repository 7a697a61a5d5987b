import { execFileSync, spawn } from 'node:child_process'
import { connect } from 'node:net'
import { existsSync, lstatSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { EnvironmentInput } from '../src/shared/environment'
import type { Thread } from '../src/shared/models'
import type { Core } from '../src/main/core/core'
import { socketTransport } from '../src/main/core/rpc/socket-transport'
import { DataDir } from '../src/main/core/store/data-dir'
import { RpcClient } from '../src/shared/rpc-client'
import { eventually } from './helpers/pty-client'
import { cleanupTemp, git, makeCore, makeRepo, must, tempDir, writeFile } from './helpers/fixtures'

afterEach(cleanupTemp)

/** Waits (without a fixed sleep) until the thread's setup has ended. */
async function setupEnded(core: Core, id: string): Promise<NonNullable<Thread['setup']>> {
  for (;;) {
    const t = core.threads.find(id)
    if (t.ok && t.value.setup && t.value.setup.state !== 'running') return t.value.setup
    await new Promise<void>((resolve) => {
      const sub = core.bus.subscribe((name, p) => {
        if (name === 'thread/updated' && (p as { thread: Thread }).thread.id === id) {
          sub.dispose()
          resolve()
        }
      })
    })
  }
}

function commitEnvironment(repo: string, env: EnvironmentInput, gitignore = '.env\n.env.local\nnode_modules\n.venv\ndata\n'): void {
  writeFile(join(repo, '.skein/environment.json'), JSON.stringify(env, null, 2))
  writeFile(join(repo, '.gitignore'), gitignore)
  git(repo, 'add', '-A')
  git(repo, 'commit', '-q', '-m', 'environment')
}

async function repoWith(env: EnvironmentInput, extra?: (repo: string) => void, untracked?: (repo: string) => void) {
  const repoPath = makeRepo()
  extra?.(repoPath)
  commitEnvironment(repoPath, env)
  untracked?.(repoPath)
  const { core, home } = await makeCore()
  const repo = must(await core.repos.add(repoPath))
  return { core, home, repoPath, repo }
}

describe('environment file', () => {
  it('reports an invalid file naming the field, and the thread is still made', async () => {
    const { core, repo } = await repoWith({ share: [{ path: 'node_modules', mode: 'hardlink' as never }] })
    const resolved = must(await core.environment.resolve(repo.id))
    expect(resolved.source).toBe('none')
    expect(resolved.problem).toContain('share[0].mode')
    const t = must(await core.threads.create({ repoId: repo.id, title: 'bad env', mode: 'worktree' }))
    expect(existsSync(t.worktreePath)).toBe(true)
    expect(must(core.threads.find(t.id)).setup).toMatchObject({
      state: 'failed',
      failure: { message: expect.stringContaining('share[0].mode') }
    })
  })

  it('settings override the file; removing them falls back to the file', async () => {
    const { core, repo } = await repoWith({ setup: ['echo from-file'] })
    expect(must(await core.environment.resolve(repo.id))).toMatchObject({ source: 'file', environment: { setup: ['echo from-file'] } })
    must(await core.environment.save(repo.id, 'settings', { setup: ['echo from-settings'] }))
    expect(must(await core.environment.resolve(repo.id))).toMatchObject({
      source: 'settings',
      environment: { setup: ['echo from-settings'] }
    })
    const bad = await core.environment.save(repo.id, 'settings', { startAgent: 'later' as never })
    expect(!bad.ok && bad.error.message).toContain('startAgent')
    must(await core.environment.save(repo.id, 'settings', null))
    expect(must(await core.environment.resolve(repo.id)).source).toBe('file')
  })

  it('an environment kept in settings survives a restart', async () => {
    const { core, repo, home } = await repoWith({})
    must(await core.environment.save(repo.id, 'settings', { copy: ['.env'], startAgent: 'parallel' }))
    await core.close()
    const again = await makeCore(home)
    expect(must(await again.core.environment.resolve(repo.id))).toMatchObject({
      source: 'settings',
      environment: { copy: ['.env'], startAgent: 'parallel' }
    })
  })

  it('saves to the file through the RPC-facing service', async () => {
    const { core, repo, repoPath } = await repoWith({})
    must(await core.environment.save(repo.id, 'file', { copy: ['.env'], share: [{ path: 'node_modules' }] }))
    expect(JSON.parse(readFileSync(join(repoPath, '.skein/environment.json'), 'utf8'))).toMatchObject({
      copy: ['.env'],
      share: [{ path: 'node_modules', mode: 'symlink' }],
      startAgent: 'after-setup'
    })
  })
})

describe('setup of a new worktree', () => {
  it('copies .env and .worktreeinclude matches, runs setup with PORT, in one shell', async () => {
    const { core, repo } = await repoWith(
      { copy: ['.env'], setup: ['mkdir -p out && cd out', 'echo "port=$PORT root=$SKEIN_ROOT_PATH" > where.txt'] },
      (r) => {
        writeFile(join(r, '.env'), 'SECRET=1\n')
        writeFile(join(r, 'web/.env.local'), 'LOCAL=1\n')
        writeFile(join(r, '.worktreeinclude'), '**/.env.local\n')
      }
    )
    const t = must(await core.threads.create({ repoId: repo.id, title: 'copy', mode: 'worktree' }))
    const setup = await setupEnded(core, t.id)
    expect(setup.state).toBe('done')
    expect(setup.copied.sort()).toEqual(['.env', 'web/.env.local'])
    expect(readFileSync(join(t.worktreePath, '.env'), 'utf8')).toBe('SECRET=1\n')
    expect(readFileSync(join(t.worktreePath, 'out/where.txt'), 'utf8')).toMatch(/^port=\d+ root=\//)
    expect(git(t.worktreePath, 'status', '--porcelain')).toBe('?? out/')
  })

  it('a failing setup names the command, keeps its log, and leaves the thread usable', async () => {
    const { core, repo } = await repoWith({ setup: ['echo first-ok', 'echo "boom: missing thing" >&2; exit 7', 'echo never'] })
    const t = must(await core.threads.create({ repoId: repo.id, title: 'fails', mode: 'worktree' }))
    const setup = await setupEnded(core, t.id)
    expect(setup).toMatchObject({ state: 'failed', failure: { index: 2, exitCode: 7, command: 'echo "boom: missing thing" >&2; exit 7' } })
    expect(setup.failure!.message).toContain('command 2 of 3')
    expect(setup.failure!.logTail).toContain('boom: missing thing')
    expect(setup.failure!.logTail).not.toContain('never')
    const after = must(await core.threads.get(t.id))
    expect(after.status).not.toBe('error')
    must(await core.ptys.open(t.id, { kind: 'shell', cols: 80, rows: 24 }))
  })

  it('starts the agent only after setup, and at once with startAgent parallel', async () => {
    for (const startAgent of ['after-setup', 'parallel'] as const) {
      const { core, repo } = await repoWith({ setup: ['sleep 0.3', 'echo done > marker'], startAgent })
      const t = must(await core.threads.create({ repoId: repo.id, title: startAgent, mode: 'worktree', profileId: 'shell' }))
      if (startAgent === 'after-setup') expect(t.agent).toBeNull()
      else expect(t.agent).not.toBeNull()
      await setupEnded(core, t.id)
      for (;;) {
        const now = must(await core.threads.get(t.id))
        if (now.agent) break
        await new Promise<void>((r) => {
          const sub = core.bus.subscribe((n) => n === 'thread/updated' && (sub.dispose(), r()))
        })
      }
    }
  })

  it('runs the archive command before archiving, and a failure is reported without blocking', async () => {
    const { core, repo, repoPath } = await repoWith({
      archive: `echo archived-$SKEIN_THREAD_ID > "$SKEIN_ROOT_PATH/../archive-ran"; echo cleanup-broke >&2; exit 3`
    })
    const t = must(await core.threads.create({ repoId: repo.id, title: 'arch', mode: 'worktree' }))
    writeFile(join(t.worktreePath, 'work.txt'), 'keep me\n')
    const archived = must(await core.threads.archive(t.id))
    expect(archived.status).toBe('archived')
    expect(readFileSync(join(repoPath, '../archive-ran'), 'utf8').trim()).toBe(`archived-${t.id}`)
    expect(archived.statusMessage).toContain('exit code 3')
    expect(archived.statusMessage).toContain('cleanup-broke')
    must(await core.threads.restore(t.id))
    expect(readFileSync(join(t.worktreePath, 'work.txt'), 'utf8')).toBe('keep me\n')
  })
})

describe('copy attacks', () => {
  it('never copies outside the checkout: ../x, absolute patterns, links out, tracked links in the way', async () => {
    const outside = tempDir('skein-outside-')
    writeFileSync(join(outside, 'x'), 'outside secret\n')
    const { core, repo, home } = await repoWith(
      { copy: ['../x', '/etc/passwd', '*.secret', 'linked/**', 'evil.env'] },
      (r) => {
        // A tracked link to a folder outside the checkout.
        symlinkSync(outside, join(r, 'sub'))
      },
      (r) => {
        symlinkSync('/etc/passwd', join(r, 'passwd.secret'))
        symlinkSync(outside, join(r, 'linked'))
        writeFile(join(r, 'inner.secret'), 'fine\n')
        symlinkSync('inner.secret', join(r, 'alias.secret'))
        // In the main checkout the tracked link is now a real folder with an untracked file; in the new worktree it is the link again.
        rmSync(join(r, 'sub'))
        writeFile(join(r, 'sub/evil.env'), 'through the link\n')
      }
    )
    const t = must(await core.threads.create({ repoId: repo.id, title: 'attack', mode: 'worktree' }))
    const setup = await setupEnded(core, t.id)
    expect(setup.copied.sort()).toEqual(['alias.secret', 'inner.secret'])
    expect(readlinkSync(join(t.worktreePath, 'alias.secret'))).toBe('inner.secret')
    expect(existsSync(join(t.worktreePath, 'passwd.secret'))).toBe(false)
    expect(existsSync(join(t.worktreePath, 'x'))).toBe(false)
    expect(existsSync(join(home, 'x'))).toBe(false)
    expect(setup.warnings.join(' ')).toContain('passwd.secret')
    expect(readFileSync(join(outside, 'x'), 'utf8')).toBe('outside secret\n')
    expect(existsSync(join(outside, 'evil.env'))).toBe(false)
    expect(setup.warnings.join(' ')).toContain('sub/evil.env')
  })
})

describe('shared folders with real projects', () => {
  it('Node: node_modules from a local tarball; the second worktree links to the filled store and its setup installs nothing', async () => {
    const pkgDir = tempDir('skein-pkg-')
    writeFile(join(pkgDir, 'package.json'), JSON.stringify({ name: 'tiny-local', version: '1.0.0', main: 'index.js' }))
    writeFile(join(pkgDir, 'index.js'), 'module.exports = 42\n')
    execFileSync('npm', ['pack', '--silent'], { cwd: pkgDir, stdio: 'ignore' })
    const tarball = join(pkgDir, 'tiny-local-1.0.0.tgz')
    const install = '[ -f node_modules/.package-lock.json ] || npm install --offline --no-audit --no-fund'
    const { core, repo, home } = await repoWith(
      {
        copy: ['.env'],
        share: [{ path: 'node_modules', mode: 'symlink' }],
        setup: [install, 'node -e "process.exit(require(\'tiny-local\') === 42 ? 0 : 1)"']
      },
      (r) => {
        writeFile(
          join(r, 'package.json'),
          JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { 'tiny-local': `file:${tarball}` } })
        )
        execFileSync('npm', ['install', '--package-lock-only', '--offline', '--no-audit', '--no-fund'], { cwd: r, stdio: 'ignore' })
        writeFile(join(r, '.env'), 'API=1\n')
      }
    )
    const first = must(await core.threads.create({ repoId: repo.id, title: 'node one', mode: 'worktree' }))
    const s1 = await setupEnded(core, first.id)
    expect(s1.state, s1.failure?.logTail).toBe('done')
    const store = join(home, 'shared', repo.id, 'node_modules')
    expect(existsSync(join(store, 'tiny-local/index.js'))).toBe(true)
    const storeMtime = statSync(join(store, '.package-lock.json')).mtimeMs

    const second = must(await core.threads.create({ repoId: repo.id, title: 'node two', mode: 'worktree' }))
    const s2 = await setupEnded(core, second.id)
    expect(s2.state, s2.failure?.logTail).toBe('done')
    expect(lstatSync(join(second.worktreePath, 'node_modules')).isSymbolicLink()).toBe(true)
    expect(readlinkSync(join(second.worktreePath, 'node_modules'))).toBe(store)
    expect(s2.shared).toEqual([{ path: 'node_modules', mode: 'symlink', outcome: 'linked', note: null }])
    // The second setup wrote nothing into node_modules: npm never ran.
    expect(statSync(join(store, '.package-lock.json')).mtimeMs).toBe(storeMtime)
    const log = (await core.ptys.scrollbackText(s2.ptyId!)) ?? ''
    expect(log).not.toMatch(/added \d+ package/)
    expect(readFileSync(join(second.worktreePath, '.env'), 'utf8')).toBe('API=1\n')
  }, 120_000)

  it('Python: a venv made in the main checkout is shared and runs in the worktree; reflink mode clones it', async () => {
    const { core, repo } = await repoWith(
      {
        share: [
          { path: '.venv', mode: 'symlink' },
          { path: 'data', mode: 'reflink' }
        ],
        setup: ['.venv/bin/python -c "import sys; print(sys.prefix)" > prefix.txt', 'test -f data/big.bin']
      },
      (r) => {
        execFileSync('python3', ['-m', 'venv', '--without-pip', join(r, '.venv')], { stdio: 'ignore' })
        writeFile(join(r, 'data/big.bin'), Buffer.alloc(1024 * 64, 7))
      }
    )
    const t = must(await core.threads.create({ repoId: repo.id, title: 'py', mode: 'worktree' }))
    const setup = await setupEnded(core, t.id)
    expect(setup.state, setup.failure?.logTail).toBe('done')
    expect(setup.shared.map((s) => s.outcome)).toEqual(['linked', 'cloned'])
    expect(readFileSync(join(t.worktreePath, 'prefix.txt'), 'utf8').trim()).toContain('.venv')
    expect(lstatSync(join(t.worktreePath, 'data')).isSymbolicLink()).toBe(false)
  }, 60_000)
})

describe('a crash during setup', () => {
  it('the next start says the setup was cut off instead of "Setting up" for ever', async () => {
    const serve = join(__dirname, '..', 'out', 'main', 'serve.js')
    if (!existsSync(serve)) throw new Error(`${serve} is missing: run \`npm run build\` first.`)
    const repoPath = makeRepo()
    commitEnvironment(repoPath, { setup: ['sleep 600'] })
    const home = tempDir('skein-home-')
    const child = spawn(process.execPath, [serve, '--port', '0'], {
      env: { PATH: process.env.PATH!, HOME: home, SKEIN_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let out = ''
    child.stdout!.on('data', (c) => (out += c))
    child.stderr!.on('data', (c) => (out += c))
    try {
      await eventually(() => /Skein is serving at/.test(out), 'the core to start')
      const client = new RpcClient(socketTransport(connect(new DataDir(home).socketPath)))
      await client.request('core/hello', { client: 'cli' })
      const repo = await client.request('repo/add', { path: repoPath })
      const t = await client.request('thread/create', { repoId: repo.id, title: 'cut off', mode: 'worktree' })
      await eventually(
        async () => (await client.request('thread/get', { threadId: t.id })).setup?.ptyId != null,
        'setup to run in its terminal'
      )
      child.kill('SIGKILL')
      await new Promise((r) => child.once('exit', r))
      const { core } = await makeCore(home)
      expect(must(core.threads.find(t.id)).setup).toMatchObject({
        state: 'failed',
        failure: { message: expect.stringContaining('cut off') }
      })
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    }
  }, 60_000)
})
