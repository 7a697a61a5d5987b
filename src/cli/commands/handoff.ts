import { resolve } from 'node:path'
import { parseArgs } from '../args'
import { CliError, Exit } from '../cli-error'
import { showInApp, type CliContext } from '../context'
import { reportLine } from '../../shared/import-report'

/** `skein handoff --help`. */
export const HANDOFF_USAGE = `Usage: skein handoff [--from claude|codex] [--session ID | --last] [--list] [--json] [--headless]

Imports a Claude Code or Codex CLI session that ran in this folder into Skein as a thread (in
the repository it ran in), opens it in the app, and lets you continue it there: in its own CLI
(claude --resume / codex resume in the thread's terminal) or with Skein's built-in agent.
Importing the same session again updates the same thread.

  --from      only sessions of this CLI
  --session   the session id to import
  --last      the latest session that ran here (the default)
  --list      list the sessions found here instead of importing
  --json      machine-readable output
`

/** Imports a CLI agent session into Skein. */
export async function handoff(argv: readonly string[], ctx: CliContext): Promise<number> {
  const parsed = parseArgs(argv, { values: ['from', 'session'], booleans: ['last', 'list', 'json', 'headless'] })
  if (!parsed.ok) throw new CliError(`${parsed.error}\n\n${HANDOFF_USAGE}`, Exit.usage)
  const a = parsed.args
  if (a.booleans.has('help')) return (ctx.out(HANDOFF_USAGE), Exit.ok)
  const from = a.values.get('from')
  if (from !== undefined && from !== 'claude' && from !== 'codex')
    throw new CliError(`--from must be claude or codex, not "${from}".`, Exit.usage)
  if (a.values.has('session') && a.booleans.has('last')) throw new CliError('Give either --session ID or --last, not both.', Exit.usage)
  const cwd = resolve(ctx.cwd)
  const client = await ctx.connect({ start: !a.booleans.has('list'), headless: a.booleans.has('headless') })
  try {
    if (a.booleans.has('list')) {
      const { sessions } = await client.request('handoff/sessions', { dir: cwd, source: from })
      if (a.booleans.has('json')) ctx.out(JSON.stringify({ sessions }))
      else if (sessions.length === 0) ctx.out(`No Claude Code or Codex sessions ran in ${cwd}.`)
      else
        for (const s of sessions)
          ctx.out(
            `${s.source.padEnd(6)}  ${s.sessionId}  ${new Date(s.updatedAt).toISOString().slice(0, 16).replace('T', ' ')}  ${s.threadId ? `imported as ${s.threadId}` : 'new'}  ${s.firstPrompt.slice(0, 60)}`
          )
      return Exit.ok
    }
    const sessionId = a.values.get('session')
    const r = await client.request('handoff/import', { source: from, sessionId, last: !sessionId, cwd })
    const { url } = await showInApp(client, { threadId: r.thread.id })
    if (a.booleans.has('json')) {
      ctx.out(JSON.stringify({ ...r, url }))
      return Exit.ok
    }
    ctx.out(r.thread.id)
    const what = r.created ? `Imported "${r.thread.title}"` : `Updated "${r.thread.title}" (${r.added} new or changed items)`
    ctx.err(
      `${what} from ${r.thread.imported?.source === 'codex' ? 'Codex' : 'Claude Code'} session ${r.thread.imported?.sessionId}: ${reportLine(r.report)}.`
    )
    const skipped = Object.entries(r.report.skipped)
    if (skipped.length) ctx.err(`Left out: ${skipped.map(([why, n]) => `${n} ${why}`).join(', ')}.`)
    for (const w of r.report.warnings) ctx.err(`warning: ${w}`)
    ctx.err(`Open it: ${url}`)
    ctx.err(
      `Continue in its CLI: ${r.thread.imported?.resumeCommand}  (or in the app: "Continue in Claude Code/Codex", or just write to the built-in agent)`
    )
    return Exit.ok
  } finally {
    client.dispose()
  }
}
