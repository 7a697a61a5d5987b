import { createServer } from 'node:net'

// No IPv6 on this machine (or in this container): nothing can be listening there either.
const NO_IPV6 = new Set(['EAFNOSUPPORT', 'EADDRNOTAVAIL', 'EPROTONOSUPPORT'])

function canBind(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', (e: NodeJS.ErrnoException) => resolve(host === '::' && NO_IPV6.has(e.code ?? '')))
    // exclusive: a port held by a cluster worker of another program still counts as taken.
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)))
  })
}

/**
 * Whether nothing listens on `port`: it can be bound on 127.0.0.1 and on `::` (which, dual-stack,
 * also covers 0.0.0.0 and ::1, where Vite's "localhost" often listens).
 */
export async function isPortFree(port: number): Promise<boolean> {
  return (await canBind(port, '127.0.0.1')) && (await canBind(port, '::'))
}
