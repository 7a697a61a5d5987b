// Browser mode: the core, headless, with the built UI over HTTP and the protocol over a WebSocket.
import { join } from 'node:path'
import { parseServeArgs, runServe } from './core/server/serve-command'

const args = parseServeArgs(process.argv.slice(2))
if (args.error) {
  process.stderr.write(`${args.error}\n`)
  process.exit(2)
}
runServe({ port: args.port, host: args.host, rendererDir: join(__dirname, '../renderer') }).then(
  () => process.exit(process.exitCode ?? 0),
  (e) => {
    process.stderr.write(`Skein could not start: ${(e as Error).stack ?? String(e)}\n`)
    process.exit(1)
  }
)
