/**
 * The real interactive Codex CLI in Skein ptys, against the scripted Responses server: Skein finds
 * the rollout a new session writes (Codex creates it with the first prompt), so the thread's agent
 * state carries the session id; `sessionPoint` counts its finished turns after turn 1 and turn 3;
 * `forkLaunch` from the turn-1 point resumes a copy of turn 1 under a new id, whose first request
 * holds turn 1 only, and the original rollout is not changed by any of it.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { forkLaunch, sessionPoint } from '../src/main/core/agents/cli-session'
import { codexSessionFile } from '../src/main/core/agents/codex-session'
import type { SessionPoint } from '../src/shared/checkpoints'
import type { Thread } from '../src/shared/models'
import { deliveryFor, markers, stopCodexDaemons, useCodexHome } from './helpers/cli-agents'
import { cleanupTemp, makeCore, makeRepo, must } from './helpers/fixtures'
import { eventually, recordingConnection } from './helpers/pty-client'
import { startResponsesServer, type ResponsesServer } from './helpers/responses-server'

const saved = { ...process.env }
let server: ResponsesServer | null = null
let codexHome: string | null = null
afterEach(async () => {
  await cleanupTemp()
  if (codexHome) stopCodexDaemons(codexHome)
  codexHome = null
  process.env = { ...saved }
  await server?.close()
  server = null
})

interface InputItem {
  type?: string
  role?: string
  content?: { text?: string }[] | string
}

/** The conversation of a request as its markers, from its user and assistant messages (Codex sends all of it each time). */
const conversation = (body: { input?: InputItem[] }): string[] =>
  markers(
    (body.input ?? [])
      .filter((m) => m.type === 'message' && (m.role === 'user' || m.role === 'assistant'))
      .map((m) => (typeof m.content === 'string' ? m.content : (m.content ?? []).map((c) => c.text ?? '').join('')))
      .join('\n')
  )

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')

describe('Codex sessions: launch, points and forks', () => {
  it('finds the session it launched, reads its points, and forks it after turn 1 without touching the original', async () => {
    // Each reply names the latest prompt of its request: REPLY-ONE answers PROMPT-ONE.
    server = await startResponsesServer((body) => {
      const prompt = conversation(body)
        .filter((m) => m.startsWith('PROMPT-'))
        .at(-1)
      return { text: `REPLY-${prompt?.slice('PROMPT-'.length) ?? 'NONE'}` }
    })
    const repoPath = makeRepo('codex-sessions')
    const user = useCodexHome([repoPath], server.url)
    codexHome = user.codexHome
    const { core } = await makeCore()
    const delivery = deliveryFor(core)
    const repo = must(await core.repos.add(repoPath))
    const thread = async (id: string): Promise<Thread> => must(await core.threads.get(id))
    const original = must(await core.threads.create({ repoId: repo.id, title: 'original', mode: 'local' }))
    const opened = must(await core.ptys.open(original.id, { kind: 'agent', profileId: 'codex', cols: 120, rows: 32 }))
    const screen = recordingConnection()
    must(await core.ptys.attach(opened.id, screen))
    // On a hang, say what the terminal showed.
    const waitFor = async (check: () => boolean | Promise<boolean>, what: string) => {
      try {
        await eventually(check, what, 120_000)
      } catch (e) {
        throw new Error(`${(e as Error).message}\nThe terminal, last 3000 characters:\n${screen.output().slice(-3000)}`)
      }
    }
    const turn = async (threadId: string, marker: string) => {
      const sent = must(await delivery.deliver(await thread(threadId), `PROMPT-${marker}`))
      expect(sent).toMatchObject({ delivered: true, to: 'cli-agent' })
      await waitFor(() => server!.requests.some((r) => conversation(r).at(-1) === `PROMPT-${marker}`), `Codex to send PROMPT-${marker}`)
    }
    const pointAt = async (turns: string): Promise<SessionPoint> => {
      let point: SessionPoint | null = null
      const session = (await thread(original.id)).agent!.session!
      await waitFor(async () => (point = await sessionPoint(session, repoPath, process.env))?.at === turns, `${turns} finished turns`)
      return point!
    }

    // Codex writes no rollout before the first prompt, so the session is not known yet.
    expect((await thread(original.id)).agent?.session ?? null).toBeNull()
    await turn(original.id, 'ONE')
    await waitFor(
      async () => Boolean((await thread(original.id)).agent?.session),
      'the agent state to carry the session found in its rollout'
    )
    const session = (await thread(original.id)).agent!.session!
    const originalFile = await codexSessionFile(session.sessionId, process.env)
    expect(originalFile, 'the found id is the rollout Codex wrote').toMatch(new RegExp(`rollout-.*-${session.sessionId}\\.jsonl$`))
    const afterOne = await pointAt('1')
    expect(afterOne).toEqual({ source: 'codex', sessionId: session.sessionId, at: '1' })
    await turn(original.id, 'TWO')
    await turn(original.id, 'THREE')
    await pointAt('3')
    expect(server.requests.map(conversation).find((c) => c.at(-1) === 'PROMPT-THREE')).toEqual([
      'PROMPT-ONE',
      'REPLY-ONE',
      'PROMPT-TWO',
      'REPLY-TWO',
      'PROMPT-THREE'
    ])

    must(await core.ptys.kill(opened.id))
    await waitFor(async () => (await thread(original.id)).agent?.activity === 'exited', 'the original agent to exit')
    expect((await thread(original.id)).agent?.session).toEqual(session)
    const before = sha(originalFile!)

    // The fork runs in a thread of its own, in a new worktree: the copy's header names that folder.
    const forked = must(await core.threads.create({ repoId: repo.id, title: 'fork', mode: 'worktree' }))
    const forkDir = forked.worktreePath
    user.trust(forkDir)
    const fork = must(await forkLaunch(afterOne, forkDir, { env: process.env }))
    expect(fork.args).toEqual(['resume', fork.sessionId])
    expect(fork.sessionId).not.toBe(session.sessionId)
    expect(fork.note).toContain('forks only whole sessions')

    const forkPty = must(
      await core.ptys.open(forked.id, {
        kind: 'agent',
        profileId: 'codex',
        resume: { args: fork.args, cwd: forkDir },
        cols: 120,
        rows: 32
      })
    )
    must(await core.ptys.attach(forkPty.id, screen))
    // The agent's state reaches the thread as an event of the pty host, written to its log: wait for it.
    await waitFor(async () => (await thread(forked.id)).agent?.session !== undefined, 'the fork session to be recorded')
    expect((await thread(forked.id)).agent?.session).toEqual({ source: 'codex', sessionId: fork.sessionId })
    await turn(forked.id, 'FOUR')
    // The fork's request holds turn 1 and the new prompt; no request of the fork holds turns 2 or 3.
    const fourth = server.requests.map(conversation).filter((c) => c.includes('PROMPT-FOUR'))
    expect(fourth).toContainEqual(['PROMPT-ONE', 'REPLY-ONE', 'PROMPT-FOUR'])
    for (const c of fourth) expect(c.filter((m) => /TWO|THREE/.test(m))).toEqual([])
    const turnFour = server.requests.find((r) => conversation(r).join() === 'PROMPT-ONE,REPLY-ONE,PROMPT-FOUR')
    // Codex asked nothing (which folder to resume in), and tells the model of the worktree it now works in.
    expect(screen.output(forkPty.id).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')).not.toContain('Working directory')
    expect(JSON.stringify(turnFour), 'the fork works in its own worktree').toContain(`<cwd>${forkDir}</cwd>`)
    // Codex goes on writing the fork's own rollout; the original's bytes are as they were.
    await waitFor(
      async () => (await sessionPoint({ source: 'codex', sessionId: fork.sessionId! }, forkDir, process.env))?.at === '2',
      'the fork to hold 2 turns'
    )
    expect(sha(originalFile!)).toBe(before)

    // `codex fork <id>` (the whole session): Skein finds the new rollout, the one forked from the original.
    const whole = must(await core.threads.create({ repoId: repo.id, title: 'whole fork', mode: 'local' }))
    const wholeArgs = ['fork', session.sessionId]
    must(
      await core.ptys.open(whole.id, { kind: 'agent', profileId: 'codex', resume: { args: wholeArgs, cwd: repoPath }, cols: 120, rows: 32 })
    )
    await turn(whole.id, 'FIVE')
    await waitFor(async () => Boolean((await thread(whole.id)).agent?.session), 'the whole fork to be found from its rollout')
    const wholeId = (await thread(whole.id)).agent!.session!.sessionId
    expect([session.sessionId, fork.sessionId]).not.toContain(wholeId)
    expect(readFileSync((await codexSessionFile(wholeId, process.env))!, 'utf8')).toContain(`"forked_from_id":"${session.sessionId}"`)
    expect(server.requests.map(conversation).find((c) => c.at(-1) === 'PROMPT-FIVE')).toEqual([
      'PROMPT-ONE',
      'REPLY-ONE',
      'PROMPT-TWO',
      'REPLY-TWO',
      'PROMPT-THREE',
      'REPLY-THREE',
      'PROMPT-FIVE'
    ])
    expect(sha(originalFile!)).toBe(before)
  }, 400_000)
})
