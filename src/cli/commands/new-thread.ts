import { resolve } from 'node:path'
import { PermissionMode, type ProfileId, type Repo } from '../../shared/models'
import type { RpcClient } from '../../shared/rpc-client'
import { titleFromPrompt } from '../../shared/thread-title'
import { parseArgs } from '../args'
import { CliError, Exit } from '../cli-error'
import { showInApp, type CliContext } from '../context'

/** `skein new --help`. */
export const NEW_USAGE = `Usage: skein new "prompt" [--agent AGENT] [--permission MODE] [--worktree|--local] [--base REF] [--repo PATH] [--title T] [--json] [--headless]

Creates a thread, starts its agent with the prompt, and prints the thread id and where to open it.
The same choices as the app's New thread dialog:

  --agent       builtin  Skein's own Claude agent (the default): the prompt is its first message
                claude   Claude Code in the thread's terminal, started with the prompt
                codex    Codex in the thread's terminal, started with the prompt
                custom   the custom command from Agent settings (given the prompt only if it is
                         marked as taking prompts)
                shell    just a shell; the prompt only names the thread, it is never typed in
  --permission  the built-in agent's permission mode: plan (read-only), ask (the default),
                accept-edits or auto (also --mode; --plan is short for --permission plan)
  --worktree    work on a new branch in its own worktree, outside your checkout (the default)
  --local       work in the repository's own checkout instead
  --base        the ref the thread's branch starts from (default: the current branch)
  --repo        the repository: a path, or the name of one Skein knows (default: the one that
                contains the current folder; a new one is added)
  --title       the thread's title (default: the start of the prompt)
  --json        print {"thread": …, "url": …}
  --headless    when no core is running, start \`skein serve\` rather than the app
`

const AGENTS = ['builtin', 'claude', 'codex', 'custom', 'shell'] as const
type AgentChoice = (typeof AGENTS)[number]

/** What `skein new` was asked for, checked: everything but where the core is. */
export interface NewThreadOptions {
  prompt: string
  agent: AgentChoice
  permissionMode: PermissionMode | undefined
  mode: 'worktree' | 'local'
  baseRef: string | undefined
  repo: string | undefined
  title: string
}

/** Reads `skein new`'s arguments; bad usage is a CliError with the usage text. Returns null for --help. */
export function parseNewThreadArgs(argv: readonly string[]): (NewThreadOptions & { json: boolean; headless: boolean }) | null {
  const parsed = parseArgs(argv, {
    values: ['agent', 'base', 'title', 'repo', 'permission', 'mode'],
    booleans: ['plan', 'local', 'worktree', 'json', 'headless']
  })
  if (!parsed.ok) throw new CliError(`${parsed.error}\n\n${NEW_USAGE}`, Exit.usage)
  const a = parsed.args
  if (a.booleans.has('help')) return null
  const agent = (a.values.get('agent') ?? 'builtin') as AgentChoice
  if (!AGENTS.includes(agent)) throw new CliError(`--agent must be one of ${AGENTS.join(', ')}, not "${agent}".`, Exit.usage)
  const asked = [a.values.get('permission'), a.values.get('mode'), a.booleans.has('plan') ? 'plan' : undefined].filter(
    (m): m is string => m !== undefined
  )
  if (new Set(asked).size > 1) throw new CliError(`Choose one permission mode, not ${[...new Set(asked)].join(' and ')}.`, Exit.usage)
  const mode = asked[0] === undefined ? undefined : PermissionMode.safeParse(asked[0])
  if (mode && !mode.success)
    throw new CliError(`--permission must be one of ${PermissionMode.options.join(', ')}, not "${asked[0]}".`, Exit.usage)
  if (mode && agent !== 'builtin')
    throw new CliError(
      'The permission mode is for the built-in agent; Claude Code and Codex have their own (e.g. Shift+Tab in Claude Code).',
      Exit.usage
    )
  if (a.booleans.has('local') && a.booleans.has('worktree')) throw new CliError('Choose --worktree or --local, not both.', Exit.usage)
  const prompt = a.positionals.join(' ').trim()
  const title = (a.values.get('title') ?? '').trim() || titleFromPrompt(prompt) || (agent === 'shell' ? 'Shell' : '')
  if (!prompt && agent !== 'shell' && !a.values.has('title'))
    throw new CliError(`Give the agent a prompt: skein new "what to do"`, Exit.usage)
  return {
    prompt,
    agent,
    permissionMode: mode?.data,
    mode: a.booleans.has('local') ? 'local' : 'worktree',
    baseRef: a.values.get('base'),
    repo: a.values.get('repo'),
    title,
    json: a.booleans.has('json'),
    headless: a.booleans.has('headless')
  }
}

/** The repository a thread goes in: --repo as a known name, else a path (added if new); else the current folder's. */
async function chooseRepo(client: RpcClient, cwd: string, ref: string | undefined): Promise<Repo> {
  if (ref) {
    const { repos } = await client.request('repo/list', {})
    const byName = repos.filter((r) => r.name === ref || r.id === ref)
    if (byName.length === 1) return byName[0]!
    return client.request('repo/add', { path: resolve(cwd, ref) })
  }
  return client.request('repo/add', { path: resolve(cwd) })
}

/** Creates and starts a thread from the terminal. */
export async function newThread(argv: readonly string[], ctx: CliContext): Promise<number> {
  const o = parseNewThreadArgs(argv)
  if (!o) return (ctx.out(NEW_USAGE), Exit.ok)

  const client = await ctx.connect({ start: true, headless: o.headless })
  try {
    const repo = await chooseRepo(client, ctx.cwd, o.repo)
    const profileId: ProfileId | undefined = o.agent === 'builtin' ? undefined : o.agent
    let promptGiven = o.agent !== 'shell' || !o.prompt
    if (o.agent === 'custom' && o.prompt) {
      const { profiles } = await client.request('profile/list', { repoId: repo.id })
      promptGiven = profiles.find((p) => p.id === 'custom')?.acceptsPrompt ?? false
    }
    // A budget warns, it does not refuse: the person asked for this worktree.
    const budget = o.mode === 'local' ? null : await client.request('disk/check', { repoId: repo.id })
    if (budget?.over)
      ctx.err(
        `Warning: over the disk budget. ${budget.message} Free space with Clean up (repository menu → Disk use), or raise the budget there.`
      )
    const thread = await client.request('thread/create', {
      repoId: repo.id,
      title: o.title,
      mode: o.mode,
      baseRef: o.baseRef,
      profileId,
      // A shell runs every line it is typed, so the prompt is never given to it.
      prompt: o.prompt && o.agent !== 'shell' ? o.prompt : undefined,
      permissionMode: o.permissionMode
    })
    const { windows, url } = await showInApp(client, { threadId: thread.id })
    if (!promptGiven) {
      ctx.err(
        o.agent === 'shell'
          ? 'The prompt was not typed into the shell (a shell would run it as commands); give it to an agent instead: --agent builtin, claude or codex.'
          : 'The prompt was not given to the custom command: it is not marked as taking prompts (Agent settings).'
      )
    }
    if (o.json) {
      const overBudget = budget?.over ? { budget } : {}
      ctx.out(
        JSON.stringify(
          promptGiven
            ? { thread, url, ...overBudget }
            : { thread, url, ...overBudget, prompt: { delivered: false, reason: o.agent === 'shell' ? 'shell' : 'no-prompt' } }
        )
      )
    } else {
      ctx.out(`${thread.id}`)
      ctx.err(
        `Created "${thread.title}" in ${repo.name}${thread.mode === 'worktree' ? ` on ${thread.branch} (${thread.worktreePath})` : ' in your checkout'}.`
      )
      ctx.err(windows > 0 ? `Shown in the open Skein window. Open it elsewhere: ${url}` : `Open it: ${url}`)
    }
    return Exit.ok
  } finally {
    client.dispose()
  }
}
