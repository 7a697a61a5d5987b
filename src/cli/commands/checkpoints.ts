import type { Checkpoint } from '../../shared/checkpoints'
import { parseArgs } from '../args'
import { CliError, Exit } from '../cli-error'
import { findThread, showInApp, type CliContext } from '../context'

/** `skein fork --help`. */
export const FORK_USAGE = `Usage: skein fork THREAD [--from N | --turn ID] [--title T] ["prompt" ...] [--json]

Forks a thread into a new worktree thread that starts exactly where checkpoint N left the files
(uncommitted changes included), with the conversation up to there. A Claude Code or Codex session
is forked at that point too. Without --from or --turn, the state now is checkpointed and used.
Each prompt makes one fork that starts with it: three prompts try three approaches at once.

  --from N     a checkpoint number (\`skein checkpoints THREAD\` lists them)
  --turn ID    the end of one of the built-in agent's turns
  --title T    the fork's title (default: "<title> (fork)")
  --json       print {"threads": […]}
`

/** `skein rewind --help`. */
export const REWIND_USAGE = `Usage: skein rewind THREAD --to N [--code | --conversation] [--json]

Puts a thread back to checkpoint N: its files (worktree, staged state and HEAD exactly as saved)
and the built-in agent's conversation (later turns are kept in the log, marked rewound). The state
before is checkpointed first, so a rewind can be undone: rewind to the checkpoint it prints.

  --to N            the checkpoint (\`skein checkpoints THREAD\` lists them)
  --code            only the files
  --conversation    only the built-in agent's conversation
`

/** `skein checkpoints --help`. */
export const CHECKPOINTS_USAGE = `Usage: skein checkpoints THREAD [--now [--label L]] [--json]

Lists a thread's checkpoints (taken before every turn of every agent), oldest first.
  --now        take one now (--label names it)
`

const number = (raw: string | undefined, flag: string): number | undefined => {
  if (raw === undefined) return undefined
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1) throw new CliError(`${flag} takes a checkpoint number (1, 2, …), not "${raw}".`, Exit.usage)
  return n
}

const describe = (c: Checkpoint) => {
  const when = new Date(c.createdAt).toISOString().replace('T', ' ').slice(0, 19)
  const dirty = c.dirtyFiles ? `, ${c.dirtyFiles} uncommitted file${c.dirtyFiles === 1 ? '' : 's'}` : ''
  const left = c.leftOut.length ? `; not saved: ${c.leftOut.map((l) => l.path).join(', ')}` : ''
  return `${String(c.n).padStart(4)}  ${when}  ${c.label} (${c.head?.slice(0, 8) ?? 'no commit'}${dirty})${left}`
}

/** Forks a thread from a checkpoint, a turn or now. */
export async function forkCommand(argv: readonly string[], ctx: CliContext): Promise<number> {
  const parsed = parseArgs(argv, { values: ['from', 'turn', 'title'], booleans: ['json'] })
  if (!parsed.ok) throw new CliError(`${parsed.error}\n\n${FORK_USAGE}`, Exit.usage)
  const a = parsed.args
  if (a.booleans.has('help')) return (ctx.out(FORK_USAGE), Exit.ok)
  const [ref, ...prompts] = a.positionals
  const from = number(a.values.get('from'), '--from')
  if (from !== undefined && a.values.has('turn')) throw new CliError('Choose --from or --turn, not both.', Exit.usage)
  if (prompts.length > 8) throw new CliError('At most 8 forks at once.', Exit.usage)
  const client = await ctx.connect({ start: true })
  try {
    const thread = await findThread(client, ref)
    const { threads } = await client.request('thread/fork', {
      threadId: thread.id,
      fromCheckpoint: from,
      fromTurnId: a.values.get('turn'),
      title: a.values.get('title'),
      prompts
    })
    if (a.booleans.has('json')) return (ctx.out(JSON.stringify({ threads })), Exit.ok)
    for (const t of threads) ctx.out(`${t.id}  ${t.title}  ${t.branch ?? ''}  ${t.worktreePath}`)
    const bad = threads.filter((t) => t.status === 'error')
    for (const t of bad) ctx.err(`"${t.title}": ${t.statusMessage}`)
    if (threads[0]) await showInApp(client, { threadId: threads[0].id }).catch(() => undefined)
    return bad.length ? Exit.failure : Exit.ok
  } finally {
    client.dispose()
  }
}

/** Rewinds a thread to a checkpoint. */
export async function rewindCommand(argv: readonly string[], ctx: CliContext): Promise<number> {
  const parsed = parseArgs(argv, { values: ['to'], booleans: ['code', 'conversation', 'json'] })
  if (!parsed.ok) throw new CliError(`${parsed.error}\n\n${REWIND_USAGE}`, Exit.usage)
  const a = parsed.args
  if (a.booleans.has('help')) return (ctx.out(REWIND_USAGE), Exit.ok)
  const to = number(a.values.get('to'), '--to')
  if (to === undefined) throw new CliError(`Say which checkpoint: --to N.\n\n${REWIND_USAGE}`, Exit.usage)
  if (a.booleans.has('code') && a.booleans.has('conversation'))
    throw new CliError('Leave out both --code and --conversation to rewind both.', Exit.usage)
  const restore = a.booleans.has('code') ? 'code' : a.booleans.has('conversation') ? 'conversation' : 'both'
  const client = await ctx.connect({ start: false })
  try {
    const thread = await findThread(client, a.positionals[0])
    const r = await client.request('thread/rewind', { threadId: thread.id, checkpoint: to, restore })
    if (a.booleans.has('json')) return (ctx.out(JSON.stringify(r)), Exit.ok)
    ctx.out(
      `Rewound "${thread.title}" to checkpoint ${to} (${restore === 'both' ? 'code and conversation' : restore}): ${r.files} file${r.files === 1 ? '' : 's'} changed.`
    )
    if (r.undo) ctx.out(`To undo: skein rewind ${thread.id} --to ${r.undo.n}${restore === 'both' ? '' : ` --${restore}`}`)
    return Exit.ok
  } finally {
    client.dispose()
  }
}

/** Lists (or takes) a thread's checkpoints. */
export async function checkpointsCommand(argv: readonly string[], ctx: CliContext): Promise<number> {
  const parsed = parseArgs(argv, { values: ['label'], booleans: ['now', 'json'] })
  if (!parsed.ok) throw new CliError(`${parsed.error}\n\n${CHECKPOINTS_USAGE}`, Exit.usage)
  const a = parsed.args
  if (a.booleans.has('help')) return (ctx.out(CHECKPOINTS_USAGE), Exit.ok)
  const client = await ctx.connect({ start: false })
  try {
    const thread = await findThread(client, a.positionals[0])
    if (a.booleans.has('now')) {
      const c = await client.request('checkpoint/create', { threadId: thread.id, label: a.values.get('label') })
      ctx.out(a.booleans.has('json') ? JSON.stringify(c) : describe(c))
      return Exit.ok
    }
    const { checkpoints } = await client.request('checkpoint/list', { threadId: thread.id })
    if (a.booleans.has('json')) return (ctx.out(JSON.stringify({ checkpoints })), Exit.ok)
    if (!checkpoints.length) ctx.err(`"${thread.title}" has no checkpoints yet.`)
    for (const c of checkpoints) ctx.out(describe(c))
    return Exit.ok
  } finally {
    client.dispose()
  }
}
