import { existsSync } from 'node:fs'

/** Quotes a string for a POSIX shell. */
export const shQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`

/** The shell setup scripts run in: bash where there is one (imported scripts often need it), else sh. */
export const setupShell = (): string => (existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh')

/**
 * The script that runs an environment's setup commands in order, in one shell (so `cd` and
 * variables carry over, as Cursor's do). Each command is echoed before it runs; the first that
 * fails stops the script, and its 1-based index and exit code go to `statusFile`, so the core
 * can name it. The other tools' variables are exported so imported scripts keep working.
 */
export function setupScript(commands: string[], o: { statusFile: string; rootPath: string; worktreePath: string }): string {
  const lines = [
    `export SKEIN_ROOT_PATH=${shQuote(o.rootPath)} SKEIN_WORKTREE_PATH=${shQuote(o.worktreePath)}`,
    `export CONDUCTOR_ROOT_PATH="$SKEIN_ROOT_PATH" ROOT_WORKTREE_PATH="$SKEIN_ROOT_PATH" CONDUCTOR_WORKSPACE_PATH="$SKEIN_WORKTREE_PATH"`,
    `[ -n "$PORT" ] && export CONDUCTOR_PORT="$PORT"`,
    `cd "$SKEIN_WORKTREE_PATH" || exit 1`,
    `__skein_status=${shQuote(o.statusFile)}`,
    // A command may `exit` the shared shell itself: the trap still records which one it was.
    `__skein_at=0`,
    `trap '__skein_code=$?; [ -s "$__skein_status" ] || printf "%s %s" "$__skein_at" "$__skein_code" > "$__skein_status"' EXIT`
  ]
  commands.forEach((c, i) => {
    const shown = c.split('\n')[0]! + (c.includes('\n') ? ' …' : '')
    lines.push(`printf '\\r\\n\\033[1;36m[setup ${i + 1}/${commands.length}]\\033[0m \\033[1m$ %s\\033[0m\\r\\n' ${shQuote(shown)}`)
    lines.push(`__skein_at=${i + 1}`, c)
    lines.push(
      `__skein_code=$?; if [ $__skein_code -ne 0 ]; then printf '%s %s' ${i + 1} $__skein_code > "$__skein_status"; printf '\\r\\n\\033[1;31mSetup failed: command ${i + 1} exited with code %s.\\033[0m\\r\\n' $__skein_code; exit $__skein_code; fi`
    )
  })
  lines.push(`printf '0 0' > "$__skein_status"`, `printf '\\r\\n\\033[1;32mSetup finished.\\033[0m\\r\\n'`, 'exit 0')
  return lines.join('\n') + '\n'
}
