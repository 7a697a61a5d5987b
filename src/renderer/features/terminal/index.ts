/** The terminal feature: the Terminal tab (loaded on first use, with xterm), terminal actions and pty routing. */
export { LazyTerminalPanel } from './LazyTerminalPanel'
export { CloseTerminalDialog } from './CloseTerminalDialog'
export { focusThreadTerminal, loadPtys, newShellInSelectedThread, roughSize } from './terminal-actions'
export {
  disposeSession,
  disposeThreadSessions,
  focusTerminal,
  poolConnectionLost,
  poolReconnected,
  routePtyData,
  updateSession
} from './terminal-bridge'
export { skipsShell } from './terminal-shortcuts'
export { useTerminals } from './terminal-store'
