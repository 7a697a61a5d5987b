import type { Command, SandboxPolicy } from './sandbox-types'

/** Where macOS keeps its sandbox launcher. */
export const SANDBOX_EXEC = '/usr/bin/sandbox-exec'

/**
 * A Seatbelt profile (the SBPL that macOS's sandbox-exec reads) in the spirit of Codex's:
 * everything is denied, then reading anywhere, running programs, and writing only under the
 * WRITABLE_n parameters (the worktree, the private temp folder) and to the terminal are allowed.
 * Unix sockets are refused with the network: they are doors out of a read-only box (Skein's own
 * socket, launchd). Paths are passed as -D parameters, never spliced into the profile text.
 */
export function seatbeltProfile(policy: SandboxPolicy): string {
  const writable = [...policy.writable, policy.tmp].map((_, i) => `(subpath (param "WRITABLE_${i}"))`)
  const hidden = policy.hidden.map((_, i) => `(subpath (param "HIDDEN_${i}"))`)
  const readOnly = policy.readOnly.map((_, i) => `(subpath (param "READONLY_${i}"))`)
  const shown = policy.reexposed.map((_, i) => `(subpath (param "SHOWN_${i}"))`)
  return [
    '(version 1)',
    '(deny default)',
    '(allow process-exec)',
    '(allow process-fork)',
    '(allow signal (target same-sandbox))',
    '(allow process-info* (target same-sandbox))',
    '(allow sysctl-read)',
    '(allow mach-lookup (global-name "com.apple.system.opendirectoryd.libinfo") (global-name "com.apple.system.notification_center"))',
    '(allow ipc-posix-shm-read*)',
    '(allow file-read*)',
    ...(hidden.length ? [`(deny file-read* ${hidden.join(' ')})`] : []),
    ...(shown.length ? [`(allow file-read* ${shown.join(' ')})`] : []),
    `(allow file-write* ${writable.join(' ')} (literal "/dev/null") (literal "/dev/zero") (regex #"^/dev/ttys[0-9]+$") (literal "/dev/tty") (literal "/dev/dtracehelper"))`,
    ...(readOnly.length ? [`(deny file-write* ${readOnly.join(' ')})`] : []),
    '(allow file-ioctl (literal "/dev/tty") (regex #"^/dev/ttys[0-9]+$"))',
    ...(policy.network ? ['(allow network-outbound (remote ip))', '(allow network-inbound (local ip))', '(allow system-socket)'] : []),
    ''
  ].join('\n')
}

/** The sandbox-exec command that runs `command` under `policy`. */
export function seatbeltArgs(policy: SandboxPolicy, command: Command): string[] {
  const params: string[] = []
  ;[...policy.writable, policy.tmp].forEach((p, i) => params.push(`-DWRITABLE_${i}=${p}`))
  policy.hidden.forEach((p, i) => params.push(`-DHIDDEN_${i}=${p}`))
  policy.reexposed.forEach((p, i) => params.push(`-DSHOWN_${i}=${p}`))
  policy.readOnly.forEach((p, i) => params.push(`-DREADONLY_${i}=${p}`))
  return ['-p', seatbeltProfile(policy), ...params, command.file, ...command.args]
}
