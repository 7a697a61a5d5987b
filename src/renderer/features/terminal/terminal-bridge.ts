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

/*
 * The light front door to the terminal pool. xterm and its addons are a large chunk loaded only
 * when a terminal is first shown; until then there are no sessions, so these calls have nothing to do.
 */
let pool: PoolApi | null = null
let loading: Promise<PoolApi> | null = null

/** Called by the pool module when it loads (however it was imported). */
export function registerPool(api: PoolApi): void {
  pool = api
}

/** Loads the pool (and xterm) once. */
export function loadTerminalPool(): Promise<PoolApi> {
  loading ??= import('./terminal-pool').then(() => pool as PoolApi)
  return loading
}

/** Routes a `pty/data` notification to its terminal. */
export function routePtyData(ptyId: string, data: string): void {
  pool?.routePtyData(ptyId, data)
}

/** Passes the core's newer view of a pty to its session. */
export function updateSession(pty: PtyInfo): void {
  pool?.updateSession(pty)
}

/** Disposes one pty's session (closed tab). */
export function disposeSession(ptyId: string): void {
  pool?.disposeSession(ptyId)
}

/** Disposes every session of a deleted thread. */
export function disposeThreadSessions(threadId: string): void {
  pool?.disposeThreadSessions(threadId)
}

/** The connection to the core closed: every attachment is gone. */
export function poolConnectionLost(): void {
  pool?.poolConnectionLost()
}

/** A new connection is up: every session attaches again. */
export function poolReconnected(): void {
  pool?.poolReconnected()
}

/** Focuses a pty's terminal now, or as soon as it is shown. */
export function focusTerminal(ptyId: string): void {
  if (pool) pool.focusTerminal(ptyId)
  else void loadTerminalPool().then((p) => p.focusTerminal(ptyId))
}
