import WebSocket from 'ws'
import { RpcClient } from '../../src/shared/rpc-client'
import type { Disposable, MessageTransport } from '../../src/shared/jsonrpc'
import type { Thread } from '../../src/shared/models'
import type { CoreProcess } from './core-process'

/** A protocol client for the test itself (seeding data the way the CLI would), over the core's WebSocket. */
export async function connectClient(core: CoreProcess): Promise<RpcClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${core.port}/rpc?token=${encodeURIComponent(core.token)}`)
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  const listeners =
    (set: Set<(v: string) => void>) =>
    (l: (v: string) => void): Disposable => {
      set.add(l)
      return { dispose: () => set.delete(l) }
    }
  const onMessage = new Set<(text: string) => void>()
  const onClose = new Set<() => void>()
  ws.on('message', (data) => onMessage.forEach((l) => l(data.toString())))
  ws.on('close', () => onClose.forEach((l) => l()))
  const transport: MessageTransport = {
    send: (text) => ws.send(text),
    onMessage: listeners(onMessage),
    onClose: listeners(onClose as Set<(v: string) => void>) as MessageTransport['onClose'],
    close: () => ws.close()
  }
  return new RpcClient(transport)
}

/** A thread as the core lists it, by title. */
export async function threadNamed(core: CoreProcess, title: string): Promise<Thread> {
  const client = await connectClient(core)
  try {
    const thread = (await client.request('thread/list', {})).threads.find((t) => t.title === title)
    if (!thread) throw new Error(`no thread titled ${title}`)
    return thread
  } finally {
    client.dispose()
  }
}
