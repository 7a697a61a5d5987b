import { threadStateNames, threadStateOf, type ThreadState } from '../../shared/thread-state'
import { parseArgs } from '../args'
import { CliError, Exit } from '../cli-error'
import { knownRepoFor, listAllThreads, type CliContext } from '../context'

/** `skein list --help`. */
export const LIST_USAGE = `Usage: skein list [--json] [--repo PATH] [--all] [--state S[,S…]]

Lists threads grouped by repository, with state (as the window shows it), branch and CI state.

  --json   machine-readable: {"repos": [{…repo, "threads": [{…thread, "state", "stateLabel", "ci"}]}]}
  --repo   only the repository that contains PATH
  --all    include archived threads
  --state  only threads in these states: ${threadStateNames.join(', ')}
`

/** The states `--state` names, or a usage error naming the one that is not a state. */
function statesOf(value: string | undefined): ThreadState[] | undefined {
  if (value === undefined) return undefined
  const names = value.split(',').map((s) => s.trim())
  const unknown = names.find((s) => !(threadStateNames as readonly string[]).includes(s))
  if (unknown !== undefined) throw new CliError(`"${unknown}" is not a thread state.\n\n${LIST_USAGE}`, Exit.usage)
  return [...new Set(names as ThreadState[])]
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000))
  if (s < 60) return 'now'
  if (s < 3600) return `${Math.floor(s / 60)}m ago`
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`
  return `${Math.floor(s / 86400)}d ago`
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  '))
}

/** Prints the threads of the running core. */
export async function listThreads(argv: readonly string[], ctx: CliContext): Promise<number> {
  const parsed = parseArgs(argv, { values: ['repo', 'state'], booleans: ['json', 'all'] })
  if (!parsed.ok) throw new CliError(`${parsed.error}\n\n${LIST_USAGE}`, Exit.usage)
  const a = parsed.args
  if (a.booleans.has('help')) return (ctx.out(LIST_USAGE), Exit.ok)
  const states = statesOf(a.values.get('state'))
  const client = await ctx.connect()
  try {
    let { repos } = await client.request('repo/list')
    // Asking for archived threads by state lists them without --all.
    const archived = a.booleans.has('all') || states?.includes('archived') ? 'include' : 'exclude'
    const threads = await listAllThreads(client, { archived, states })
    const ci = new Map((await client.request('ci/statuses')).statuses.map((c) => [c.threadId, c.overall]))
    const only = a.values.get('repo')
    if (only !== undefined) {
      const repo = await knownRepoFor(client, only)
      if (!repo) throw new CliError(`${only} is not in a repository Skein knows. Add it with \`skein ${only}\`.`, Exit.notFound)
      repos = [repo]
    }
    const grouped = repos.map((r) => ({
      ...r,
      threads: threads
        .filter((t) => t.repoId === r.id)
        .sort((x, y) => y.lastActivityAt - x.lastActivityAt)
        .map((t) => {
          const { state, label } = threadStateOf({ ...t, ciFailed: ci.get(t.id) === 'failed' })
          return { ...t, state, stateLabel: label, ci: ci.get(t.id) ?? 'none' }
        })
    }))
    if (a.booleans.has('json')) {
      ctx.out(JSON.stringify({ repos: grouped }))
      return Exit.ok
    }
    if (grouped.length === 0) ctx.out('No repositories yet. Run `skein` inside a git repository to add it.')
    for (const r of grouped) {
      ctx.out(`${r.name}  ${r.path}`)
      if (r.threads.length === 0) {
        ctx.out('  (no threads)')
        continue
      }
      const rows = [
        ['  ID', 'STATUS', 'BRANCH', 'CI', 'ACTIVE', 'TITLE'],
        ...r.threads.map((t) => [
          `  ${t.id}`,
          t.stateLabel,
          t.mode === 'local' ? `(local) ${t.branch ?? ''}`.trim() : (t.branch ?? '-'),
          t.ci === 'none' ? '-' : t.ci,
          ago(t.lastActivityAt),
          t.title
        ])
      ]
      for (const line of table(rows)) ctx.out(line)
    }
    return Exit.ok
  } finally {
    client.dispose()
  }
}
