import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** An HTTP server on 127.0.0.1 at a free port, for the fake API servers. */
export interface LocalHttp {
  server: Server
  /** `http://127.0.0.1:PORT`. */
  baseUrl: string
  /** Stops it, dropping open connections (a test never waits on a keep-alive). */
  close(): Promise<void>
}

/** Starts a loopback HTTP server that hands every request to `handle`. */
export async function startLocalHttp(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<LocalHttp> {
  const server = createServer(handle)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    server,
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
