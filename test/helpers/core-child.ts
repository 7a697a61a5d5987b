// A stand-in for Electron's utility process in Node tests: a child process whose `parentPort`
// (and the MessagePorts it receives) travel over child_process IPC. Run with `node --import tsx`.
import type { MainMessagePort } from '../../src/main/core/rpc/main-port-transport'
import { startCoreProcess, type ParentPortLike } from '../../src/main/electron/core-process-runtime'

type Bridge =
  | { bridge: 'msg'; message: unknown; portIds: number[] }
  | { bridge: 'data'; portId: number; data: unknown }
  | { bridge: 'close'; portId: number }

const send = (m: Bridge) => process.send?.(m)
const ports = new Map<number, { message: Set<(e: { data: unknown }) => void>; close: Set<() => void> }>()

function bridgedPort(portId: number): MainMessagePort {
  const listeners = { message: new Set<(e: { data: unknown }) => void>(), close: new Set<() => void>() }
  ports.set(portId, listeners)
  return {
    on(event: 'message' | 'close', listener: never) {
      ;(listeners[event] as Set<unknown>).add(listener)
      return this
    },
    off(event: 'message' | 'close', listener: never) {
      ;(listeners[event] as Set<unknown>).delete(listener)
      return this
    },
    postMessage: (data: unknown) => send({ bridge: 'data', portId, data }),
    start: () => undefined,
    close: () => {
      ports.delete(portId)
      send({ bridge: 'close', portId })
    }
  } as MainMessagePort
}

const parentListeners = new Set<(e: { data: unknown; ports: MainMessagePort[] }) => void>()
const parentPort: ParentPortLike = {
  on: (_event, listener) => parentListeners.add(listener),
  postMessage: (message) => send({ bridge: 'msg', message, portIds: [] })
}

process.on('message', (m: Bridge) => {
  if (m.bridge === 'msg') {
    const e = { data: m.message, ports: m.portIds.map(bridgedPort) }
    for (const l of parentListeners) l(e)
  } else if (m.bridge === 'data') {
    for (const l of ports.get(m.portId)?.message ?? []) l({ data: m.data })
  } else {
    const p = ports.get(m.portId)
    ports.delete(m.portId)
    for (const l of p?.close ?? []) l()
  }
})
// Main went away: so does the core process, as a utility process does with its app.
process.on('disconnect', () => process.exit(0))

startCoreProcess(parentPort)
