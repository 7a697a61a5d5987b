import type { RpcClient } from '../src/shared/rpc-client'

const KEEP = 64 * 1024

/** Follows one pty like the renderer does: keeps recent output and acknowledges every 5,000 characters. */
export function follow(c: RpcClient, ptyId: string): { text(): string; chars(): number; since(mark: number): string } {
  let recent = ''
  let total = 0
  let pendingAck = 0
  c.on('pty/data', (p) => {
    if (p.ptyId !== ptyId) return
    recent = recent.length + p.data.length > 2 * KEEP ? (recent + p.data).slice(-KEEP) : recent + p.data
    total += p.data.length
    pendingAck += p.data.length
    if (pendingAck >= 5000) {
      c.notify('pty/ack', { ptyId, chars: pendingAck })
      pendingAck = 0
    }
  })
  return {
    /** The most recent output (at least 64 K characters of it). */
    text: () => recent,
    chars: () => total,
    since: (mark: number) => recent.slice(-Math.min(recent.length, total - mark))
  }
}

/** Resolves when `check` holds, polling every few milliseconds. */
export async function until(check: () => boolean, ms = 30_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}
