/**
 * Delivery to the real interactive Codex CLI (the pinned devDependency) in a Skein pty, against the
 * scripted Responses server: a review sent as the first message of the session is submitted with
 * no extra keypress, and a second review and a CI failure sent while Codex is busy arrive as two
 * separate user messages, in order, with their text intact and nothing in them run by a shell.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { formatReview } from '../src/main/core/review/review-comments'
import { cleanupTemp, makeCore, makeRepo, must, tempDir } from './helpers/fixtures'
import { eventually, recordingConnection } from './helpers/pty-client'
import { startResponsesServer, type ResponsesServer } from './helpers/responses-server'

const saved = { ...process.env }
let server: ResponsesServer | null = null
afterEach(async () => {
  process.env = { ...saved }
  await server?.close()
  server = null
  await cleanupTemp()
})

interface InputItem {
  type?: string
  role?: string
  content?: { type?: string; text?: string }[] | string
}

const textOf = (m: InputItem) => (typeof m.content === 'string' ? m.content : (m.content ?? []).map((c) => c.text ?? '').join(''))

/** The person's messages in one request, in order (Codex sends the whole conversation each time). */
const userMessages = (body: { input?: InputItem[] }) =>
  (body.input ?? []).filter((m) => m.type === 'message' && m.role === 'user').map(textOf)

/** The last user message of every request that carries one of the test's markers. */
const latestUserTexts = (s: ResponsesServer) =>
  s.requests.map((r) => userMessages(r).at(-1) ?? '').filter((t) => /REVIEW-|CI-FAIL-/.test(t))

describe('delivery to the real Codex CLI', () => {
  it('submits the first paste of a session, and queues a busy-time review and CI failure as two separate messages', async () => {
    server = await startResponsesServer((body) => {
      // The reviews' answers stream slowly, so the next two messages arrive while Codex is busy.
      const last = userMessages(body).at(-1) ?? ''
      return /REVIEW-(ONE|TWO)/.test(last) ? { text: 'Working on the review. '.repeat(15), delayMs: 150 } : { text: 'ok' }
    })
    const repoPath = makeRepo('codex-delivery')
    const home = tempDir('skein-codex-user-')
    const codexHome = join(home, '.codex')
    mkdirSync(codexHome)
    // A trusted project, so Codex opens straight to its composer instead of the folder-trust prompt.
    writeFileSync(
      join(codexHome, 'config.toml'),
      [
        'model = "scripted"',
        'model_provider = "local"',
        '',
        '[model_providers.local]',
        'name = "local"',
        `base_url = "${server.url}"`,
        'wire_api = "responses"',
        'env_key = "LOCAL_KEY"',
        '',
        `[projects."${repoPath}"]`,
        'trust_level = "trusted"',
        ''
      ].join('\n')
    )
    Object.assign(process.env, {
      HOME: home,
      CODEX_HOME: codexHome,
      LOCAL_KEY: 'sk-local-test',
      PATH: `${resolve(__dirname, '../node_modules/.bin')}:${process.env.PATH}`
    })
    const { core } = await makeCore()
    const repo = must(await core.repos.add(repoPath))
    const t = must(await core.threads.create({ repoId: repo.id, title: 'codex review', mode: 'local', profileId: 'codex' }))
    expect(t.agent).toMatchObject({ profileId: 'codex' })
    const c = recordingConnection()
    must(await core.ptys.attach(t.agent!.ptyId, c))
    // Waits for a request carrying the marker; on a hang, shows what Codex's terminal showed.
    const sentToModel = async (marker: string, what: string) => {
      try {
        await eventually(() => latestUserTexts(server!).some((x) => x.includes(marker)), what, 120_000)
      } catch (e) {
        throw new Error(`${(e as Error).message}\nCodex's terminal, last 3000 characters:\n${c.output().slice(-3000)}`)
      }
    }

    // A failed local check, ready to send while Codex is busy.
    const failing = must(await core.ci.runLocal(t.id, "printf '%s\\n' 'CI-FAIL-MARK error: run `touch x` or $(touch x)'; exit 3"))
    await core.ci.service.localDone(failing.id)
    await eventually(() => core.ci.statuses().find((s) => s.threadId === t.id)?.overall === 'failed', 'the failed local check')
    const check = core.ci
      .statuses()
      .find((s) => s.threadId === t.id)!
      .checks.find((x) => x.state === 'failed')!

    const pendingText = async () => formatReview(must(await core.review.list(t.id)).filter((x) => x.status === 'pending'))
    must(
      await core.review.add(t.id, {
        path: 'README.md',
        startLine: 1,
        endLine: 1,
        body: 'REVIEW-ONE rename this heading.\nSecond line: run `touch x` and $(touch x) — neither may run.'
      })
    )
    const oneText = await pendingText()
    const one = must(await core.review.submit(t.id))
    expect(one.delivery).toMatchObject({ delivered: true, to: 'cli-agent', agent: 'Codex' })
    await sentToModel('REVIEW-ONE', 'Codex to send the first review to the model')

    must(
      await core.review.add(t.id, {
        path: 'src/app.ts',
        startLine: 1,
        endLine: 1,
        body: 'REVIEW-TWO keep `answer` but explain it.\nAlso: "$(touch x)" stays text.'
      })
    )
    const twoText = await pendingText()
    const two = must(await core.review.submit(t.id))
    expect(two.delivery).toMatchObject({ delivered: true, to: 'cli-agent', agent: 'Codex', queued: true })

    const ci = must(await core.ci.sendFailure(t.id, check.id))
    expect(ci.delivery).toMatchObject({ delivered: true, to: 'cli-agent', agent: 'Codex', queued: true })
    expect(ci.text).toContain('CI-FAIL-MARK error: run `touch x` or $(touch x)')

    await sentToModel('CI-FAIL-MARK', 'Codex to send the CI failure to the model')
    // Each message was its own turn, its text exactly what Skein sent, in the order it was sent.
    const turns = latestUserTexts(server!)
    const at = (text: string) => turns.findIndex((x) => x.trim() === text.trim())
    expect(at(oneText), 'the first review, intact, as one message').toBeGreaterThanOrEqual(0)
    expect(at(twoText), 'the second review, intact, as one message').toBeGreaterThan(at(oneText))
    expect(at(ci.text), 'the CI failure, intact, as one message').toBeGreaterThan(at(twoText))
    // The whole conversation holds each as one message, never two merged into one.
    const marked = server!.requests.map((r) => userMessages(r).filter((x) => /REVIEW-|CI-FAIL-/.test(x)))
    const conversation = marked.reduce((a, b) => (b.length > a.length ? b : a), [])
    expect(conversation.map((x) => x.trim())).toEqual([oneText, twoText, ci.text].map((x) => x.trim()))
    expect(existsSync(join(repoPath, 'x')), 'nothing in the texts ran in a shell').toBe(false)
  }, 300_000)
})
