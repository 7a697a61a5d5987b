import { chmodSync, existsSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { buildMessages } from '../src/main/core/agent/history'
import { HandoffService } from '../src/main/core/handoff/handoff-service'
import { cleanupTemp, git, makeCore, makeRepo, must, tempDir } from './helpers/fixtures'
import { attachRecorder, eventually } from './helpers/pty-client'
import { ClaudeSession, CodexRollout, text, toolUse, writeClaudeSession, writeCodexRollout } from './helpers/session-fixtures'

afterEach(cleanupTemp)

const SID = '0a1b2c3d-0000-4000-8000-0000000000aa'

async function withSessions() {
  const { core } = await makeCore()
  const repo = makeRepo()
  const userHome = tempDir('skein-user-')
  const s = new ClaudeSession(SID, join(repo, 'src'))
  s.user('Why does the build fail?')
  s.assistant('msg_1', [text('Let me run it.'), toolUse('toolu_1', 'Bash', { command: 'npm run build' })])
  s.toolResult('toolu_1', 'error TS2304: Cannot find name', true)
  s.assistant('msg_2', [text('A missing import in src/app.ts.')])
  writeClaudeSession(join(userHome, '.claude'), '-not-the-real-path', `${SID}.jsonl`, s.text())
  const codex = new CodexRollout('7f0e0000-0000-4000-8000-0000000000bb', repo).meta().user('List the TODOs').assistant('There are three.')
  writeCodexRollout(join(userHome, '.codex'), '2026-11-20', '7f0e0000-0000-4000-8000-0000000000bb', codex.text())
  const handoff = new HandoffService({
    repos: core.repos,
    threads: core.threads,
    transcript: core.transcript,
    ptys: core.ptys,
    bus: core.bus,
    home: userHome,
    env: {}
  })
  return { core, repo, userHome, handoff }
}

describe('handoff service', () => {
  it('lists the sessions of a folder, previews one, and imports it once as a local thread of its repository', async () => {
    const { core, repo, handoff } = await withSessions()
    const listed = await handoff.list({ dir: repo })
    expect(listed.map((s) => [s.source, s.firstPrompt, s.threadId])).toEqual(
      expect.arrayContaining([
        ['claude', 'Why does the build fail?', null],
        ['codex', 'List the TODOs', null]
      ])
    )
    const claude = listed.find((s) => s.source === 'claude')!
    const preview = must(await handoff.preview('claude', claude.path))
    expect(preview.items[0]!.text).toBe(`Imported from Claude Code session ${SID}`)

    const first = must(await handoff.import({ source: 'claude', sessionId: SID }))
    expect(first.created).toBe(true)
    // Indexed while importing: its first open is a seek, not a build of the offset index.
    const idx = join(core.dataDir.threadDir(first.thread.id), 'events.idx')
    expect(existsSync(idx) && statSync(idx).size).toBeGreaterThanOrEqual(32 + 32 * first.added)
    expect(first.thread).toMatchObject({
      mode: 'local',
      worktreePath: repo,
      imported: { source: 'claude', sessionId: SID, cwd: join(repo, 'src') }
    })
    const again = must(await handoff.import({ path: claude.path }))
    expect(again).toMatchObject({ created: false, added: 0, thread: { id: first.thread.id } })
    expect((await handoff.list({ dir: repo })).find((s) => s.source === 'claude')!.threadId).toBe(first.thread.id)
    expect(core.threads.list().filter((t) => t.imported)).toHaveLength(1)

    const items = await core.agent.items(first.thread.id)
    expect(items.every((i) => i.imported && i.threadId === first.thread.id)).toBe(true)
    // Claude Code's Bash is not one of Skein's tools: the model gets it as text, never as a tool_use.
    const messages = JSON.stringify(buildMessages(items))
    expect(messages).not.toContain('"tool_use"')
    expect(messages).toContain('npm run build')
    expect(messages).toContain('error TS2304')

    const missing = await handoff.import({ sessionId: 'ffffffff-0000-4000-8000-000000000000' })
    expect(!missing.ok && missing.error.message).toMatch(/No Claude Code or Codex session with id/)
    await core.close()
  })

  it('reports what an import brought in, keeps it on the thread, and counts the session usage once however often it is imported', async () => {
    const { core, repo, userHome, handoff } = await withSessions()
    const first = must(await handoff.import({ source: 'claude', sessionId: SID }))
    expect(first.report).toMatchObject({ prompts: 1, replies: 2, toolCalls: 1, toolResults: 1, failedTools: 1, warnings: [] })
    expect(first.thread.imported?.report).toEqual(first.report)
    const used = first.thread.conversation.usage
    expect(used.input).toBeGreaterThan(0)
    expect(used.costUsd).toBeGreaterThan(0)
    // The session grows in Claude Code; importing again replaces its usage instead of adding it twice.
    const s = new ClaudeSession(SID, join(repo, 'src'))
    s.user('Why does the build fail?')
    s.assistant('msg_1', [text('Let me run it.'), toolUse('toolu_1', 'Bash', { command: 'npm run build' })])
    s.toolResult('toolu_1', 'error TS2304: Cannot find name', true)
    s.assistant('msg_2', [text('A missing import in src/app.ts.')])
    s.user('Fix it')
    s.assistant('msg_3', [text('Fixed.')])
    writeClaudeSession(join(userHome, '.claude'), '-not-the-real-path', `${SID}.jsonl`, s.text())
    const announced: { text: string | undefined; added: boolean | undefined }[] = []
    const listening = core.bus.subscribe((name, params) => {
      if (name !== 'item/completed') return
      const p = params as { item: { text?: string }; added?: boolean }
      announced.push({ text: p.item.text, added: p.added })
    })
    const again = must(await handoff.import({ source: 'claude', sessionId: SID }))
    listening.dispose()
    // Only what the session gained is announced, as new to the conversation: an open window appends it.
    expect(announced).toEqual([
      { text: 'Fix it', added: true },
      { text: 'Fixed.', added: true }
    ])
    expect(again.report).toMatchObject({ prompts: 2, replies: 3 })
    expect(again.thread.imported?.report?.prompts).toBe(2)
    const after = core.threads.list().find((t) => t.id === first.thread.id)!.conversation.usage
    expect(after.input).toBe(again.thread.imported!.usage!.input)
    expect(after.input).toBeGreaterThan(used.input)
    await core.close()
  })

  it('says a session file with no conversation holds none, when asked for by its id', async () => {
    const { core, userHome, handoff } = await withSessions()
    const id = '0a1b2c3d-0000-4000-8000-0000000000dd'
    writeClaudeSession(
      join(userHome, '.claude'),
      '-somewhere',
      `${id}.jsonl`,
      `${JSON.stringify({ type: 'summary', summary: 'Old work', leafUuid: 'gone' })}\n`
    )
    const r = await handoff.import({ source: 'claude', sessionId: id })
    expect(!r.ok && r.error.message).toMatch(/^This Claude Code session holds no conversation/)
    await core.close()
  })

  it('refuses a session whose folder is gone or not a repository, with the reason', async () => {
    const { core, userHome, handoff } = await withSessions()
    const plain = tempDir()
    const s = new ClaudeSession('0a1b2c3d-0000-4000-8000-0000000000cc', plain)
    s.user('hello')
    const path = writeClaudeSession(join(userHome, '.claude'), 'x', '0a1b2c3d-0000-4000-8000-0000000000cc.jsonl', s.text())
    const r = await handoff.import({ path })
    expect(!r.ok && r.error.message).toMatch(new RegExp(`The session ran in ${plain}: .*not a git repository`))
    await core.close()
  })

  it('continues an imported session in its CLI (claude --resume in the session folder) and forks it into a worktree', async () => {
    const { core, repo, handoff } = await withSessions()
    const bin = tempDir('skein-bin-')
    writeFileSync(join(bin, 'claude'), '#!/bin/sh\necho "fake claude in $(pwd) with: $*"\nsleep 30\n')
    chmodSync(join(bin, 'claude'), 0o755)
    const oldPath = process.env.PATH
    process.env.PATH = `${bin}:${oldPath}`
    try {
      const { thread } = must(await handoff.import({ source: 'claude', last: true, cwd: repo }))
      const pty = must(await handoff.continueInCli(thread.id, { cols: 100, rows: 30 }))
      expect(pty).toMatchObject({ kind: 'agent', profileId: 'claude', cwd: join(repo, 'src') })
      // The stub prints at once, maybe before the attach: the replayed scrollback has it then.
      const client = await attachRecorder(core.ptys, pty.id)
      await eventually(() => client.output(pty.id).includes(`fake claude in ${join(repo, 'src')} with: --resume ${SID}`), 'the resumed CLI')

      const fork = must(await core.fork({ threadId: thread.id, prompts: [] })).threads[0]!
      expect(fork).toMatchObject({ mode: 'worktree', title: `${thread.title} (fork)`, baseRef: 'main' })
      expect(git(fork.worktreePath, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe(fork.branch)
      const copied = await core.agent.items(fork.id)
      expect(copied.map((i) => i.text)).toEqual((await core.agent.items(thread.id)).map((i) => i.text))
    } finally {
      process.env.PATH = oldPath
    }
    await core.close()
  })
})
