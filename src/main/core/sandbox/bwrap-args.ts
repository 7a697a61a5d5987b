import type { Command, SandboxPolicy } from './sandbox-types'

/** The file descriptor the seccomp filter is read from (opened by the launching shell). */
export const SECCOMP_FD = 9

/**
 * The bubblewrap command that runs `command` under `policy`:
 * - the whole filesystem is bound read-only, then the writable folders are bound read-write on top;
 * - Skein's data dir is hidden behind an empty tmpfs (its socket would open an unsandboxed
 *   terminal), and the thread's own worktree is shown again inside it;
 * - fresh /dev, /proc (with /proc/sys read-only) and PID namespace, so the sandbox sees and can
 *   signal only its own processes, and they all die with it (`--die-with-parent` ties it to
 *   the core; the kernel ends a PID namespace when its first process ends);
 * - no network unless allowed, every capability dropped (bwrap keeps them when run as root, and
 *   root with CAP_SYS_ADMIN could remount / read-write), and the seccomp filter on SECCOMP_FD
 *   when `seccomp` is set.
 * There is deliberately no `--new-session`: the shell keeps the pty as its controlling terminal,
 * so job control and Ctrl-C work; TIOCSTI could only type into this same sandboxed shell.
 */
export function bwrapArgs(policy: SandboxPolicy, command: Command, o: { seccomp: boolean }): string[] {
  const args = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc']
  // --proc mounts a fresh procfs; as root its sysctls would be writable without these.
  args.push('--ro-bind', '/proc/sys', '/proc/sys')
  for (const p of ['/proc/sysrq-trigger', '/proc/irq', '/proc/bus']) args.push('--ro-bind-try', p, p)
  for (const hidden of policy.hidden) args.push('--tmpfs', hidden)
  for (const shown of policy.reexposed) args.push(policy.writable.includes(shown) ? '--bind' : '--ro-bind', shown, shown)
  for (const w of policy.writable) if (!policy.reexposed.includes(w)) args.push('--bind', w, w)
  // Bound over the writable folders, so they cannot be replaced or renamed either (EBUSY).
  for (const r of policy.readOnly) args.push('--ro-bind', r, r)
  args.push('--bind', policy.tmp, policy.tmp, '--setenv', 'TMPDIR', policy.tmp)
  args.push('--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try')
  if (!policy.network) args.push('--unshare-net')
  args.push('--die-with-parent', '--cap-drop', 'ALL')
  args.push('--setenv', 'SKEIN_SANDBOX', policy.level)
  if (o.seccomp) args.push('--seccomp', String(SECCOMP_FD))
  args.push('--chdir', policy.cwd, '--', command.file, ...command.args)
  return args
}
