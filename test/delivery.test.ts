/**
 * Text meant for a thread's agent (review comments, CI failures, first prompts) is never typed
 * into a plain shell, which would run it: the outcome says why instead.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { cleanupTemp, makeCore, makeRepo, must, tempDir } from './helpers/fixtures'
import { eventually, recordingConnection } from './helpers/pty-client'

afterEach(cleanupTemp)

/** Types a marker command and waits for its output: anything typed earlier has run by then. */
async function drained(core: Awaited<ReturnType<typeof makeCore>>['core'], ptyId: string, output: () => string): Promise<void> {
  const n = Math.floor(Math.random() * 1e6)
  must(core.ptys.write(ptyId, `echo drained_$((${n}+1))\r`))
  await eventually(() => output().includes(`drained_${n + 1}`), 'the shell to run the marker command')
}

describe('delivery to a thread whose terminal is a plain shell', () => {
  it('does not type a review or a CI failure into the shell, and says why', async () => {
    const outside = tempDir('skein-outside-')
    const { core } = await makeCore()
    const repo = must(await core.repos.add(makeRepo()))
    const t = must(await core.threads.create({ repoId: repo.id, title: 'shell thread', mode: 'worktree', profileId: 'shell' }))
    const c = recordingConnection()
    must(await core.ptys.attach(t.agent!.ptyId, c))

    must(await core.review.add(t.id, { path: 'README.md', startLine: 1, endLine: 1, body: `use \`touch ${outside}/pwned\` here` }))
    const review = must(await core.review.submit(t.id))
    expect(review).toMatchObject({ sent: 0, delivery: { delivered: false, reason: 'shell', agent: 'Shell' } })
    expect(review.delivery.delivered === false && review.delivery.text).toContain(`touch ${outside}/pwned`)
    expect(must(await core.review.list(t.id)).map((x) => x.status)).toEqual(['pending'])

    const failing = must(await core.ci.runLocal(t.id, `echo "run \\\`touch ${outside}/pwned-ci\\\` to fix"; exit 3`))
    await core.ci.service.localDone(failing.id)
    await eventually(() => core.ci.statuses().find((s) => s.threadId === t.id)?.overall === 'failed', 'the failed local check')
    const check = core.ci
      .statuses()
      .find((s) => s.threadId === t.id)!
      .checks.find((x) => x.state === 'failed')!
    const ci = must(await core.ci.sendFailure(t.id, check.id))
    expect(ci.delivery).toMatchObject({ delivered: false, reason: 'shell' })

    await drained(core, t.agent!.ptyId, () => c.output())
    expect(existsSync(join(outside, 'pwned'))).toBe(false)
    expect(existsSync(join(outside, 'pwned-ci'))).toBe(false)
    const scrollback = must(await core.ptys.attach(t.agent!.ptyId, recordingConnection())).scrollback
    expect(scrollback).not.toContain('pwned')
    expect(c.output()).not.toContain('pwned')
  })

  it('starts a shell thread without typing its prompt into the shell', async () => {
    const outside = tempDir('skein-outside-')
    const { core } = await makeCore()
    const repo = must(await core.repos.add(makeRepo()))
    const t = must(
      await core.threads.create({ repoId: repo.id, title: 'p', mode: 'worktree', profileId: 'shell', prompt: `touch ${outside}/pwned` })
    )
    const c = recordingConnection()
    must(await core.ptys.attach(t.agent!.ptyId, c))
    await drained(core, t.agent!.ptyId, () => c.output())
    expect(existsSync(join(outside, 'pwned'))).toBe(false)
    expect(c.output()).not.toContain('pwned')
  })
})
