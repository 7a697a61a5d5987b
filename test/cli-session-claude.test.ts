/**
 * The real interactive Claude Code CLI in Skein ptys, against the scripted Messages server: Skein
 * names a new session with `--session-id`, so the thread's agent state carries it from the start;
 * `sessionPoint` reads where the session stood after turn 1 and after turn 3; `forkLaunch` from the
 * turn-1 point starts a new session whose first request holds turn 1 only, under a new id, and the
 * original session file is not changed by any of it.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { forkLaunch, sessionPoint } from '../src/main/core/agents/cli-session'
import { claudeSessionFile } from '../src/main/core/agents/claude-session'
import type { SessionPoint } from '../src/shared/checkpoints'
import type { Thread } from '../src/shared/models'
import { deliveryFor, conversations, markers, startEchoServer, useClaudeHome } from './helpers/cli-agents'
import { cleanupTemp, makeCore, makeRepo, must, tempDir } from './helpers/fixtures'
import type { ModelServer } from './helpers/model-server'
import { eventually } from './helpers/pty-client'

const saved = { ...process.env }
let server: ModelServer | null = null
afterEach(async () => {
  await cleanupTemp()
  process.env = { ...saved }
  await server?.close()
  server = null
})

/** The conversation each streamed turn request carried, as its markers (Claude Code's side requests are not streamed). */

/** The text of the record with this uuid in a Claude Code session file. */
function recordText(file: string, uuid: string): string {
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.includes(uuid)) continue
    const r = JSON.parse(line)
    if (r.uuid === uuid) return JSON.stringify(r.message?.content ?? '')
  }
  return ''
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')

describe('Claude Code sessions: launch, points and forks', () => {
  it('knows the session from launch, reads its points, and forks it at turn 1 without touching the original', async () => {
    server = await startEchoServer()
    const repoPath = makeRepo('claude-sessions')
    const { trust } = useClaudeHome([repoPath], server.url)
    const { core } = await makeCore()
    const delivery = deliveryFor(core)
    const repo = must(await core.repos.add(repoPath))
    const thread = async (id: string): Promise<Thread> => must(await core.threads.get(id))
    const original = must(await core.threads.create({ repoId: repo.id, title: 'original', mode: 'local' }))
    const opened = must(await core.ptys.open(original.id, { kind: 'agent', profileId: 'claude', cols: 120, rows: 32 }))
    expect(opened.command).toMatch(/^claude --session-id [0-9a-f-]{36}$/)

    // The session is known as soon as the agent starts, before Claude Code wrote anything.
    await eventually(async () => Boolean((await thread(original.id)).agent?.session), 'the agent state to carry the session')
    const session = (await thread(original.id)).agent!.session!
    expect(session.source).toBe('claude')
    expect(opened.command).toContain(session.sessionId)

    const turn = async (threadId: string, marker: string) => {
      const sent = must(await delivery.deliver(await thread(threadId), `PROMPT-${marker}`))
      expect(sent).toMatchObject({ delivered: true, to: 'cli-agent' })
      await eventually(
        () => conversations(server!).some((c) => c.at(-1) === `PROMPT-${marker}`),
        `Claude Code to send PROMPT-${marker}`,
        120_000
      )
    }
    // Waits until the session file's point is the reply to `marker` (the turn has been written whole).
    const pointAfter = async (marker: string): Promise<SessionPoint> => {
      let point: SessionPoint | null = null
      await eventually(
        async () => {
          point = await sessionPoint(session, repoPath, process.env)
          const file = await claudeSessionFile(session.sessionId, repoPath, process.env)
          return Boolean(point?.at && file && recordText(file, point.at).includes(`REPLY-${marker}`))
        },
        `the session's point to be the reply to PROMPT-${marker}`,
        120_000
      )
      return point!
    }

    await turn(original.id, 'ONE')
    const afterOne = await pointAfter('ONE')
    expect(afterOne).toMatchObject({ source: 'claude', sessionId: session.sessionId })
    await turn(original.id, 'TWO')
    await turn(original.id, 'THREE')
    const afterThree = await pointAfter('THREE')
    expect(afterThree.at).not.toBe(afterOne.at)
    // The original conversation really held all three turns.
    expect(conversations(server).find((c) => c.at(-1) === 'PROMPT-THREE')).toEqual([
      'PROMPT-ONE',
      'REPLY-ONE',
      'PROMPT-TWO',
      'REPLY-TWO',
      'PROMPT-THREE'
    ])

    // The original agent ends (Claude Code writes its last records on the way out); its thread still knows the session.
    must(await core.ptys.kill(opened.id))
    await eventually(async () => (await thread(original.id)).agent?.activity === 'exited', 'the original agent to exit')
    expect((await thread(original.id)).agent?.session).toEqual(session)
    const originalFile = (await claudeSessionFile(session.sessionId, repoPath, process.env))!
    const before = sha(originalFile)

    // The fork runs in a thread of its own, in a new worktree.
    const forked = must(await core.threads.create({ repoId: repo.id, title: 'fork', mode: 'worktree' }))
    const forkDir = forked.worktreePath
    trust(forkDir)
    const fork = must(await forkLaunch(afterOne, forkDir, { env: process.env, scratchDir: tempDir('skein-claude-forks-') }))
    expect(fork.sessionId).toMatch(/^[0-9a-f-]{36}$/)
    expect(fork.sessionId).not.toBe(session.sessionId)
    expect(fork.args).toEqual(expect.arrayContaining(['--session-id', fork.sessionId!, '--fork-session', '--resume']))
    expect(fork.note).toContain(session.sessionId)

    must(
      await core.ptys.open(forked.id, {
        kind: 'agent',
        profileId: 'claude',
        resume: { args: fork.args, cwd: forkDir },
        cols: 120,
        rows: 32
      })
    )
    await eventually(async () => Boolean((await thread(forked.id)).agent?.session), 'the fork to carry its session')
    expect((await thread(forked.id)).agent!.session).toEqual({ source: 'claude', sessionId: fork.sessionId })

    await turn(forked.id, 'FOUR')
    // The fork's first request holds turn 1 and the new prompt, nothing of turns 2 and 3.
    expect(conversations(server).find((c) => c.at(-1) === 'PROMPT-FOUR')).toEqual(['PROMPT-ONE', 'REPLY-ONE', 'PROMPT-FOUR'])
    const fourth = server.requests.find((r) => r.body?.stream && markers(JSON.stringify(r.body.messages)).at(-1) === 'PROMPT-FOUR')
    expect(JSON.stringify(fourth?.body), 'the fork works in its own worktree').toContain(forkDir)
    // It is a session of its own, on disk under its new id, and the original's bytes are as they were.
    await eventually(
      async () => (await sessionPoint({ source: 'claude', sessionId: fork.sessionId! }, forkDir, process.env)) !== null,
      'the fork file'
    )
    expect(await claudeSessionFile(fork.sessionId!, forkDir, process.env)).not.toBe(originalFile)
    expect(sha(originalFile)).toBe(before)
  }, 400_000)
})
