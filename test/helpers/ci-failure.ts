import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import type { Core } from '../../src/main/core/core'
import type { Thread } from '../../src/shared/models'
import type { RpcClient } from '../../src/shared/rpc-client'
import { FakeGithub } from './fake-github'
import { git, githubShapedRepo, must, writeFile } from './fixtures'
import { eventually } from './pty-client'

/** A new worktree thread whose pushed commit fails CI on `gh` (as acme/shop), returned once the core's CI says so. */
export async function threadWithFailedCi(core: Core, client: RpcClient, gh: FakeGithub): Promise<Thread> {
  gh.addRepo('acme/shop')
  const repo = must(await core.repos.add(githubShapedRepo()))
  await client.request('ci/configure', { repoId: repo.id, override: { provider: 'github', baseUrl: gh.baseUrl } })
  const thread = must(await core.threads.create({ repoId: repo.id, title: 'fix checkout', mode: 'worktree' }))
  git(thread.worktreePath, 'config', 'user.name', 'P')
  git(thread.worktreePath, 'config', 'user.email', 'p@example.com')
  writeFile(join(thread.worktreePath, 'fix.txt'), 'one\n')
  must(await core.review.commit(thread.id, 'first try'))
  const sha = git(thread.worktreePath, 'rev-parse', 'HEAD')
  gh.setCheckRun('acme/shop', sha, { id: 101, name: 'test', status: 'completed', conclusion: 'failure', log: 'FAIL' })
  await client.request('review/push', { threadId: thread.id })
  await eventually(
    async () => (await client.request('ci/statuses')).statuses.some((s) => s.threadId === thread.id && s.overall === 'failed'),
    'the failed check'
  )
  return thread
}

/** A FakeGithub for the calling test file: started (GITHUB_TOKEN set to its token) before its tests, closed after them. */
export function useFakeGithub(): () => FakeGithub {
  let gh: FakeGithub | null = null
  beforeAll(async () => {
    gh = await FakeGithub.start()
    process.env.GITHUB_TOKEN = gh.token
  })
  afterAll(async () => {
    delete process.env.GITHUB_TOKEN
    await gh?.close()
  })
  return () => gh!
}
