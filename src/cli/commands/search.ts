import { parseArgs } from '../args'
import { CliError, Exit } from '../cli-error'
import { knownRepoFor, threadLink, type CliContext } from '../context'
import { ThreadStatus } from '../../shared/models'
import { MATCH_END, MATCH_START, SearchAgent, type SearchResult } from '../../shared/search'
import type { RpcClient } from '../../shared/rpc-client'

/** `skein search --help`. */
export const SEARCH_USAGE = `Usage: skein search WORDS… [--repo R] [--status S] [--agent A] [--since D] [--until D] [--limit N] [--json]

Searches every thread's title, prompts, replies, tool commands and outputs, and imported sessions.
Words must all match; "an exact phrase" in quotes; a trailing * matches a prefix (build*).

  --repo    a repository: its id, its name, or a path inside it
  --status  idle, running, needs-attention, error or archived
  --agent   builtin, claude, codex, custom or shell
  --since   items from this time: 2026-11-20, 2026-11-20T14:00, or 30m / 12h / 7d ago
  --until   items before this time (same forms)
  --limit   how many results (1-200, default 20)
  --json    machine-readable: {"results": [{threadId, itemId, kind, snippet, createdAt, threadTitle, repoId, open}], "nextCursor"}
`

const RELATIVE = /^(\d{1,6})([mhdw])$/
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

/** A time a person types: a date, a date and time, or an age like 7d; null when it is none of these. */
export function parseWhen(text: string, now = Date.now()): number | null {
  const rel = RELATIVE.exec(text.trim())
  if (rel) return now - Number(rel[1]) * UNIT_MS[rel[2]!]!
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+Z?)?$/.test(text.trim())) return null
  // A date alone is local midnight, as people mean it (Date.parse would take it as UTC).
  const t = /^\d{4}-\d{2}-\d{2}$/.test(text.trim()) ? new Date(`${text.trim()}T00:00`).getTime() : Date.parse(text.trim())
  return Number.isFinite(t) ? t : null
}

/** Searches every thread from the command line. */
export async function searchCommand(argv: readonly string[], ctx: CliContext): Promise<number> {
  const parsed = parseArgs(argv, { values: ['repo', 'status', 'agent', 'since', 'until', 'limit'], booleans: ['json'] })
  if (!parsed.ok) throw new CliError(`${parsed.error}\n\n${SEARCH_USAGE}`, Exit.usage)
  const a = parsed.args
  if (a.booleans.has('help')) return (ctx.out(SEARCH_USAGE), Exit.ok)
  const query = a.positionals.join(' ').trim()
  if (!query) throw new CliError(`Say what to search for.\n\n${SEARCH_USAGE}`, Exit.usage)
  const status = a.values.get('status')
  if (status !== undefined && !ThreadStatus.safeParse(status).success)
    throw new CliError(`--status is one of ${ThreadStatus.options.join(', ')}.`, Exit.usage)
  const agent = a.values.get('agent')
  if (agent !== undefined && !SearchAgent.safeParse(agent).success)
    throw new CliError('--agent is one of builtin, claude, codex, custom, shell.', Exit.usage)
  const when = (flag: string): number | undefined => {
    const raw = a.values.get(flag)
    if (raw === undefined) return undefined
    const t = parseWhen(raw)
    if (t === null)
      throw new CliError(`--${flag} takes a date (2026-11-20), a date and time (2026-11-20T14:00), or an age (30m, 12h, 7d).`, Exit.usage)
    return t
  }
  const limitText = a.values.get('limit') ?? '20'
  const limit = Number(limitText)
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new CliError('--limit is a whole number from 1 to 200.', Exit.usage)
  const since = when('since')
  const until = when('until')
  const client = await ctx.connect()
  try {
    const repoId = await repoFor(client, a.values.get('repo'))
    const page = await client.request('search/query', {
      query,
      limit,
      ...(repoId ? { repoId } : {}),
      ...(status ? { status: status as ThreadStatus } : {}),
      ...(agent ? { profileId: agent as SearchAgent } : {}),
      ...(since !== undefined ? { since } : {}),
      ...(until !== undefined ? { until } : {})
    })
    const { webUrl } = await client.request('core/hello', { client: 'cli' })
    const open = (r: SearchResult) => openLink(webUrl, r)
    if (a.booleans.has('json')) {
      ctx.out(
        JSON.stringify({ results: page.results.map((r) => ({ ...r, open: open(r) })), nextCursor: page.nextCursor, index: page.index })
      )
      return Exit.ok
    }
    if (page.index.state !== 'ready' && page.index.message) ctx.err(page.index.message)
    if (page.results.length === 0) {
      ctx.err(`Nothing matches ${JSON.stringify(query)}.`)
      return Exit.ok
    }
    const marks = process.stdout.isTTY && !process.env.NO_COLOR ? ['\u001b[1m', '\u001b[22m'] : ['«', '»']
    for (const r of page.results) {
      ctx.out(`${r.threadTitle}  ·  ${r.kind}  ·  ${new Date(r.createdAt).toLocaleString()}`)
      const snippet = r.snippet.replace(/\s+/g, ' ').split(MATCH_START).join(marks[0]).split(MATCH_END).join(marks[1])
      ctx.out(`  ${snippet}`)
      ctx.out(`  ${open(r)}`)
    }
    if (page.nextCursor) ctx.err(`More results: raise --limit (up to 200) or narrow the search.`)
    return Exit.ok
  } finally {
    client.dispose()
  }
}

/** The link that opens a result in browser mode (at its item), or the command that shows its thread in the app. */
function openLink(webUrl: string | null, r: SearchResult): string {
  const link = threadLink(webUrl, r.threadId)
  return webUrl && r.itemId ? `${link}&item=${encodeURIComponent(r.itemId)}` : link
}

async function repoFor(client: RpcClient, ref: string | undefined): Promise<string | undefined> {
  if (ref === undefined) return undefined
  const { repos } = await client.request('repo/list')
  const named = repos.find((r) => r.id === ref || r.name === ref)
  if (named) return named.id
  const inside = await knownRepoFor(client, ref)
  if (inside) return inside.id
  throw new CliError(`${ref} is not a repository Skein knows (an id, a name, or a path inside one).`, Exit.notFound)
}
