/**
 * Checkpoints and forks of a thread whose agent is the real interactive Claude Code CLI, against the
 * scripted Messages server: a checkpoint records where the session stood, and *Fork from here* on it
 * makes a worktree thread whose files are the checkpoint's and whose Claude Code session continues
 * from that point only, under a new id, while the original session file keeps its bytes.
 */
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { claudeSessionFile } from '../src/main/core/agents/claude-session'
import type { Thread } from '../src/shared/models'
import { deliveryFor, conversations, markers, startEchoServer, useClaudeHome } from './helpers/cli-agents'
import { cleanupTemp, makeCore, makeRepo, must } from './helpers/fixtures'
import type { ModelServer } from './helpers/model-server'
import { eventually } from './helpers/pty-client'
import { worktreeState } from './helpers/tree-state'

const saved = { ...process.env }
let server: ModelServer | null = null
afterEach(async () => {
  await cleanupTemp()
  process.env = { ...saved }
  await server?.close()
  server = null
})

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')

describe('checkpoints of a Claude Code thread', () => {
  it('forks from a checkpoint into a worktree thread whose Claude Code session holds the history up to there', async () => {
    server = await startEchoServer()
    const repoPath = makeRepo('claude-checkpoints')
    const { core, home } = await makeCore()
    // Claude Code trusts a folder and those under it: the forks' worktrees live under Skein's worktrees folder.
    const { trust } = useClaudeHome([repoPath], server.url)
    trust(join(home, 'worktrees'))
    const delivery = deliveryFor(core)
    const repo = must(await core.repos.add(repoPath))
    const thread = async (id: string): Promise<Thread> => must(await core.threads.get(id))
    const original = must(await core.threads.create({ repoId: repo.id, title: 'claude work', mode: 'local', profileId: 'claude' }))
    await eventually(async () => Boolean((await thread(original.id)).agent?.session), 'the session id')
    const session = (await thread(original.id)).agent!.session!

    const turn = async (marker: string) => {
      must(await delivery.deliver(await thread(original.id), `PROMPT-${marker}`))
      await eventually(() => conversations(server!).some((c) => c.at(-1) === `PROMPT-${marker}`), `PROMPT-${marker}`, 120_000)
    }
    await turn('ONE')
    // The person's own edit after turn 1, then a checkpoint once the session file has turn 1 whole.
    writeFileSync(join(repoPath, 'after-one.txt'), 'work after turn one\n')
    let at: string | null = null
    await eventually(
      async () => {
        const c = must(await core.checkpoints.take(original.id, { trigger: 'manual', label: 'after one' }))
        at = c.session?.at ?? null
        const file = await claudeSessionFile(session.sessionId, repoPath, process.env)
        return Boolean(at && file && readFileSync(file, 'utf8').includes('REPLY-ONE'))
      },
      'a checkpoint that records the session after turn 1',
      120_000
    )
    const checkpoint = must(await core.checkpoints.list(original.id)).at(-1)!
    expect(checkpoint.session).toEqual({ source: 'claude', sessionId: session.sessionId, at })
    const atCheckpoint = worktreeState(repoPath)
    await turn('TWO')
    writeFileSync(join(repoPath, 'after-two.txt'), 'later\n')
    // The original agent ends (Claude Code writes its last records on the way out) so its file holds still to be compared.
    const live = (await thread(original.id)).agent!
    must(await core.ptys.kill(live.ptyId))
    await eventually(async () => (await thread(original.id)).agent?.activity === 'exited', 'the original agent to exit')
    const file = (await claudeSessionFile(session.sessionId, repoPath, process.env))!
    const before = sha(file)

    const { threads } = must(await core.fork({ threadId: original.id, fromCheckpoint: checkpoint.n, prompts: ['PROMPT-THREE'] }))
    const fork = threads[0]!
    expect(fork).toMatchObject({ mode: 'worktree', forkedFrom: { threadId: original.id, checkpoint: checkpoint.n } })
    await eventually(() => conversations(server!).some((c) => c.at(-1) === 'PROMPT-THREE'), 'the fork’s prompt', 120_000)
    // The fork's session holds turn 1 and its own prompt, nothing of turn 2, and it works in the fork's worktree.
    expect(conversations(server).find((c) => c.at(-1) === 'PROMPT-THREE')).toEqual(['PROMPT-ONE', 'REPLY-ONE', 'PROMPT-THREE'])
    const sent = server.requests.find((r) => r.body?.stream && markers(JSON.stringify(r.body.messages)).at(-1) === 'PROMPT-THREE')
    expect(JSON.stringify(sent?.body)).toContain(fork.worktreePath)
    const forkSession = (await thread(fork.id)).agent?.session
    expect(forkSession?.source).toBe('claude')
    expect(forkSession?.sessionId).not.toBe(session.sessionId)
    // Its files are the checkpoint's (the edit after turn 1, not the one after turn 2), and the original is as it was.
    const forked = worktreeState(fork.worktreePath)
    expect(forked).toEqual(atCheckpoint)
    expect(sha(file)).toBe(before)
  }, 400_000)
})
