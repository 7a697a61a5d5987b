import { connect } from 'node:net'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { socketTransport } from '../src/main/core/rpc/socket-transport'
import type { CiStatus } from '../src/shared/ci'
import { RpcClient } from '../src/shared/rpc-client'
import { cleanupTemp, git, githubShapedRepo, makeCore, makeRepo, must, tempDir, writeFile } from './helpers/fixtures'
import { FakeGithub } from './helpers/fake-github'
import { useScriptedModel, type ModelServer } from './helpers/model-server'
import { eventually } from './helpers/pty-client'

let gh: FakeGithub
let model: ModelServer
beforeAll(async () => {
  gh = await FakeGithub.start()
  model = await useScriptedModel()
  process.env.GITHUB_TOKEN = gh.token
})
afterAll(async () => {
  delete process.env.GITHUB_TOKEN
  await gh.close()
  model.close()
})
afterEach(async () => {
  await cleanupTemp()
  expect(gh.violations.splice(0)).toEqual([])
})

describe('CI in the core, over the protocol', () => {
  it('follows a thread once Skein pushes it, shows a failing check and its log, sends the failure to the agent, and turns green after a new push', async () => {
    gh.addRepo('acme/shop')
    const { core } = await makeCore(tempDir('skein-home-'), { listenSocket: true })
    const client = new RpcClient(socketTransport(connect(core.dataDir.socketPath)))
    const updates: CiStatus[] = []
    const failed: string[][] = []
    client.on('ci/updated', (p) => void updates.push(p.status))
    client.on('ci/failed', (p) => void failed.push(p.checks))
    const repo = must(await core.repos.add(githubShapedRepo()))
    await client.request('ci/configure', { repoId: repo.id, override: { provider: 'github', baseUrl: gh.baseUrl } })
    const t = must(await core.threads.create({ repoId: repo.id, title: 'fix checkout', mode: 'worktree' }))
    git(t.worktreePath, 'config', 'user.name', 'P')
    git(t.worktreePath, 'config', 'user.email', 'p@example.com')
    expect((await client.request('ci/statuses')).statuses).toEqual([])

    writeFile(join(t.worktreePath, 'fix.txt'), 'one\n')
    must(await core.review.commit(t.id, 'first try'))
    const sha1 = git(t.worktreePath, 'rev-parse', 'HEAD')
    const log = [
      'setup ok',
      ...Array.from({ length: 300 }, (_, i) => `step ${i}`),
      'FAIL src/cart.test.ts',
      '  expected 42, got 41',
      'npm ERR! Test failed.'
    ].join('\n')
    gh.setCheckRun('acme/shop', sha1, { id: 101, name: 'test (ubuntu)', status: 'completed', conclusion: 'failure', log })
    await client.request('review/push', { threadId: t.id })
    await eventually(() => updates.some((s) => s.threadId === t.id && s.overall === 'failed' && s.commit === sha1), 'the failed check')
    const status = updates.filter((s) => s.threadId === t.id).at(-1)!
    expect(status.checks.map((c) => [c.name, c.state, c.provider])).toEqual([['test (ubuntu)', 'failed', 'github']])
    expect((await client.request('ci/statuses')).statuses.map((s) => s.threadId)).toEqual([t.id])

    const shown = await client.request('ci/log', { threadId: t.id, checkId: status.checks[0]!.id })
    expect(shown.firstErrorLine).toBe(302)
    expect(shown.segments.flatMap((s) => s.lines)).toContain('FAIL src/cart.test.ts')

    model.push({ text: 'I will fix the cart total.' })
    const sent = await client.request('ci/sendFailure', { threadId: t.id, checkId: status.checks[0]!.id })
    expect(sent.delivery).toMatchObject({ delivered: true, to: 'built-in-agent' })
    await eventually(
      () => model.requests.some((r) => JSON.stringify(r.body.messages).includes('FAIL src/cart.test.ts')),
      'the agent to get the failure'
    )
    const message = JSON.stringify(model.requests.at(-1)!.body.messages)
    expect(message).toContain('test (ubuntu)')
    expect(message).toContain(sha1.slice(0, 7))

    writeFile(join(t.worktreePath, 'fix.txt'), 'two\n')
    must(await core.review.commit(t.id, 'second try'))
    const sha2 = git(t.worktreePath, 'rev-parse', 'HEAD')
    gh.setCheckRun('acme/shop', sha2, { id: 102, name: 'test (ubuntu)', status: 'completed', conclusion: 'success', log: 'all good' })
    await client.request('review/push', { threadId: t.id })
    await eventually(
      () => updates.some((s) => s.threadId === t.id && s.overall === 'passed' && s.commit === sha2),
      'the green check after the new push'
    )

    // Archived threads are never polled.
    must(await core.threads.archive(t.id))
    await eventually(async () => (await client.request('ci/statuses')).statuses.length === 0, 'the archived thread to leave CI')
    expect(updates.at(-1)).toMatchObject({ threadId: t.id, overall: 'none', checks: [] })
    client.dispose()
    await core.close()
  })

  it("runs a configured local check in the worktree, streams its output, and offers the repository's commands", async () => {
    const { core } = await makeCore(tempDir('skein-home-'), { listenSocket: true })
    const client = new RpcClient(socketTransport(connect(core.dataDir.socketPath)))
    const output: string[] = []
    client.on('ci/localOutput', (p) => void output.push(p.chunk))
    const repoDir = makeRepo()
    writeFile(join(repoDir, 'package.json'), JSON.stringify({ scripts: { test: 'vitest', lint: 'eslint .' } }))
    git(repoDir, 'add', '-A')
    git(repoDir, 'commit', '-qm', 'scripts')
    const repo = must(await core.repos.add(repoDir))
    await client.request('ci/configure', { repoId: repo.id, checks: ['echo checking && exit 3'] })
    const t = must(await core.threads.create({ repoId: repo.id, title: 'local', mode: 'worktree' }))
    const checks = await client.request('ci/checks', { threadId: t.id })
    expect(checks.configured).toEqual(['echo checking && exit 3'])
    expect(checks.suggestions.map((s) => s.command)).toEqual(expect.arrayContaining(['npm test', 'npm run lint']))
    const run = await client.request('ci/runLocal', { threadId: t.id, command: checks.configured[0]! })
    await eventually(
      async () => (await client.request('ci/checks', { threadId: t.id })).runs[0]?.state === 'failed',
      'the local run to fail'
    )
    const done = (await client.request('ci/checks', { threadId: t.id })).runs[0]!
    expect(done).toMatchObject({ id: run.id, exitCode: 3, commit: git(t.worktreePath, 'rev-parse', 'HEAD'), dirty: false })
    expect(output.join('')).toContain('checking')
    const status = (await client.request('ci/statuses')).statuses.find((s) => s.threadId === t.id)!
    expect(status.overall).toBe('failed')
    client.dispose()
    await core.close()
  })
})
