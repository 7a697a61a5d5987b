import type { PtyInfo } from '../../../shared/models'
import { request } from '../../app/rpc'
import { registerPool } from './terminal-bridge'
import { TerminalSession } from './terminal-session'
import { onThemeChange } from '../../ui/theme'

/** How many xterm instances stay alive (attached, with their screens) before the least recently used goes. */
export const POOL_LIMIT = 24

const sessions = new Map<string, TerminalSession>()
const shown = new Set<string>()
/** Data for ptys we have no session for: detach once instead of letting the core count it forever. */
const strays = new Set<string>()
let focusWanted: string | null = null

onThemeChange(() => {
  for (const s of sessions.values()) s.applyTheme()
})

/** The live session of a pty, if the pool holds one. */
export const getSession = (ptyId: string): TerminalSession | undefined => sessions.get(ptyId)

/** The session for a pty, created and attached on first use; evicts the least recently used beyond the limit. */
export function acquireSession(pty: PtyInfo): TerminalSession {
  let session = sessions.get(pty.id)
  if (!session) {
    session = new TerminalSession(pty)
    sessions.set(pty.id, session)
    strays.delete(pty.id)
    void session.attach()
    evictBeyondLimit()
  } else {
    session.update(pty)
  }
  session.lastUsed = Date.now()
  return session
}

/** Shows a session in a container (only shown sessions hold a WebGL context). */
export function showSession(session: TerminalSession, container: HTMLElement): void {
  shown.add(session.pty.id)
  session.show(container)
  if (focusWanted === session.pty.id) {
    focusWanted = null
    session.focus()
  }
}

/** Takes a session off screen; it stays attached in the pool. */
export function hideSession(session: TerminalSession): void {
  shown.delete(session.pty.id)
  session.hide()
}

/** Focuses a pty's terminal now if it is on screen, else as soon as it is shown. */
export function focusTerminal(ptyId: string): void {
  const session = sessions.get(ptyId)
  if (session && shown.has(ptyId)) {
    focusWanted = null
    session.focus()
  } else {
    focusWanted = ptyId
  }
}

function evictBeyondLimit(): void {
  if (sessions.size <= POOL_LIMIT) return
  const candidates = [...sessions.values()].filter((s) => !shown.has(s.pty.id)).sort((a, b) => a.lastUsed - b.lastUsed)
  for (const s of candidates) {
    if (sessions.size <= POOL_LIMIT) break
    disposeSession(s.pty.id)
  }
}

/** Disposes one session (detaching from its pty); a later view attaches again and replays the scrollback. */
export function disposeSession(ptyId: string): void {
  const session = sessions.get(ptyId)
  if (!session) return
  sessions.delete(ptyId)
  shown.delete(ptyId)
  session.dispose()
}

/** Disposes every session of a thread (it was deleted). */
export function disposeThreadSessions(threadId: string): void {
  for (const s of [...sessions.values()]) if (s.pty.threadId === threadId) disposeSession(s.pty.id)
}

/** Routes a `pty/data` notification to its terminal. */
export function routePtyData(ptyId: string, data: string): void {
  const session = sessions.get(ptyId)
  if (session) {
    session.write(data)
    return
  }
  if (strays.has(ptyId)) return
  strays.add(ptyId)
  request('pty/detach', { ptyId }).catch(() => {})
}

/** Passes the core's newer view of a pty to its session. */
export function updateSession(pty: PtyInfo): void {
  sessions.get(pty.id)?.update(pty)
}

/** The connection to the core closed: every attachment is gone. */
export function poolConnectionLost(): void {
  strays.clear()
  for (const s of sessions.values()) s.connectionLost()
}

/** A new connection is up: attach every session again (each replays its scrollback). */
export function poolReconnected(): void {
  for (const s of sessions.values()) void s.attach()
}

/** How many sessions the pool holds (for tests and diagnostics). */
export const poolSize = (): number => sessions.size

registerPool({ routePtyData, updateSession, disposeSession, disposeThreadSessions, poolConnectionLost, poolReconnected, focusTerminal })
