import type { SessionSource } from './import-types'

/** A command to run in a pty: the program, its arguments, and the directory to run it in. */
export interface ContinueArgv {
  file: string
  args: string[]
  cwd: string
}

/** Quotes a word for a POSIX shell: bare when it is plainly safe, otherwise in single quotes. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word
  return `'${word.replace(/'/g, `'\\''`)}'`
}

/** The argv that resumes a session in its CLI: `claude --resume <id>` / `codex resume <id>`, run in `cwd`. */
export function continueArgv(source: SessionSource, sessionId: string, cwd: string): ContinueArgv {
  return source === 'claude' ? { file: 'claude', args: ['--resume', sessionId], cwd } : { file: 'codex', args: ['resume', sessionId], cwd }
}

/** The shell command a person can paste to resume a session where it ran: `cd <dir> && claude --resume <id>`. */
export function continueCommand(source: SessionSource, sessionId: string, cwd: string): string {
  const { file, args } = continueArgv(source, sessionId, cwd)
  // A directory that starts with "-" would be read by cd as an option.
  const dir = cwd.startsWith('-') ? `./${cwd}` : cwd
  return `cd ${shellQuote(dir)} && ${[file, ...args].map(shellQuote).join(' ')}`
}
