// The `skein` command: a client of the same protocol as the app, over SKEIN_HOME/skein.sock.
import { join, resolve } from 'node:path'
import { RpcError } from '../shared/errors'
import type { Thread } from '../shared/models'
import { parseServeArgs, runServe } from '../main/core/server/serve-command'
import { connectToRunningCore } from './connect'

const USAGE = `Usage: skein <command>

  serve [--port N] [--host H]   run the core headless and serve the UI in a browser
  repos                          list repositories of the running core
  threads [--all]                list threads of the running core (--all includes archived)
  add-repo <path>                add a repository to the running core
`

function ago(ms: number): string {
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000))
  if (s < 60) return 'now'
  if (s < 3600) return `${Math.floor(s / 60)}m`
  if (s < 86400) return `${Math.floor(s / 3600)}h`
  return `${Math.floor(s / 86400)}d`
}

async function withCore<T>(fn: (c: NonNullable<Awaited<ReturnType<typeof connectToRunningCore>>>) => Promise<T>): Promise<T> {
  const client = await connectToRunningCore()
  if (!client) throw new Error('No Skein core is running for this SKEIN_HOME. Start the app, or run `skein serve`.')
  try {
    return await fn(client)
  } finally {
    client.dispose()
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  switch (command) {
    case 'serve': {
      const args = parseServeArgs(rest)
      if (args.error) throw new Error(args.error)
      await runServe({ port: args.port, host: args.host, rendererDir: join(__dirname, '../renderer') })
      return Number(process.exitCode ?? 0)
    }
    case 'repos':
      return withCore(async (c) => {
        const { repos } = await c.request('repo/list')
        if (repos.length === 0) console.log('No repositories yet. Add one with `skein add-repo <path>`.')
        for (const r of repos) console.log(`${r.name}\t${r.path}`)
        return 0
      })
    case 'add-repo': {
      if (!rest[0]) throw new Error('add-repo needs a path.')
      const path = rest[0]
      return withCore(async (c) => {
        const repo = await c.request('repo/add', { path: resolve(path) })
        console.log(`Added ${repo.name} (${repo.path})`)
        return 0
      })
    }
    case 'threads':
      return withCore(async (c) => {
        const [{ repos }, { threads }] = await Promise.all([c.request('repo/list'), c.request('thread/list', { includeArchived: rest.includes('--all') })])
        const names = new Map(repos.map((r) => [r.id, r.name]))
        const sorted = [...threads].sort((a: Thread, b: Thread) => b.lastActivityAt - a.lastActivityAt)
        if (sorted.length === 0) console.log('No threads.')
        for (const t of sorted) console.log(`${t.id}\t${names.get(t.repoId) ?? t.repoId}\t${t.status}\t${ago(t.lastActivityAt)}\t${t.title}`)
        return 0
      })
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE)
      return 0
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${USAGE}`)
      return 2
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`skein: ${e instanceof RpcError || e instanceof Error ? e.message : String(e)}\n`)
    process.exit(1)
  }
)
