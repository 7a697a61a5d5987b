import { resolve } from 'node:path'
import { parseArgs } from '../args'
import { CliError, Exit } from '../cli-error'
import { showInApp, type CliContext } from '../context'

/** `skein new --help`. */
export const NEW_USAGE = `Usage: skein new "prompt" [--agent builtin|claude|codex|shell] [--plan] [--local] [--base REF] [--title T] [--json] [--headless]

Creates a thread in the repository that contains the current folder (adding the repository if
it is new), starts its agent with the prompt, and prints the thread id and where to open it.

  --agent    builtin (Skein's own Claude agent, the default), claude, codex or shell
  --plan     read-only plan mode (built-in agent)
  --local    run in the repository's own checkout instead of a new worktree
  --base     the ref the thread's branch starts from (default: the current branch)
  --title    the thread's title (default: the start of the prompt)
  --json     print {"thread": …, "url": …}
  --headless when no core is running, start \`skein serve\` rather than the app
`

const AGENTS = ['builtin', 'claude', 'codex', 'shell'] as const

/** A title from the first line of a prompt. */
export function titleFromPrompt(prompt: string): string {
  const first = prompt.trim().split('\n')[0]!.trim()
  return first.length > 60 ? `${first.slice(0, 57).trimEnd()}…` : first || 'New thread'
}

/** Creates and starts a thread from the terminal. */
export async function newThread(argv: readonly string[], ctx: CliContext): Promise<number> {
  const parsed = parseArgs(argv, { values: ['agent', 'base', 'title'], booleans: ['plan', 'local', 'json', 'headless'] })
  if (!parsed.ok) throw new CliError(`${parsed.error}\n\n${NEW_USAGE}`, Exit.usage)
  const a = parsed.args
  if (a.booleans.has('help')) return ctx.out(NEW_USAGE), Exit.ok
  const agent = (a.values.get('agent') ?? 'builtin') as (typeof AGENTS)[number]
  if (!AGENTS.includes(agent)) throw new CliError(`--agent must be one of ${AGENTS.join(', ')}, not "${agent}".`, Exit.usage)
  const prompt = a.positionals.join(' ').trim()
  if (!prompt && agent !== 'shell') throw new CliError(`Give the agent a prompt: skein new "what to do"`, Exit.usage)
  if (a.booleans.has('plan') && agent !== 'builtin') throw new CliError('--plan is for the built-in agent; Claude Code and Codex have their own plan modes (e.g. Shift+Tab in Claude Code).', Exit.usage)

  const client = await ctx.connect({ start: true, headless: a.booleans.has('headless') })
  try {
    const repo = await client.request('repo/add', { path: resolve(ctx.cwd) })
    // A budget warns, it does not refuse: the person asked for this worktree.
    const budget = a.booleans.has('local') ? null : await client.request('disk/check', { repoId: repo.id })
    if (budget?.over) ctx.err(`Warning: over the disk budget. ${budget.message} Free space with Clean up (repository menu → Disk use), or raise the budget there.`)
    const thread = await client.request('thread/create', {
      repoId: repo.id,
      title: a.values.get('title') ?? titleFromPrompt(prompt || 'Shell'),
      mode: a.booleans.has('local') ? 'local' : 'worktree',
      baseRef: a.values.get('base'),
      profileId: agent === 'builtin' ? undefined : agent,
      // A shell runs every line it is typed, so the prompt is never given to it.
      prompt: agent === 'builtin' || agent === 'shell' || !prompt ? undefined : prompt
    })
    if (agent === 'builtin') {
      if (a.booleans.has('plan')) await client.request('thread/configure', { threadId: thread.id, permissionMode: 'plan' })
      await client.request('turn/start', { threadId: thread.id, text: prompt })
    }
    const { windows, url } = await showInApp(client, { threadId: thread.id })
    const promptGiven = !(agent === 'shell' && prompt)
    if (!promptGiven) ctx.err('The prompt was not typed into the shell (a shell would run it as commands); give it to an agent instead: --agent builtin, claude or codex.')
    if (a.booleans.has('json')) {
      const overBudget = budget?.over ? { budget } : {}
      ctx.out(JSON.stringify(promptGiven ? { thread, url, ...overBudget } : { thread, url, ...overBudget, prompt: { delivered: false, reason: 'shell' } }))
    } else {
      ctx.out(`${thread.id}`)
      ctx.err(`Created "${thread.title}" in ${repo.name}${thread.mode === 'worktree' ? ` on ${thread.branch} (${thread.worktreePath})` : ' in your checkout'}.`)
      ctx.err(windows > 0 ? `Shown in the open Skein window. Open it elsewhere: ${url}` : `Open it: ${url}`)
    }
    return Exit.ok
  } finally {
    client.dispose()
  }
}
