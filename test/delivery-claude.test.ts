/**
 * Delivery to the real interactive Claude Code CLI (the pinned devDependency) in a Skein pty,
 * against the scripted Messages server: a review sent as the first message of the session is
 * submitted without any extra keypress, and two reviews sent while it is busy arrive as two
 * separate user messages, in order; a CI failure follows as one more message, its text intact.
 */
import { existsSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { cleanupTemp, makeCore, makeRepo, must, tempDir } from './helpers/fixtures'
import { startModelServer, type ModelServer } from './helpers/model-server'
import { eventually, recordingConnection } from './helpers/pty-client'

const saved = { ...process.env }
let server: ModelServer | null = null
afterEach(async () => {
  process.env = { ...saved }
  await server?.close()
  server = null
  await cleanupTemp()
})

// The person's latest message in each request. Claude Code 2.x sends its environment as a trailing
// `system` message, so the last message is not the user's.
const userTexts = (s: ModelServer) =>
  s.requests
    .map((r) => JSON.stringify((r.body?.messages ?? []).filter((m: { role: string }) => m.role === 'user').at(-1)?.content ?? ''))
    .filter((t) => t.includes('REVIEW-') || t.includes('CI-FAIL-'))

// The exact text of the person's latest message in the request that carried `marker`.
const userMessage = (s: ModelServer, marker: string): string => {
  for (const r of s.requests) {
    const content = (r.body?.messages ?? []).filter((m: { role: string }) => m.role === 'user').at(-1)?.content ?? ''
    const text =
      typeof content === 'string'
        ? content
        : (content as { type: string; text?: string }[]).map((b) => (b.type === 'text' ? (b.text ?? '') : '')).join('\n')
    if (text.includes(marker)) return text
  }
  return ''
}

describe('delivery to the real Claude Code CLI', () => {
  it('submits the first paste of a session with its text intact, queues two busy-time reviews as two separate messages, and sends a CI failure as its own message', async () => {
    const key = 'sk-ant-test-0123456789abcdefghijklmnop'
    server = await startModelServer({
      // The first review's answer streams slowly, so the next two arrive while Claude Code is busy.
      respond: (body) =>
        JSON.stringify(body.messages ?? '').includes('REVIEW-ONE') && !JSON.stringify(body.messages).includes('REVIEW-TWO')
          ? { text: 'Working on the first review. '.repeat(20), delayMs: 40, chunkSize: 4 }
          : { text: 'ok' }
    })
    const repoPath = makeRepo('claude-delivery')
    const home = tempDir('skein-claude-user-')
    writeFileSync(
      join(home, '.claude.json'),
      JSON.stringify({
        hasCompletedOnboarding: true,
        projects: { [repoPath]: { hasTrustDialogAccepted: true } },
        customApiKeyResponses: { approved: [key.slice(-20)], rejected: [] }
      })
    )
    Object.assign(process.env, {
      HOME: home,
      PATH: `${resolve(__dirname, '../node_modules/.bin')}:${process.env.PATH}`,
      ANTHROPIC_BASE_URL: server.url,
      ANTHROPIC_API_KEY: key,
      DISABLE_AUTOUPDATER: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1'
    })
    const { core } = await makeCore()
    const repo = must(await core.repos.add(repoPath))
    const t = must(await core.threads.create({ repoId: repo.id, title: 'claude review', mode: 'local', profileId: 'claude' }))
    const c = recordingConnection()
    must(await core.ptys.attach(t.agent!.ptyId, c))

    const outside = tempDir('skein-outside-')
    const body = `REVIEW-ONE rename this heading\nuse \`rm -rf dist\` only after $(touch ${outside}/pwned)\n  keep this indented line`
    must(await core.review.add(t.id, { path: 'README.md', startLine: 1, endLine: 1, body }))
    const first = must(await core.review.submit(t.id))
    expect(first.delivery).toMatchObject({ delivered: true, to: 'cli-agent', agent: 'Claude Code' })
    await eventually(
      () => userTexts(server!).some((x) => x.includes('REVIEW-ONE')),
      'Claude Code to send the first review to the model',
      120_000
    )
    // The text arrives intact, every line of it, and nothing in it ran.
    const sent = userMessage(server!, 'REVIEW-ONE')
    for (const line of body.split('\n')) expect(sent).toContain(line)
    expect(existsSync(join(outside, 'pwned'))).toBe(false)

    must(await core.review.add(t.id, { path: 'README.md', startLine: 1, endLine: 1, body: 'REVIEW-TWO second' }))
    const second = must(await core.review.submit(t.id))
    must(await core.review.add(t.id, { path: 'README.md', startLine: 1, endLine: 1, body: 'REVIEW-THREE third' }))
    const third = must(await core.review.submit(t.id))
    expect(second.delivery).toMatchObject({ delivered: true, queued: true })
    expect(third.delivery).toMatchObject({ delivered: true, queued: true })
    await eventually(() => userTexts(server!).some((x) => x.includes('REVIEW-THREE')), 'Claude Code to send the third review', 120_000)
    const lasts = userTexts(server!)
    const two = lasts.findIndex((x) => x.includes('REVIEW-TWO'))
    const three = lasts.findIndex((x) => x.includes('REVIEW-THREE'))
    expect(two).toBeGreaterThanOrEqual(0)
    expect(three).toBeGreaterThan(two)
    // Never merged: the request carrying the second review's turn does not carry the third.
    expect(lasts[two]).not.toContain('REVIEW-THREE')

    // A CI failure sent from Skein arrives as its own user message, its log excerpt intact.
    const failing = must(await core.ci.runLocal(t.id, `echo "CI-FAIL-77 expected 3, got \\\`4\\\`"; exit 3`))
    await core.ci.service.localDone(failing.id)
    await eventually(() => core.ci.statuses().find((s) => s.threadId === t.id)?.overall === 'failed', 'the failed local check')
    const check = core.ci
      .statuses()
      .find((s) => s.threadId === t.id)!
      .checks.find((x) => x.state === 'failed')!
    const ci = must(await core.ci.sendFailure(t.id, check.id))
    expect(ci.delivery).toMatchObject({ delivered: true, to: 'cli-agent', agent: 'Claude Code' })
    await eventually(() => userMessage(server!, 'CI-FAIL-77') !== '', 'Claude Code to send the CI failure', 120_000)
    const failure = userMessage(server!, 'CI-FAIL-77')
    expect(failure).toContain('CI-FAIL-77 expected 3, got `4`')
    expect(failure).not.toContain('REVIEW-')
  }, 300_000)
})
