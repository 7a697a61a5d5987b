import { connect } from 'node:net'
import { RpcClient } from '../shared/rpc-client'
import { socketTransport } from '../main/core/rpc/socket-transport'
import { DataDir } from '../main/core/store/data-dir'

/** Connects to the core that serves SKEIN_HOME over its local socket; null when none is running. */
export function connectToRunningCore(dataDir: DataDir = DataDir.fromEnv()): Promise<RpcClient | null> {
  return new Promise((resolve) => {
    const socket = connect(dataDir.socketPath)
    socket.once('connect', () => resolve(new RpcClient(socketTransport(socket))))
    socket.once('error', () => resolve(null))
  })
}
