import type { Disposable } from '../../src/shared/jsonrpc'
import type { Connection } from '../../src/main/core/rpc/rpc-server'

/**
 * How long a wait may take before the test calls it a hang. A ceiling, not an expectation of speed:
 * waits end as soon as their condition holds, so a generous value costs nothing on a quiet machine
 * and keeps a busy one (both cores taken by other work) from failing.
 */
export const HANG_MS = 60_000

let n = 0

/** What recordingConnection returns. */
export type RecordingConnection = Connection & {
  output(ptyId?: string): string
  chars: number
  disconnect(): void
  waitFor(re: RegExp, ms?: number): Promise<string>
  /** Records text a pty/attach replayed, ahead of the live data that follows it. */
  replayed(ptyId: string, scrollback: string): void
}

/**
 * Attaches a new recording connection to a pty. Its output begins with the scrollback the attach
 * replayed, so output printed before the attach (a fast process on a busy machine) is never missed.
 */
export async function attachRecorder(
  ptys: {
    attach(ptyId: string, c: Connection): Promise<{ ok: true; value: { scrollback: string } } | { ok: false; error: { message: string } }>
  },
  ptyId: string
): Promise<RecordingConnection> {
  const c = recordingConnection()
  const r = await ptys.attach(ptyId, c)
  if (!r.ok) throw new Error(`attach failed: ${r.error.message}`)
  c.replayed(ptyId, r.value.scrollback)
  return c
}

/** A fake client connection that records pty/data and can be "disconnected". */
export function recordingConnection(): RecordingConnection {
  const closes = new Set<() => void>()
  const parts: { ptyId: string; data: string }[] = []
  let chars = 0
  const waiters: (() => void)[] = []
  const conn = {
    id: `test-${++n}`,
    notify(name: string, params: unknown) {
      if (name === 'pty/data') {
        const p = params as { ptyId: string; data: string }
        parts.push(p)
        chars += p.data.length
        for (const w of waiters.splice(0)) w()
      }
    },
    onClose(l: () => void): Disposable {
      closes.add(l)
      return { dispose: () => closes.delete(l) }
    },
    output: (ptyId?: string) =>
      parts
        .filter((p) => !ptyId || p.ptyId === ptyId)
        .map((p) => p.data)
        .join(''),
    get chars() {
      return chars
    },
    replayed(ptyId: string, scrollback: string) {
      parts.unshift({ ptyId, data: scrollback })
    },
    disconnect() {
      for (const l of [...closes]) l()
    },
    async waitFor(re: RegExp, ms = HANG_MS): Promise<string> {
      const deadline = Date.now() + ms
      while (!re.test(conn.output())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${re}; got:\n${conn.output().slice(-2000)}`)
        await new Promise<void>((r) => {
          waiters.push(r)
          setTimeout(r, 50)
        })
      }
      return conn.output()
    }
  }
  return conn as never
}

/** Polls until `check` is true; fails naming `what` only after `ms` (a hang ceiling). */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, ms = HANG_MS): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}
