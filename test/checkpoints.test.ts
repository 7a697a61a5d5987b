import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Checkpoint } from '../src/shared/checkpoints'
import type { Item, Thread } from '../src/shared/models'
import { useScriptedModel, type ModelServer } from './helpers/model-server'
import { cleanupTemp, git, makeCore, makeRepo, must, tempDir } from './helpers/fixtures'
import { eventually } from './helpers/pty-client'
import { worktreeState } from './helpers/tree-state'

let server: ModelServer
beforeAll(async () => {
  server = await useScriptedModel()
})
afterAll(() => server.close())
afterEach(cleanupTemp)

type Core = Awaited<ReturnType<typeof makeCore>>['core']

async function setup(settings?: object) {
  const repoPath = makeRepo()
  const home = tempDir('skein-home-')
  if (settings) writeFileSync(join(home, 'settings.json'), JSON.stringify({ version: 1, agents: {}, repos: {}, ...settings }))
  const made = await makeCore(home)
  const repo = must(await made.core.repos.add(repoPath))
  const thread = must(await made.core.threads.create({ repoId: repo.id, title: 'five turns', mode: 'worktree', permissionMode: 'auto' }))
  return { ...made, repo, repoPath, thread }
}

const threadOf = (core: Core, id: string): Thread => core.threads.list({ includeArchived: true }).find((t) => t.id === id)!
const idle = (core: Core, id: string) => eventually(() => threadOf(core, id).conversation.busy === false, 'the turn to end')
const listOf = async (core: Core, id: string): Promise<Checkpoint[]> => must(await core.checkpoints.list(id))
const userTexts = (items: Item[]) => items.filter((i) => i.kind === 'user' && !i.rewound).map((i) => i.text)

/**
 * Runs one built-in turn that changes the worktree every way an agent does: its write tool, a bash
 * command (append, delete, chmod), and returns the state it left.
 */
async function turn(core: Core, thread: Thread, k: number) {
  server.push(
    { toolUses: [{ name: 'write_file', input: { path: `notes/turn-${k}.md`, content: `turn ${k}\n` } }] },
    {
      toolUses: [
        { name: 'bash', input: { command: `echo "line ${k}" >> log.txt && chmod +x notes/turn-${k}.md && rm -f notes/turn-${k - 2}.md` } }
      ]
    },
    { text: `Turn ${k} done.` }
  )
  must(await core.agent.startTurn(thread.id, `Prompt number ${k}`))
  await idle(core, thread.id)
  return worktreeState(thread.worktreePath)
}

describe('checkpoints of the built-in agent', () => {
  it('checkpoints before every turn; a rewind restores files and conversation exactly, the model forgets, and the rewind undoes', async () => {
    const { core, thread } = await setup()
    const wt = thread.worktreePath
    const states = [worktreeState(wt)]
    for (let k = 1; k <= 5; k++) {
      // Between turns the person edits too: staged, unstaged and untracked, from outside the agent.
      writeFileSync(join(wt, 'README.md'), `# edited before turn ${k}\n`)
      if (k === 3) git(wt, 'add', 'README.md')
      writeFileSync(join(wt, `scratch-${k}.txt`), `${k}\n`)
      states[k - 1] = worktreeState(wt)
      states[k] = await turn(core, thread, k)
    }
    const cps = await listOf(core, thread.id)
    const turns = cps.filter((c) => c.trigger === 'turn')
    expect(turns).toHaveLength(5)
    expect(turns.map((c) => c.turnIds.length)).toEqual([0, 1, 2, 3, 4])
    expect(turns[2]!.label).toBe('Before turn 3: "Prompt number 3"')
    expect(turns[2]!.dirtyFiles).toBeGreaterThan(0)
    const before = worktreeState(wt)
    expect(before).toEqual(states[5])

    const preview = must(await core.checkpoints.diff(thread.id, turns[2]!.n))
    // Current (after turn 5) → before turn 3, by what each turn and edit did.
    expect(preview.files.map((f) => `${f.status} ${f.path}`).sort()).toEqual([
      'added notes/turn-1.md',
      'added notes/turn-2.md',
      'deleted notes/turn-4.md',
      'deleted notes/turn-5.md',
      'deleted scratch-4.txt',
      'deleted scratch-5.txt',
      'modified README.md',
      'modified log.txt'
    ])
    expect(preview.files.find((f) => f.path === 'notes/turn-5.md')?.status).toBe('deleted')
    expect(worktreeState(wt)).toEqual(before) // a preview changes nothing

    const rewound = must(await core.rewind({ threadId: thread.id, checkpoint: turns[2]!.n, restore: 'both' }))
    expect(rewound.prompt).toBe('Prompt number 3')
    expect(worktreeState(wt)).toEqual(states[2])
    const items = await core.agent.items(thread.id)
    expect(userTexts(items)).toEqual(['Prompt number 1', 'Prompt number 2'])
    expect(items.filter((i) => i.rewound).length).toBeGreaterThan(6) // kept in the log, shown as rewound

    // The next turn's request holds turns 1–2 and the new prompt, not the rewound ones.
    server.push({ text: 'Fresh start.' })
    must(await core.agent.startTurn(thread.id, 'Another way'))
    await idle(core, thread.id)
    const sent = JSON.stringify(server.requests.at(-1)!.body.messages)
    expect(sent).toContain('Prompt number 2')
    expect(sent).not.toContain('Prompt number 3')
    expect(sent).toContain('Another way')

    // The rewind is itself undone by rewinding to the checkpoint it took (code and conversation).
    const afterNew = worktreeState(wt)
    must(await core.rewind({ threadId: thread.id, checkpoint: rewound.undo!.n, restore: 'both' }))
    expect(worktreeState(wt)).toEqual(before)
    expect(userTexts(await core.agent.items(thread.id))).toEqual([1, 2, 3, 4, 5].map((k) => `Prompt number ${k}`))
    expect(afterNew).toEqual(states[2])
  })

  it('rewinds code only or conversation only, and refuses while the agent works', async () => {
    const { core, thread } = await setup()
    const wt = thread.worktreePath
    const s0 = worktreeState(wt)
    await turn(core, thread, 1)
    const s1 = await turn(core, thread, 2)
    const [first] = await listOf(core, thread.id)
    must(await core.rewind({ threadId: thread.id, checkpoint: first!.n, restore: 'code' }))
    expect(worktreeState(wt)).toEqual(s0)
    expect(userTexts(await core.agent.items(thread.id))).toHaveLength(2)
    const undo = must(
      await core.rewind({ threadId: thread.id, turnId: (await core.agent.items(thread.id))[0]!.turnId, restore: 'conversation' })
    )
    expect(userTexts(await core.agent.items(thread.id))).toEqual(['Prompt number 1'])
    expect(worktreeState(wt)).toEqual(s0) // conversation only: files as they were
    expect(undo.undo).not.toBeNull()

    const asked = server.requests.length
    server.push({ text: 'slow', slow: true })
    must(await core.agent.startTurn(thread.id, 'Take your time'))
    // Interrupted only once the slow reply streams, so it is used up here and not by the next test.
    await eventually(() => server.requests.length > asked && threadOf(core, thread.id).conversation.busy, 'the turn to run')
    const refused = await core.rewind({ threadId: thread.id, checkpoint: first!.n, restore: 'code' })
    expect(!refused.ok && refused.error.message).toMatch(/Stop its turn/)
    must(core.agent.interrupt(thread.id))
    await idle(core, thread.id)
    expect(s1).not.toEqual(s0)
  })

  it('forks from turn 2 of 5: the worktree equals that checkpoint, the conversation holds turns 1–2, the original is unchanged', async () => {
    const { core, thread } = await setup()
    const wt = thread.worktreePath
    const states = [worktreeState(wt)]
    for (let k = 1; k <= 5; k++) {
      if (k === 3) {
        // Uncommitted and staged work sits in the worktree when turn 3 starts.
        writeFileSync(join(wt, 'wip.txt'), 'half done\n')
        git(wt, 'add', 'wip.txt')
        writeFileSync(join(wt, 'wip.txt'), 'half done, more\n')
        writeFileSync(join(wt, 'tool.sh'), '#!/bin/sh\n')
        chmodSync(join(wt, 'tool.sh'), 0o755)
        states[2] = worktreeState(wt)
      }
      states[k] = await turn(core, thread, k)
    }
    const original = { state: worktreeState(wt), items: JSON.stringify(await core.agent.items(thread.id)) }
    const turnIds = [...new Set((await core.agent.items(thread.id)).map((i) => i.turnId))]
    const { threads } = must(await core.fork({ threadId: thread.id, fromTurnId: turnIds[1], prompts: [] }))
    expect(threads).toHaveLength(1)
    const fork = threads[0]!
    expect(fork.forkedFrom).toMatchObject({ threadId: thread.id, turnId: turnIds[1] })
    expect(fork.branch).not.toBe(thread.branch)
    const forked = worktreeState(fork.worktreePath)
    expect({ ...forked, head: '' }).toEqual({ ...states[2], head: '' })
    expect(forked.head).toBe(states[2]!.head)
    expect(userTexts(await core.agent.items(fork.id))).toEqual(['Prompt number 1', 'Prompt number 2'])
    expect(worktreeState(wt)).toEqual(original.state)
    expect(JSON.stringify(await core.agent.items(thread.id))).toBe(original.items)
    expect(git(wt, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe(thread.branch)
  })

  it('forks N times with one prompt each in one action, each starting its own turn', async () => {
    const { core, thread } = await setup()
    await turn(core, thread, 1)
    const prompts = ['Try a cache', 'Try an index', 'Try both']
    const { threads } = must(await core.fork({ threadId: thread.id, prompts }))
    expect(threads).toHaveLength(3)
    expect(new Set(threads.map((t) => t.worktreePath)).size).toBe(3)
    for (const [i, t] of threads.entries()) {
      await idle(core, t.id)
      expect(userTexts(await core.agent.items(t.id))).toEqual(['Prompt number 1', prompts[i]])
      expect(existsSync(join(t.worktreePath, 'notes/turn-1.md'))).toBe(true)
      expect(t.forkedFrom?.threadId).toBe(thread.id)
    }
  })
})

describe('checkpoint housekeeping', () => {
  it('takes one by hand without touching the index, stash or HEAD, prunes by count, survives an archive and goes with a deleted thread', async () => {
    // Settings are read when the core starts: at most 10 checkpoints per thread.
    const { core, thread, repoPath } = await setup({ checkpoints: { maxPerThread: 10, maxAgeDays: 30 } })
    const wt = thread.worktreePath
    writeFileSync(join(wt, 'README.md'), 'staged\n')
    git(wt, 'add', 'README.md')
    writeFileSync(join(wt, 'README.md'), 'staged, then more\n')
    git(repoPath, 'stash', 'list')
    const gitDir = git(wt, 'rev-parse', '--absolute-git-dir')
    const index = readFileSync(join(gitDir, 'index'))
    const before = worktreeState(wt)
    const c = must(await core.checkpoints.take(thread.id, { trigger: 'manual', label: 'by hand' }))
    expect(c).toMatchObject({ n: 1, trigger: 'manual', label: 'by hand', head: before.head })
    expect(readFileSync(join(gitDir, 'index')).equals(index)).toBe(true)
    expect(worktreeState(wt)).toEqual(before)
    expect(git(repoPath, 'stash', 'list')).toBe('')

    for (let i = 0; i < 14; i++) {
      writeFileSync(join(wt, 'counter.txt'), `${i}\n`)
      must(await core.checkpoints.take(thread.id, { trigger: 'manual', label: `n${i}` }))
    }
    const kept = await listOf(core, thread.id)
    expect(kept.map((k) => k.n)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15])
    expect(git(repoPath, 'for-each-ref', '--format=%(refname)', `refs/skein/checkpoints/${thread.id}/`).split('\n')).toHaveLength(10)

    // Archiving keeps them (the thread may come back); deleting removes them.
    must(await core.threads.archive(thread.id))
    expect(git(repoPath, 'for-each-ref', '--format=%(refname)', `refs/skein/checkpoints/${thread.id}/`).split('\n')).toHaveLength(10)
    must(await core.threads.restore(thread.id))
    expect((await listOf(core, thread.id)).map((k) => k.n)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15])
    must(await core.threads.delete(thread.id))
    await eventually(
      () => git(repoPath, 'for-each-ref', '--format=%(refname)', `refs/skein/checkpoints/${thread.id}/`) === '',
      'the deleted thread’s checkpoints to go'
    )
  })
})
