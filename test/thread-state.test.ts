import { describe, expect, it } from 'vitest'
import { ActivityTracker } from '../src/main/core/pty/activity-tracker'
import type { AgentActivity, AgentState, Thread } from '../src/shared/models'
import { builtInAgentLine, countByState, threadStateOf, type StateInput } from '../src/shared/thread-state'
import { attentionText } from '../src/renderer/state/attention-text'

const agent = (profileId: AgentState['profileId'], activity: AgentActivity, exitCode: number | null = null): AgentState => ({
  ptyId: 'p',
  profileId,
  activity,
  exitCode
})
const usage = (costUsd = 0, output = 0) => ({ input: output, output, cacheRead: 0, cacheWrite: 0, costUsd })
const conv = (busy: boolean, turns = 0, cost = 0) => ({ busy, turns, usage: usage(cost, turns * 10) })

/** Resolves once the tracker has reported `want`. */
function until(tracker: { seen: AgentActivity[] }, want: AgentActivity): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (tracker.seen.includes(want) ? resolve() : setTimeout(check, 5))
    check()
  })
}

describe('activity tracker', () => {
  it('an agent that goes quiet is waiting; a shell that goes quiet is idle', async () => {
    const agentSeen = { seen: [] as AgentActivity[] }
    const shellSeen = { seen: [] as AgentActivity[] }
    const a = new ActivityTracker((x) => agentSeen.seen.push(x), 20, true)
    const s = new ActivityTracker((x) => shellSeen.seen.push(x), 20, false)
    a.output()
    s.output()
    await until(agentSeen, 'waiting')
    await until(shellSeen, 'idle')
    expect(agentSeen.seen).toEqual(['running', 'waiting'])
    expect(shellSeen.seen).toEqual(['running', 'idle'])
    expect(s.everWaited).toBe(true) // reached a prompt: it started fine
    s.exited()
    a.exited()
    expect(shellSeen.seen.at(-1)).toBe('exited')
  })

  it('a shell with a quiet command in the foreground stays running until the command ends', async () => {
    const seen = { seen: [] as AgentActivity[] }
    let busy = true
    let asked = 0
    const s = new ActivityTracker(
      (x) => seen.seen.push(x),
      20,
      false,
      () => (asked++, busy)
    )
    s.output()
    // Condition, not a sleep: the tracker has gone quiet and asked about the foreground job three times.
    await new Promise<void>((resolve) => {
      const check = () => (asked >= 3 ? resolve() : setTimeout(check, 5))
      check()
    })
    expect(seen.seen).toEqual(['running'])
    busy = false
    await until(seen, 'idle')
    expect(seen.seen).toEqual(['running', 'idle'])
    s.exited()
  })
})

describe('thread state', () => {
  const cases: [string, StateInput, string, string][] = [
    ['shell at its prompt', { status: 'idle', agent: agent('shell', 'idle') }, 'idle', 'Idle'],
    ['shell persisted as waiting by an older core', { status: 'needs-attention', agent: agent('shell', 'waiting') }, 'idle', 'Idle'],
    ['shell running', { status: 'running', agent: agent('shell', 'running') }, 'running', 'Running'],
    ['Claude Code waiting', { status: 'idle', agent: agent('claude', 'waiting') }, 'waiting', 'Waiting for input'],
    ['custom agent waiting', { status: 'idle', agent: agent('custom', 'waiting') }, 'waiting', 'Waiting for input'],
    ['built-in agent approval', { status: 'needs-attention', agent: null, conversation: conv(true) }, 'needs-attention', 'Needs attention'],
    ['built-in agent running', { status: 'running', agent: agent('shell', 'idle'), conversation: conv(true) }, 'running', 'Running'],
    ['built-in agent finished', { status: 'idle', agent: null, conversation: conv(false, 2, 0.04) }, 'finished', 'Finished'],
    ['exited 3', { status: 'idle', agent: agent('codex', 'exited', 3) }, 'exited', 'Exited 3'],
    ['exited 0', { status: 'idle', agent: agent('shell', 'exited', 0) }, 'exited', 'Exited 0'],
    ['CI failed', { status: 'idle', agent: agent('shell', 'idle'), ciFailed: true }, 'ci-failed', 'CI failed'],
    ['CI failed while the agent runs', { status: 'running', agent: agent('claude', 'running'), ciFailed: true }, 'running', 'Running'],
    ['error', { status: 'error', agent: agent('claude', 'waiting') }, 'error', 'Error'],
    ['archived', { status: 'archived', agent: null, ciFailed: true }, 'archived', 'Archived'],
    ['nothing started', { status: 'idle', agent: null, conversation: conv(false) }, 'idle', 'Idle'],
    [
      'setup running',
      {
        status: 'idle',
        agent: null,
        setup: { state: 'running' as const, startedAt: 1, endedAt: null, ptyId: null, copied: [], shared: [], failure: null, warnings: [] }
      },
      'setting-up',
      'Setting up'
    ],
    [
      'setup running beside a parallel agent',
      {
        status: 'running',
        agent: agent('claude', 'running'),
        setup: { state: 'running' as const, startedAt: 1, endedAt: null, ptyId: null, copied: [], shared: [], failure: null, warnings: [] }
      },
      'setting-up',
      'Setting up'
    ],
    [
      'setup failed, agent waiting',
      {
        status: 'idle',
        agent: agent('claude', 'waiting'),
        setup: {
          ...{ state: 'running' as const, startedAt: 1, endedAt: null, ptyId: null, copied: [], shared: [], failure: null, warnings: [] },
          state: 'failed' as const
        }
      },
      'waiting',
      'Waiting for input'
    ],
    [
      'error during setup',
      {
        status: 'error',
        agent: null,
        setup: { state: 'running' as const, startedAt: 1, endedAt: null, ptyId: null, copied: [], shared: [], failure: null, warnings: [] }
      },
      'error',
      'Error'
    ]
  ]
  it.each(cases)('%s', (_name, input, state, label) => {
    expect(threadStateOf(input)).toEqual({ state, label })
  })

  it('counts only approvals as needs-attention; finished, exited and CI failed are not idle', () => {
    const counts = countByState(cases.map((c) => c[1]))
    expect(counts['needs-attention']).toBe(1)
    expect(counts.waiting).toBe(3)
    expect(counts['setting-up']).toBe(2)
    expect(counts.finished).toBe(1)
    expect(counts.exited).toBe(2)
    expect(counts['ci-failed']).toBe(1)
    expect(counts.idle).toBe(3)
  })
})

describe('notification text and overview', () => {
  const base = {
    id: 't',
    title: 'T',
    status: 'idle',
    agent: null,
    unread: true,
    conversation: {
      model: 'claude-sonnet-4-5',
      permissionMode: 'ask',
      sandbox: true,
      network: false,
      busy: false,
      turns: 0,
      usage: usage()
    }
  } as unknown as Thread
  const t = (patch: Partial<Thread>, c: Partial<Thread['conversation']> = {}): Thread => ({
    ...base,
    ...patch,
    conversation: { ...base.conversation, ...c }
  })

  it('says what happened', () => {
    expect(attentionText(t({}), t({ status: 'needs-attention' }, { busy: true }), 'Run npm test')).toBe('Needs approval: Run npm test')
    expect(attentionText(t({}), t({ status: 'needs-attention' }, { busy: true }))).toBe('Needs approval')
    expect(attentionText(t({ status: 'running' }, { busy: true }), t({}, { turns: 1 }))).toBe('Finished')
    expect(attentionText(t({ agent: agent('codex', 'running') }), t({ agent: agent('codex', 'exited', 3) }))).toBe('Exited with code 3')
    expect(attentionText(t({ agent: agent('claude', 'running') }), t({ agent: agent('claude', 'waiting') }))).toBe('Waiting for input')
    expect(attentionText(t({}), t({}))).not.toBe('Needs your attention')
  })

  it("adds an investigation's finding to Finished", () => {
    const finding = '\nFinding: the cache TTL was cut to 1s.\nDetails follow.'
    expect(attentionText(t({ status: 'running' }, { busy: true }), t({ focus: 'Check the cache' }, { turns: 1 }), undefined, finding)).toBe(
      'Finished: Finding: the cache TTL was cut to 1s.'
    )
    // Not an investigation, or no reply: just Finished.
    expect(attentionText(t({ status: 'running' }, { busy: true }), t({}, { turns: 1 }), undefined, finding)).toBe('Finished')
    expect(attentionText(t({ status: 'running' }, { busy: true }), t({ focus: 'Check the cache' }, { turns: 1 }))).toBe('Finished')
  })

  it("shows the built-in agent's model, turns and cost", () => {
    expect(builtInAgentLine({ ...base.conversation, turns: 3, usage: usage(0.0412, 100) })).toBe(
      'Built-in agent (claude-sonnet-4-5), 3 turns · $0.04'
    )
  })
})
