import { resolve } from 'node:path'
import { parseArgs } from '../args'
import { CliError, Exit } from '../cli-error'
import { findThread, showInApp, type CliContext } from '../context'

/** `skein open --help`. */
export const OPEN_USAGE = `Usage: skein open THREAD [--headless]

Shows the thread in the Skein app (starting it if needed). THREAD is an id, the start of one, or a title.
`

/** `skein [path] --help`. */
export const PATH_USAGE = `Usage: skein [PATH] [--headless]

Opens Skein on the repository that contains PATH (default: the current folder), adding it if it is new.
`

async function focus(
  ctx: CliContext,
  headless: boolean,
  target: (c: Awaited<ReturnType<CliContext['connect']>>) => Promise<{ threadId?: string; repoId?: string; label: string }>
): Promise<number> {
  const client = await ctx.connect({ start: true, headless })
  try {
    const t = await target(client)
    const { windows, webUrl, url } = await showInApp(client, { threadId: t.threadId, repoId: t.repoId })
    if (windows > 0) ctx.err(`Showing ${t.label} in Skein.`)
    else if (webUrl) ctx.err(`No Skein window is open. Open ${t.label} at:`)
    else ctx.err(`No Skein window is open yet; ${t.label} will be shown when one connects.`)
    if (windows === 0 && url && webUrl) ctx.out(url)
    return Exit.ok
  } finally {
    client.dispose()
  }
}

/** Focuses a thread in the app. */
export async function openThread(argv: readonly string[], ctx: CliContext): Promise<number> {
  const parsed = parseArgs(argv, { booleans: ['headless'] })
  if (!parsed.ok) throw new CliError(`${parsed.error}\n\n${OPEN_USAGE}`, Exit.usage)
  if (parsed.args.booleans.has('help')) return (ctx.out(OPEN_USAGE), Exit.ok)
  return focus(ctx, parsed.args.booleans.has('headless'), async (client) => {
    const t = await findThread(client, parsed.args.positionals[0])
    return { threadId: t.id, label: `"${t.title}"` }
  })
}

/** Opens the app on the repository containing a path, adding it when new. */
export async function openPath(argv: readonly string[], ctx: CliContext): Promise<number> {
  const parsed = parseArgs(argv, { booleans: ['headless'] })
  if (!parsed.ok) throw new CliError(`${parsed.error}\n\n${PATH_USAGE}`, Exit.usage)
  if (parsed.args.booleans.has('help')) return (ctx.out(PATH_USAGE), Exit.ok)
  const path = resolve(ctx.cwd, parsed.args.positionals[0] ?? '.')
  return focus(ctx, parsed.args.booleans.has('headless'), async (client) => {
    const repo = await client.request('repo/add', { path })
    return { repoId: repo.id, label: `${repo.name} (${repo.path})` }
  })
}
