import type { IncomingMessage } from 'node:http'

/** A request's JSON body (an empty one is {}; one that is not JSON comes back as `{ __invalid: text }`). */
export function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    let text = ''
    req.on('data', (c: Buffer) => (text += c.toString()))
    req.on('end', () => {
      try {
        resolve(text ? (JSON.parse(text) as Record<string, unknown>) : {})
      } catch {
        resolve({ __invalid: text })
      }
    })
  })
}
