import type { AgentState, Thread, ThreadStatus } from './models'

/** Every state's name: the live states most pressing first, then archived. */
export const threadStateNames = [
  'needs-attention',
  'error',
  'ci-failed',
  'waiting',
  'setting-up',
  'running',
  'finished',
  'exited',
  'idle',
  'archived'
] as const

/** What a thread is doing, as the sidebar, dashboard and badges show it. Only `needs-attention` is urgent. */
export type ThreadState = (typeof threadStateNames)[number]

/** The part of a thread's built-in conversation the state needs. */
export type ConversationState = Pick<Thread['conversation'], 'busy'> & Partial<Pick<Thread['conversation'], 'turns' | 'usage'>>

/** Everything a thread's state is derived from. */
export interface StateInput {
  status: ThreadStatus
  agent?: AgentState | null
  conversation?: ConversationState | null
  /** The thread's latest CI run failed. */
  ciFailed?: boolean
  /** The worktree's environment setup, while it runs the thread is "Setting up". */
  setup?: Thread['setup']
}

/** The words for each state, as a filter chip says them (a badge may say more: "Exited 3"). */
export const stateLabels: Record<ThreadState, string> = {
  'needs-attention': 'Needs attention',
  error: 'Error',
  'ci-failed': 'CI failed',
  waiting: 'Waiting for input',
  'setting-up': 'Setting up',
  running: 'Running',
  finished: 'Finished',
  exited: 'Exited',
  idle: 'Idle',
  archived: 'Archived'
}

/** The live states in the order the dashboard summarises them, most pressing first. */
export const liveStates: ThreadState[] = threadStateNames.filter((s) => s !== 'archived')

/** True for the only state counted and coloured as urgent: an approval (or question) waits on the person. */
export const isUrgent = (state: ThreadState): boolean => state === 'needs-attention'

/** True when the profile is an agent that can wait for the person (a plain shell never does). */
export const isAgentProfile = (profileId: AgentState['profileId']): boolean => profileId !== 'shell'

/** True once the built-in agent has run at least one turn (or spent tokens) in this thread. */
export function conversationRan(conversation?: ConversationState | null): boolean {
  if (!conversation) return false
  const u = conversation.usage
  return (conversation.turns ?? 0) > 0 || (!!u && u.input + u.output > 0)
}

/** "Built-in agent (claude-…), 3 turns · $0.04" for a thread whose built-in agent has run. */
export function builtInAgentLine(c: Pick<Thread['conversation'], 'model' | 'busy' | 'turns' | 'usage'>): string {
  const turns = c.turns ?? 0
  const parts = [
    turns > 0 ? `${turns} ${turns === 1 ? 'turn' : 'turns'}` : null,
    c.usage.costUsd !== null ? `$${c.usage.costUsd.toFixed(2)}` : null
  ].filter(Boolean)
  return `Built-in agent (${c.model})${c.busy ? ', running' : ''}${parts.length ? `, ${parts.join(' · ')}` : ''}`
}

/**
 * A thread's state. In order: archived, error; an approval waiting; setup of a new worktree running (Setting up); the built-in agent's pending approval (Needs
 * attention) or running turn; a CLI agent's session running or waiting for input (a shell is never
 * waiting); a failed CI run; an ended session ("Exited N"); a built-in agent whose last turn ended
 * (Finished); else Idle (a shell at its prompt, or nothing started).
 */
export function threadStateOf({ status, agent, conversation, ciFailed, setup }: StateInput): { state: ThreadState; label: string } {
  const of = (state: ThreadState, label = stateLabels[state]) => ({ state, label })
  if (status === 'archived' || status === 'error') return of(status)
  if (setup?.state === 'running' && !(conversation?.busy && status === 'needs-attention')) return of('setting-up')
  if (conversation?.busy) return status === 'needs-attention' ? of('needs-attention') : of('running')
  if (agent?.activity === 'running') return of('running')
  if (agent?.activity === 'waiting' && isAgentProfile(agent.profileId)) return of('waiting')
  if (ciFailed) return of('ci-failed')
  if (agent?.activity === 'exited') return of('exited', agent.exitCode === null ? 'Exited' : `Exited ${agent.exitCode}`)
  if (conversationRan(conversation)) return of('finished')
  if (status === 'running') return of('running')
  return of('idle')
}

/** A thread's state, given whether its latest CI run failed (the core, the window and the CLI all derive it so). */
export const stateOfThread = (t: Pick<Thread, 'status' | 'agent' | 'conversation' | 'setup'>, ciFailed: boolean): ThreadState =>
  threadStateOf({ status: t.status, agent: t.agent, conversation: t.conversation, ciFailed, setup: t.setup }).state

/** A count of zero for every state. */
export const emptyCounts = (): Record<ThreadState, number> =>
  Object.fromEntries(threadStateNames.map((s) => [s, 0])) as Record<ThreadState, number>

/** Counts the inputs per state. */
export function countByState(inputs: StateInput[]): Record<ThreadState, number> {
  const counts = emptyCounts()
  for (const i of inputs) counts[threadStateOf(i).state]++
  return counts
}
