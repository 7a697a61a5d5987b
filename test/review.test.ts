import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { formatReview, reanchor } from '../src/main/core/review/review-comments'
import type { ReviewComment } from '../src/shared/review'
import { useScriptedModel, type ModelServer } from './helpers/model-server'
import { cleanupTemp, makeCore, makeRepo, must, tempDir } from './helpers/fixtures'
import { eventually, recordingConnection } from './helpers/pty-client'

let server: ModelServer
beforeAll(async () => {
  server = await useScriptedModel()
})
afterAll(() => server.close())
afterEach(cleanupTemp)

const comment = (over: Partial<ReviewComment>): ReviewComment => ({
  id: 'c1',
  path: 'a.ts',
  startLine: 3,
  endLine: 4,
  body: 'why?',
  code: 'line 3\nline 4',
  status: 'pending',
  createdAt: 1,
  sentAt: null,
  ...over
})

describe('review comments', () => {
  it('stay anchored after unrelated edits above, and are marked outdated when their lines go', () => {
    const base = ['line 1', 'line 2', 'line 3', 'line 4', 'line 5'].join('\n')
    expect(reanchor(comment({}), base)).toMatchObject({ startLine: 3, endLine: 4, status: 'pending' })
    const shifted = ['new a', 'new b', 'line 1', 'line 2', 'line 3', 'line 4', 'line 5'].join('\n')
    expect(reanchor(comment({}), shifted)).toMatchObject({ startLine: 5, endLine: 6, status: 'pending' })
    const removed = ['line 1', 'line 2', 'line 5'].join('\n')
    expect(reanchor(comment({}), removed)).toMatchObject({ status: 'outdated', body: 'why?' })
    expect(reanchor(comment({}), null).status).toBe('outdated')
  })

  it('formats a review as one message with file, line range and code per comment', () => {
    const text = formatReview([
      comment({}),
      comment({ id: 'c2', path: 'b.md', startLine: 7, endLine: 7, code: 'has ``` fence', body: '  typo  ' })
    ])
    expect(text).toBe(
      'Review of your changes — 2 comments. Please address each one.\n\n' +
        '1. a.ts:3-4\n```\nline 3\nline 4\n```\nwhy?\n\n' +
        '2. b.md:7\n~~~\nhas ``` fence\n~~~\ntypo'
    )
  })

  it('persists comments in the thread log, sends them to the built-in agent as one message, and keeps them as sent', async () => {
    const home = tempDir('skein-home-')
    const first = await makeCore(home)
    const repo = must(await first.core.repos.add(makeRepo()))
    const t = must(await first.core.threads.create({ repoId: repo.id, title: 'review', mode: 'worktree' }))
    writeFileSync(join(t.worktreePath, 'src/app.ts'), 'export const answer = 43\nexport const x = 1\n')
    must(await first.core.review.add(t.id, { path: 'src/app.ts', startLine: 1, endLine: 1, body: 'Why 43?' }))
    const second = must(await first.core.review.add(t.id, { path: 'README.md', startLine: 1, endLine: 1, body: 'Say more here.' }))
    must(await first.core.review.edit(t.id, second.id, 'Say much more here.'))
    const refused = await first.core.review.add(t.id, { path: '../outside.txt', startLine: 1, endLine: 1, body: 'x' })
    expect(refused.ok).toBe(false)
    await first.core.close()

    const again = await makeCore(home)
    const listed = must(await again.core.review.list(t.id))
    expect(listed.map((c) => c.body)).toEqual(['Why 43?', 'Say much more here.'])
    server.push({ text: 'Will do.' })
    expect(must(await again.core.review.submit(t.id))).toEqual({
      sent: 2,
      delivery: { delivered: true, to: 'built-in-agent', agent: 'the built-in agent', queued: false }
    })
    await eventually(
      () => again.core.threads.list().find((x) => x.id === t.id)?.conversation.busy === false && server.requests.length > 0,
      'the turn'
    )
    const sent = JSON.stringify(server.requests.at(-1)!.body.messages)
    expect(sent).toContain('src/app.ts:1')
    expect(sent).toContain('Why 43?')
    expect(sent).toContain('README.md:1')
    expect(must(await again.core.review.list(t.id)).every((c) => c.status === 'sent')).toBe(true)
    expect((await again.core.review.submit(t.id)).ok).toBe(false)
    // A later edit that removes the commented line marks it outdated, never drops it.
    writeFileSync(join(t.worktreePath, 'src/app.ts'), 'export const x = 1\n')
    const after = must(await again.core.review.list(t.id))
    expect(after.find((c) => c.path === 'src/app.ts')?.status).toBe('outdated')
    expect(after).toHaveLength(2)
  })

  it('types the review into a running CLI agent as one pasted prompt', async () => {
    const { core } = await makeCore()
    const repo = must(await core.repos.add(makeRepo()))
    must(await core.profiles.configure(repo.id, { customCommand: 'cat', customAcceptsPrompt: true }))
    const t = must(await core.threads.create({ repoId: repo.id, title: 'cli review', mode: 'local', profileId: 'custom' }))
    const c = recordingConnection()
    must(await core.ptys.attach(t.agent!.ptyId, c))
    must(await core.review.add(t.id, { path: 'README.md', startLine: 1, endLine: 1, body: 'Rename this heading.' }))
    expect(must(await core.review.submit(t.id))).toMatchObject({ sent: 1, delivery: { delivered: true, to: 'cli-agent', agent: 'Custom' } })
    await c.waitFor(/Rename this heading\./)
    expect(c.output()).toContain('README.md:1')
    expect(readFileSync(join(t.worktreePath, 'README.md'), 'utf8')).toBe('# test repo\n')
  })
})
