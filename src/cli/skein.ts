// The `skein` command: a client of the same protocol as the app, over SKEIN_HOME/skein.sock.
import { existsSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { RpcError } from '../shared/errors'
import { parseServeArgs, runServe } from '../main/core/server/serve-command'
import { DataDir } from '../main/core/store/data-dir'
import { CliError, Exit } from './cli-error'
import { exitCodeFor, processContext, type CliContext } from './context'
import { ATTACH_USAGE, attachThread } from './commands/attach-thread'
import { CHECKPOINTS_USAGE, checkpointsCommand, FORK_USAGE, forkCommand, REWIND_USAGE, rewindCommand } from './commands/checkpoints'
import { handoff, HANDOFF_USAGE } from './commands/handoff'
import { LIST_USAGE, listThreads } from './commands/list-threads'
import { NEW_USAGE, newThread } from './commands/new-thread'
import { OPEN_USAGE, openPath, openThread } from './commands/open-thread'
import { SEARCH_USAGE, searchCommand } from './commands/search'

const USAGE = `Usage: skein [PATH] | skein <command> [options]

  skein [PATH]                 open Skein on the repository containing PATH (default: here)
  new "prompt" [options]       create a thread and start its agent with the prompt
                               (--agent builtin|claude|codex|custom|shell, --permission, --local, --base, --repo)
  list [--json] [--repo PATH]  threads grouped by repository, with status, branch and CI
  open THREAD                  show a thread in the app
  search WORDS [--repo R] [--status S] [--since D] [--json]
                               search every thread's titles, prompts, replies, commands and outputs
  attach THREAD                attach this terminal to a thread's session (Ctrl-] detaches)
  checkpoints THREAD [--now]   a thread's checkpoints (one before every turn), or take one
  fork THREAD [--from N] ["prompt" ...]
                               fork a thread from a checkpoint into new worktree threads
  rewind THREAD --to N [--code|--conversation]
                               put a thread's files and conversation back to a checkpoint
  handoff [--from claude|codex] [--session ID | --last]
                               import a Claude Code or Codex session from here and continue it in Skein
  serve [--port N] [--host H]  run the core headless with the web UI

Every command takes --help. Exit codes: 0 ok, 1 failed, 2 usage, 3 core unreachable,
4 unknown thread/session, 5 not a git repository. SKEIN_HOME picks the data folder (default ~/.skein).
`

const SERVE_USAGE = `Usage: skein serve [--port N] [--host 127.0.0.1]

Runs the Skein core without a window and serves the web UI. Prints the URL with its access token.
Binding to anything but loopback needs --host explicitly and prints a warning.
`

type Command = (argv: readonly string[], ctx: CliContext) => Promise<number>

const commands: Record<string, { run: Command; usage: string }> = {
  new: { run: newThread, usage: NEW_USAGE },
  list: { run: listThreads, usage: LIST_USAGE },
  open: { run: openThread, usage: OPEN_USAGE },
  search: { run: searchCommand, usage: SEARCH_USAGE },
  attach: { run: (argv, ctx) => attachThread(argv, ctx), usage: ATTACH_USAGE },
  handoff: { run: handoff, usage: HANDOFF_USAGE },
  fork: { run: forkCommand, usage: FORK_USAGE },
  rewind: { run: rewindCommand, usage: REWIND_USAGE },
  checkpoints: { run: checkpointsCommand, usage: CHECKPOINTS_USAGE },
  serve: {
    usage: SERVE_USAGE,
    run: async (argv, ctx) => {
      if (argv.includes('--help') || argv.includes('-h')) return (ctx.out(SERVE_USAGE), Exit.ok)
      const args = parseServeArgs(argv)
      if (args.error) throw new CliError(args.error, Exit.usage)
      await runServe({ port: args.port, host: args.host, rendererDir: join(__dirname, '../renderer') })
      return Number(process.exitCode ?? 0)
    }
  }
}

const isFolder = (p: string) => existsSync(p) && statSync(p).isDirectory()

async function main(argv: string[]): Promise<number> {
  const ctx = processContext(DataDir.fromEnv())
  const [command, ...rest] = argv
  if (command === 'help' || command === '--help' || command === '-h') {
    const sub = command === 'help' && rest[0] ? commands[rest[0]] : undefined
    ctx.out(sub ? sub.usage : USAGE)
    return Exit.ok
  }
  if (command === '--version' || command === '-v') {
    ctx.out(process.env.npm_package_version ?? '0.1.0')
    return Exit.ok
  }
  const known = command === undefined ? undefined : commands[command]
  if (known) return known.run(rest, ctx)
  if (command === undefined || command.startsWith('--') || isFolder(resolve(command))) return openPath(argv, ctx)
  ctx.err(`Unknown command "${command}" (and no folder of that name).\n\n${USAGE}`)
  return Exit.usage
}

main(process.argv.slice(2)).then(
  // Exit once stdout has flushed: a piped `list --json` must not be cut short.
  (code) => process.stdout.write('', () => process.exit(code)),
  (e) => {
    process.stderr.write(`skein: ${e instanceof RpcError || e instanceof Error ? e.message : String(e)}\n`)
    process.stdout.write('', () => process.exit(exitCodeFor(e)))
  }
)
