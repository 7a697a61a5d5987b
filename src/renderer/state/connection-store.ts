import { create } from 'zustand'
import type { ResultOf } from '../../shared/methods'

/** What `core/hello` told us about the core. */
export type CoreHello = ResultOf<'core/hello'>

/** The state of this page's link to the core. */
export type ConnectionStatus =
  | 'connecting' // first attempt, nothing shown yet
  | 'connected'
  | 'reconnecting' // lost (or never reached) the core; retrying with backoff

interface ConnectionState {
  status: ConnectionStatus
  hello: CoreHello | null
  /** How many attempts in a row have failed. */
  failures: number
  /** When the next attempt starts (ms since epoch), while reconnecting. */
  nextAttemptAt: number | null
  /** The desktop app's core process stopped and is being restarted. */
  coreRestarting: boolean
}

/** The connection's status, shown by the banner and used to gate startup screens. */
export const useConnection = create<ConnectionState>()(() => ({
  status: 'connecting',
  hello: null,
  failures: 0,
  nextAttemptAt: null,
  coreRestarting: false
}))
