import type { PtyInfo } from '../../../shared/models'
import { loadedPool, type PoolApi } from './terminal-pool-slot'

/*
 * The light front door to the terminal pool. xterm and its addons are a large chunk loaded only
 * when a terminal is first shown; until then there are no sessions, so these calls have nothing to do.
 */
let loading: Promise<PoolApi> | null = null

/** Loads the pool (and xterm) once. */
export function loadTerminalPool(): Promise<PoolApi> {
  loading ??= import('./terminal-pool').then(() => loadedPool() as PoolApi)
  return loading
}

/** Routes a `pty/data` notification to its terminal. */
export function routePtyData(ptyId: string, data: string): void {
  loadedPool()?.routePtyData(ptyId, data)
}

/** Passes the core's newer view of a pty to its session. */
export function updateSession(pty: PtyInfo): void {
  loadedPool()?.updateSession(pty)
}

/** Disposes one pty's session (closed tab). */
export function disposeSession(ptyId: string): void {
  loadedPool()?.disposeSession(ptyId)
}

/** Disposes every session of a deleted thread. */
export function disposeThreadSessions(threadId: string): void {
  loadedPool()?.disposeThreadSessions(threadId)
}

/** The connection to the core closed: every attachment is gone. */
export function poolConnectionLost(): void {
  loadedPool()?.poolConnectionLost()
}

/** A new connection is up: every session attaches again. */
export function poolReconnected(): void {
  loadedPool()?.poolReconnected()
}

/** Focuses a pty's terminal now, or as soon as it is shown. */
export function focusTerminal(ptyId: string): void {
  const pool = loadedPool()
  if (pool) pool.focusTerminal(ptyId)
  else void loadTerminalPool().then((p) => p.focusTerminal(ptyId))
}
