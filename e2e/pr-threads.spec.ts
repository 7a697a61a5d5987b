import { expect, test } from '@playwright/test'
import { FakeGithub } from '../test/helpers/fake-github'
import { FakeGithubPulls } from '../test/helpers/fake-github-pulls'
import { FakeGithubThreads } from '../test/helpers/fake-github-threads'
import { startModelServer, type ModelServer } from '../test/helpers/model-server'
import { diffPane, monacoDiff, openChangesTab, openDiff } from './support/changes-page'
import { commitIn, configureFakeGithub, dismissToasts, hostedGithubRepo, openCiTab } from './support/ci-page'
import { connectClient, threadNamed } from './support/core-client'
import { startCore, type CoreProcess } from './support/core-process'
import { addRepository, createThread, screenshotBothThemes } from './support/skein-page'
import { prepareTerminalPage } from './support/terminal-page'

let cores: CoreProcess[] = []
let servers: ModelServer[] = []
let fakes: FakeGithub[] = []
test.afterEach(async () => {
  await Promise.all(cores.map((c) => c.stop('SIGKILL')))
  await Promise.all(servers.map((s) => s.close()))
  await Promise.all(fakes.map((f) => f.close()))
  cores = []
  servers = []
  fakes = []
})

const FILE = Array.from({ length: 20 }, (_, i) => `export const limit${i + 1} = ${i + 1}`).join('\n') + '\n'

test('review threads from GitHub in the Changes tab: on their lines after a further commit, outdated, replied to, resolved, sent to the agent', async ({
  page
}) => {
  const fake = await FakeGithub.start()
  fakes.push(fake)
  const pulls = FakeGithubPulls.attach(fake)
  const threads = FakeGithubThreads.attach(fake)
  const asked: string[] = []
  const model = await startModelServer({
    respond: (body: { messages?: unknown }) => {
      asked.push(JSON.stringify(body.messages ?? ''))
      return { text: 'Noted.' }
    },
    apiKey: 'test-key'
  })
  servers.push(model)
  const core = await startCore({
    env: { ANTHROPIC_BASE_URL: model.url, ANTHROPIC_API_KEY: 'test-key', SHELL: '/bin/bash', GITHUB_TOKEN: fake.token }
  })
  cores.push(core)
  const { repo, bare } = hostedGithubRepo('limits')
  pulls.setRemote('acme/limits', bare)
  await prepareTerminalPage(page)
  await page.goto(core.url)
  await addRepository(page, repo)
  await createThread(page, { via: 'sidebar-button', repo: 'limits', title: 'Tune the limits', prompt: 'Add the limits file.' })
  await expect(page.getByText('Noted.')).toBeVisible()
  const thread = await threadNamed(core, 'Tune the limits')
  await openCiTab(page)
  await configureFakeGithub(page, fake.baseUrl)
  const head = commitIn(thread.worktreePath, 'limits.ts', FILE, 'Add the limits')
  const client = await connectClient(core)
  await client.request('pr/create', { threadId: thread.id, title: 'Tune the limits' })

  const on10 = threads.comment('acme/limits', {
    pull: 1,
    path: 'limits.ts',
    line: 10,
    body: 'Is **10** enough?',
    user: 'octocat',
    commitId: head
  })
  threads.comment('acme/limits', { pull: 1, path: 'limits.ts', body: 'I think so.', user: 'hubot', commitId: head, inReplyTo: on10.id })
  const on15 = threads.comment('acme/limits', {
    pull: 1,
    path: 'limits.ts',
    line: 15,
    body: 'Drop `limit15`.',
    user: 'monalisa',
    commitId: head
  })
  const lines = FILE.split('\n')
  lines[14] = 'export const limit15 = "gone"'
  commitIn(thread.worktreePath, 'limits.ts', ['// a', '// b', '// c', ...lines].join('\n'), 'Rework the limits')

  await test.step('threads show on their lines (moved by the commit), the rewritten one as outdated', async () => {
    await openChangesTab(page)
    await openDiff(page, 'limits.ts')
    const card = monacoDiff(page).locator(`[data-remote-thread="${on10.id}"]`)
    await expect(card).toBeVisible()
    await expect(card).toContainText('Line 13')
    await expect(card).toContainText('octocat')
    await expect(card.locator('strong', { hasText: '10' }).first()).toBeVisible()
    await expect(card).toContainText('I think so.')
    const outdated = diffPane(page).getByRole('region', { name: 'Review threads not on a line' })
    await expect(outdated.locator(`[data-remote-thread="${on15.id}"]`)).toContainText('Outdated')
    await expect(page.getByRole('region', { name: 'Review threads', exact: true })).toContainText(
      '2 review threads from GitHub: 2 unresolved'
    )
    await dismissToasts(page)
    await screenshotBothThemes(page, 'pr-threads')
  })

  await test.step('reply and resolve from Skein reach GitHub', async () => {
    const card = monacoDiff(page).locator(`[data-remote-thread="${on10.id}"]`)
    await card.getByRole('button', { name: 'Reply' }).click()
    await card.getByRole('textbox').fill('Raised to 13 in the next commit.')
    await card.getByRole('button', { name: 'Reply' }).click()
    await expect(card.locator('.remote-comment').last()).toContainText('Raised to 13 in the next commit.')
    await expect(card.getByRole('textbox')).toBeHidden()
    expect(threads.replies.map((r) => r.body)).toEqual(['Raised to 13 in the next commit.'])
    const outdated = diffPane(page).locator(`[data-remote-thread="${on15.id}"]`)
    await outdated.getByRole('button', { name: 'Resolve' }).click()
    await expect(outdated).toContainText('Resolved')
    expect(threads.resolved.has(on15.id)).toBe(true)
    await expect(page.getByRole('region', { name: 'Review threads', exact: true })).toContainText('1 unresolved, 1 resolved')
    await dismissToasts(page)
    await screenshotBothThemes(page, 'pr-threads-replied')
  })

  await test.step('Send unresolved threads to agent: one message with the open thread only', async () => {
    const before = asked.length
    await page.getByRole('button', { name: 'Send unresolved threads to agent' }).click()
    await expect(page.getByText('Sent the review thread to the built-in agent')).toBeVisible()
    await expect.poll(() => asked.length).toBeGreaterThan(before)
    const message = asked.slice(before).join('\n')
    expect(message).toContain('limits.ts:13')
    expect(message).toContain('Raised to 13 in the next commit.')
    expect(message).not.toContain('Drop `limit15`')
  })
  expect(threads.graphqlRejected).toBe(0)
  expect(fake.violations.filter((v) => v.includes('/comments'))).toEqual([])
})
