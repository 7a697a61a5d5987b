import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { createCore } from '../core'
import { consoleLogger } from '../logger'
import { startBrowserServer } from './browser-server'
import { loadBrowserToken } from './browser-token'

/** Options of `npm run serve` / `skein serve`. */
export interface ServeOptions {
  port?: number
  host?: string
  token?: string
  rendererDir: string
}

/** Parses `--port N --host H` from argv. */
export function parseServeArgs(argv: readonly string[]): { port?: number; host?: string; error?: string } {
  const out: { port?: number; host?: string; error?: string } = {}
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const value = argv[i + 1]
    if (a === '--port' && value !== undefined) {
      const n = Number(value)
      if (!Number.isInteger(n) || n < 0 || n > 65535) out.error = `--port must be a number from 0 to 65535, not "${value}".`
      else out.port = n
      i++
    } else if (a === '--host' && value !== undefined) {
      out.host = value
      i++
    }
  }
  return out
}

/** Runs the core headless with the browser UI; resolves when the process should exit. */
export async function runServe(o: ServeOptions): Promise<void> {
  const logger = consoleLogger({ quiet: true })
  if (!existsSync(join(o.rendererDir, 'index.html'))) {
    process.stderr.write(`The UI is not built (${o.rendererDir} has no index.html). Run \`npm run build\` first.\n`)
    process.exitCode = 1
    return
  }
  const core = await createCore({ logger })
  // Kept across restarts, so open tabs reconnect and printed links keep working.
  const { token } = await loadBrowserToken(core.dataDir.home, { token: o.token })
  let server
  try {
    server = await startBrowserServer({ core, rendererDir: o.rendererDir, token, host: o.host, port: o.port })
  } catch (e) {
    process.stderr.write(`Could not listen on ${o.host ?? '127.0.0.1'}:${o.port ?? 0}: ${(e as Error).message}. Pick another --port.\n`)
    await core.close()
    process.exitCode = 1
    return
  }
  core.setWebUrl(server.url)
  if (o.host && !['127.0.0.1', 'localhost', '::1'].includes(o.host)) {
    process.stderr.write(`Warning: listening on ${o.host}; anyone on that network who has the token can control Skein.\n`)
  }
  process.stdout.write(`Skein is serving at ${server.url}\nData: ${core.dataDir.home}\nPress Ctrl+C to stop.\n`)
  await new Promise<void>((resolve) => {
    const stop = () => resolve()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  await server.close()
  await core.close()
}
