import { portEnv, type PortRange } from '../../../shared/run'

/** What a terminal's environment is made from. */
export interface TerminalEnvParts {
  /** PATH for sessions (the login shell's, so CLIs installed there are found); null keeps the core's. */
  path: string | null
  threadId: string
  ptyId: string
  /** The thread's ports: PORT and SKEIN_PORT_0…N-1. */
  ports: PortRange | null
  /** Set by the caller (the agent shell's PAGER=cat) and by the sandbox launcher. */
  extra: Record<string, string>
  /** Sandboxed: leave out the core's secrets. */
  sandboxed: boolean
}

// Like Codex's default shell environment policy: names that hold credentials.
const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH/i

/**
 * The environment of a new terminal: the core's own (without Electron's variables), the terminal
 * identity Skein promises (SKEIN_THREAD_ID, SKEIN_PTY_ID, PORT and SKEIN_PORT_0…N-1), and in a sandbox none of the
 * core's API keys and tokens, so a sandboxed command with network access cannot send them off.
 */
export function terminalEnv(p: TerminalEnvParts, base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(base)) {
    if (v === undefined || k.startsWith('ELECTRON_')) continue
    if (p.sandboxed && SECRET_NAME.test(k) && !k.startsWith('SKEIN_')) continue
    env[k] = v
  }
  return Object.assign(env, {
    ...(p.path ? { PATH: p.path } : {}),
    TERM: 'xterm-256color',
    COLORTERM: 'truecolor',
    TERM_PROGRAM: 'Skein',
    SKEIN_THREAD_ID: p.threadId,
    SKEIN_PTY_ID: p.ptyId,
    ...portEnv(p.ports),
    ...p.extra
  })
}
