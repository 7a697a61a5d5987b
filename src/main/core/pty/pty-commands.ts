import stripAnsi from 'strip-ansi'
import type { ProfileId, PtyInfo } from '../../../shared/models'
import type { SandboxLevel } from '../sandbox/sandbox-types'

/** Which sandbox rules a shell runs under (level and network), so the agent reuses a shell only under the same rules. */
export const sandboxKey = (level: SandboxLevel, network: boolean): string => `${level}${network ? '+network' : ''}`

/** Why a session died on start, with the last line it printed. */
export function diedOnStart(info: PtyInfo, output: string): string {
  const plain = stripAnsi(output)
  const last = plain
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .pop()
  return `${info.title} (${info.command}) exited with code ${info.exitCode ?? info.signal} right after it started${last ? `: "${last.slice(0, 200)}"` : ''}. Its output is in the Terminal tab.`
}

/** The tab label of an agent profile's session. */
export function labelOf(id: ProfileId): string {
  return { shell: 'Shell', claude: 'Claude Code', codex: 'Codex', custom: 'Custom' }[id]
}
