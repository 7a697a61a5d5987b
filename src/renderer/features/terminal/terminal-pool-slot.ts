import type { PtyInfo } from '../../../shared/models'

/** What the pool offers the rest of the app. */
export interface PoolApi {
  routePtyData(ptyId: string, data: string): void
  updateSession(pty: PtyInfo): void
  disposeSession(ptyId: string): void
  disposeThreadSessions(threadId: string): void
  poolConnectionLost(): void
  poolReconnected(): void
  focusTerminal(ptyId: string): void
}

// Below both the bridge and the pool, so the pool can register however it was imported
// without importing the bridge that loads it.
let pool: PoolApi | null = null

/** Called by the pool module when it loads (however it was imported). */
export function registerPool(api: PoolApi): void {
  pool = api
}

/** The loaded pool, or null before xterm has loaded. */
export const loadedPool = (): PoolApi | null => pool
