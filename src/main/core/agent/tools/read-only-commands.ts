/** Commands plan mode runs without asking: they only read. */
const READ_ONLY = new Set([
  'ls', 'cat', 'head', 'tail', 'wc', 'grep', 'rg', 'find', 'pwd', 'echo', 'printf', 'which', 'file', 'stat', 'du', 'df',
  'tree', 'sort', 'uniq', 'cut', 'diff', 'cmp', 'basename', 'dirname', 'realpath', 'date', 'env', 'uname', 'whoami', 'true'
])
const READ_ONLY_GIT = new Set(['status', 'log', 'diff', 'show', 'branch', 'grep', 'blame', 'ls-files', 'rev-parse', 'describe', 'shortlog', 'tag', 'remote', 'config'])
// Options that make an otherwise read-only command write or run something.
const WRITING_OPTIONS = /(^|\s)(-exec|-execdir|-delete|-ok|-fprint|-fprintf|-fls|--output|-o\b)/

/**
 * True when every part of a command line is a read-only command from the allow-list: no
 * redirections, no command substitution, no variables or background jobs.
 */
export function isReadOnlyCommand(command: string): boolean {
  const line = command.trim()
  if (!line || /[><`]|\$\(|\$\{|(?<!&)&(?!&)|\n/.test(line)) return false
  return line.split(/\|\||&&|\||;/).every((part) => {
    const words = part.trim().split(/\s+/)
    const [cmd, sub] = words
    if (!cmd) return false
    if (cmd === 'git') return sub !== undefined && READ_ONLY_GIT.has(sub) && !(sub === 'config' && !words.includes('--get') && !words.includes('--list')) && !(sub === 'branch' && words.some((w) => /^-[dDmMcC]$|^--(delete|move|copy)/.test(w))) && !(sub === 'tag' && words.length > 2 && !words.includes('-l') && !words.includes('--list'))
    if (!READ_ONLY.has(cmd)) return false
    return !WRITING_OPTIONS.test(part)
  })
}
