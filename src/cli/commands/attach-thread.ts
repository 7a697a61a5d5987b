import type { PtyInfo } from '../../shared/models'
import type { RpcClient } from '../../shared/rpc-client'
import { parseArgs } from '../args'
import { CliError, Exit } from '../cli-error'
import { findThread, type CliContext } from '../context'

/** `skein attach --help`. */
export const ATTACH_USAGE = `Usage: skein attach THREAD [--detach-key KEY]

Attaches this terminal to the thread's agent session, live: what you type goes to the agent,
what it prints shows here, and the app sees the same session. Press the detach key (Ctrl-]
by default) to leave; the thread keeps running.

  --detach-key   ctrl-] (default), ctrl-\\, ctrl-^, ctrl-_, or ctrl-<letter>
`

const ACK_EVERY = 5_000

/** The byte a detach key spec stands for (ctrl-] is 0x1d). */
export function detachByte(spec: string): number | null {
  const m = /^ctrl-(.)$/i.exec(spec.trim())
  if (!m) return null
  const c = m[1]!.toUpperCase().charCodeAt(0)
  return c >= 0x40 && c <= 0x5f ? c - 0x40 : null
}

/** The terminal to attach to: the live agent session, else the newest live terminal, else a new shell. */
async function pickPty(client: RpcClient, threadId: string, agentPtyId: string | null): Promise<{ pty: PtyInfo; opened: boolean }> {
  const { ptys } = await client.request('pty/list', { threadId })
  const live = ptys.filter((p) => p.state === 'running')
  const agent = live.find((p) => p.id === agentPtyId) ?? live.find((p) => p.kind === 'agent')
  const pick = agent ?? [...live].sort((a, b) => b.startedAt - a.startedAt)[0]
  if (pick) return { pty: pick, opened: false }
  return { pty: await client.request('pty/open', { threadId, kind: 'shell' }), opened: true }
}

/** Streams a thread's session into this terminal until the detach key, the session's end or a lost core. */
export async function attachThread(
  argv: readonly string[],
  ctx: CliContext,
  io: { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream } = { stdin: process.stdin, stdout: process.stdout }
): Promise<number> {
  const parsed = parseArgs(argv, { values: ['detach-key'] })
  if (!parsed.ok) throw new CliError(`${parsed.error}\n\n${ATTACH_USAGE}`, Exit.usage)
  if (parsed.args.booleans.has('help')) return (ctx.out(ATTACH_USAGE), Exit.ok)
  const keySpec = parsed.args.values.get('detach-key') ?? 'ctrl-]'
  const key = detachByte(keySpec)
  if (key === null) throw new CliError(`--detach-key must look like ctrl-] or ctrl-q, not "${keySpec}".`, Exit.usage)
  const client = await ctx.connect()
  const thread = await findThread(client, parsed.args.positionals[0])
  if (thread.status === 'archived') throw new CliError(`"${thread.title}" is archived. Restore it in the app first.`, Exit.failure)
  const { pty, opened } = await pickPty(client, thread.id, thread.agent?.ptyId ?? null)
  const { stdin, stdout } = io
  const resize = () => {
    if (stdout.columns && stdout.rows)
      void client.request('pty/resize', { ptyId: pty.id, cols: stdout.columns, rows: stdout.rows }).catch(() => undefined)
  }
  let unacked = 0
  const done = new Promise<{ why: 'detached' | 'exited' | 'lost'; code?: number | null }>((resolveDone) => {
    client.on('pty/data', (p) => {
      if (p.ptyId !== pty.id) return
      stdout.write(p.data)
      unacked += p.data.length
      // Ack after the write drained, as xterm does from its write callback: a slow terminal slows the agent, never the core.
      if (unacked >= ACK_EVERY) {
        const chars = unacked
        unacked = 0
        if (stdout.writableNeedDrain) stdout.once('drain', () => client.notify('pty/ack', { ptyId: pty.id, chars }))
        else client.notify('pty/ack', { ptyId: pty.id, chars })
      }
    })
    client.on('pty/exit', (p) => p.ptyId === pty.id && resolveDone({ why: 'exited', code: p.exitCode }))
    client.onClose(() => resolveDone({ why: 'lost' }))
    stdin.on('data', (chunk: Buffer) => {
      const i = chunk.indexOf(key)
      if (i >= 0) {
        if (i > 0) client.notify('pty/write', { ptyId: pty.id, data: chunk.subarray(0, i).toString('utf8') })
        resolveDone({ why: 'detached' })
        return
      }
      void client.request('pty/write', { ptyId: pty.id, data: chunk.toString('utf8') }).catch(() => undefined)
    })
  })
  const attached = await client.request('pty/attach', { ptyId: pty.id })
  const raw = stdin.isTTY === true
  if (raw) stdin.setRawMode(true)
  stdin.resume()
  ctx.err(
    `[attached to "${thread.title}"${opened ? ' (a new shell: the thread had no live session)' : pty.kind === 'agent' ? ' (agent session)' : ` (${pty.title})`}; ${keySpec} detaches]`
  )
  stdout.write(attached.scrollback)
  resize()
  stdout.on('resize', resize)
  const end = await done
  stdout.off('resize', resize)
  if (raw) stdin.setRawMode(false)
  stdin.pause()
  if (end.why === 'detached') await client.request('pty/detach', { ptyId: pty.id }).catch(() => undefined)
  client.dispose()
  ctx.err(
    end.why === 'detached'
      ? `\r\n[detached; "${thread.title}" keeps running. Come back with: skein attach ${thread.id}]`
      : end.why === 'exited'
        ? `\r\n[the session ended${end.code === null || end.code === undefined ? '' : ` with exit code ${end.code}`}]`
        : '\r\n[lost the connection to the Skein core; the thread keeps running]'
  )
  return end.why === 'lost' ? Exit.coreUnreachable : Exit.ok
}
