import { parse, type ParseEntry } from 'shell-quote'

/** Why a command line is or is not read-only. */
export type CommandVerdict = { readOnly: true } | { readOnly: false; reason: string }

/** One word of a simple command; `glob` marks an unquoted pattern bash will expand to file names. */
export interface Word {
  text: string
  glob: boolean
  /** A number right before a redirection: maybe a file descriptor (`2>&1`), maybe an argument (`2 >&1`). */
  beforeRedirect?: true
}

/** The simple commands of a command line, each as its words (name first), or why the line was refused. */
export type ParsedLine = { ok: true; commands: Word[][] } | { ok: false; reason: string }

/** The verdict that refuses, with its reason. */
export const refuse = (reason: string): CommandVerdict => ({ readOnly: false, reason })

/** The verdict that allows. */
export const ALLOW: CommandVerdict = { readOnly: true }

// Operators that join commands which each run to completion in the foreground.
const SEPARATORS = new Set(['|', '|&', '&&', '||', ';'])
// Output redirections allowed only into /dev/null, where they write nothing.
const OUTPUT_REDIRECTS = new Set(['>', '>>', '>|', '&>', '&>>'])

/**
 * Decisions: output redirections are allowed only into /dev/null and as descriptor duplication
 * (`2>&1`); `<` from a file is allowed (bash opens it read-only and never creates it); `<>`, here
 * documents and here strings are refused. Any `$` outside single quotes is refused, even a harmless
 * `$HOME`, because expansions can hide words and commands (`$IFS`, `$'…'`, `$(…)`). Globs are kept
 * as marked words: the per-command rules decide where an expansion is harmless.
 *
 * Splits a command line into simple commands with shell-quote. Refuses everything whose effect
 * the words alone do not show: substitutions, variables, redirections into files, background
 * jobs, subshells, and the places where shell-quote and bash read a line differently.
 */
export function parseCommandLine(command: string): ParsedLine {
  const line = command.trim()
  if (!line) return { ok: false, reason: 'the command is empty' }
  const lexical = lexicalProblem(line)
  if (lexical) return { ok: false, reason: lexical }
  let entries: ParseEntry[]
  let sawVariable = false
  try {
    // A variable is replaced by an empty string here and refused below: its value is not known until bash runs.
    entries = parse(line, () => {
      sawVariable = true
      return ''
    })
  } catch {
    return { ok: false, reason: 'the command line could not be parsed' }
  }
  if (sawVariable)
    return {
      ok: false,
      reason: 'variables and `$(…)` are not allowed: their value is only known when bash runs; put literal text in single quotes'
    }
  const commands: Word[][] = [[]]
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!
    const current = commands[commands.length - 1]!
    if (typeof entry === 'string') current.push({ text: entry, glob: false })
    else if ('comment' in entry)
      return {
        ok: false,
        reason: 'a `#` comment is not allowed: bash and the parser can disagree on where it starts; quote the `#` or drop the comment'
      }
    else if (entry.op === 'glob') current.push({ text: entry.pattern, glob: true })
    else if (SEPARATORS.has(entry.op)) {
      if (!current.length) return { ok: false, reason: `\`${entry.op}\` must join two commands` }
      commands.push([])
    } else {
      // Redirections: the target is the next entry. A digit before the operator (`2>&1`) stays a word of the
      // command: the parser cannot tell `ls 2>&1` from `ls 2 >&1`, so it is checked as an operand, which is stricter.
      const target = entries[i + 1]
      const literal = typeof target === 'string' ? target : undefined
      const problem = redirectProblem(entry.op, literal)
      if (problem) return { ok: false, reason: problem }
      const previous = current[current.length - 1]
      if (previous && !previous.glob && /^\d+$/.test(previous.text)) previous.beforeRedirect = true
      i++
    }
  }
  if (!commands[commands.length - 1]!.length) return { ok: false, reason: 'the command line ends with an operator' }
  return { ok: true, commands }
}

function redirectProblem(op: string, target: string | undefined): string | undefined {
  if (OUTPUT_REDIRECTS.has(op))
    return target === '/dev/null' ? undefined : `\`${op}\` would redirect output into a file; only \`>/dev/null\` is allowed`
  if (op === '>&')
    return target === '1' || target === '2' || target === '/dev/null'
      ? undefined
      : '`>&` may only duplicate stdout or stderr (`2>&1`, `>&2`) or discard into /dev/null'
  if (op === '<') return target !== undefined ? undefined : '`<` needs a plain file name'
  if (op === '&') return 'background jobs (`&`) are not allowed: they keep running after the command returns'
  if (op === '(' || op === ')') return 'subshells and `( … )` groups are not allowed'
  if (op === '<(' || op === '>(') return 'process substitution runs another command, so it is not read-only'
  return `the shell operator \`${op}\` is not allowed`
}

/**
 * What bash would read differently from shell-quote, found by walking the quoting of the raw line:
 * newlines (bash runs each line; shell-quote joins them), backticks and `$` outside single quotes
 * (shell-quote keeps backticks as text and decodes `$'…'` silently), brace expansion (`{a,b}`
 * becomes two words for bash) and unterminated quotes.
 */
function lexicalProblem(line: string): string | undefined {
  let quote: '' | "'" | '"' = ''
  let braceOpen = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (c === '\n' || c === '\r') return 'only one line is allowed: bash runs each line as its own command'
    if (quote === "'") {
      if (c === "'") quote = ''
      continue
    }
    if (c === '`') return 'backticks run a command, so they are not allowed'
    if (c === '$')
      return 'variables and `$(…)` are not allowed: their value is only known when bash runs; put literal text in single quotes'
    if (c === '\\') {
      if (i + 1 >= line.length) return 'a trailing backslash continues the line, which is not allowed'
      i++
      continue
    }
    if (quote === '"') {
      if (c === '"') quote = ''
      continue
    }
    if (c === "'" || c === '"') quote = c
    else if (c === '{') braceOpen = true
    else if (braceOpen && (c === ',' || (c === '.' && line[i + 1] === '.')))
      return 'brace expansion (`{a,b}`) is not allowed: it turns one word into several; quote the braces or write the words out'
    else if (' \t;&|()<>'.includes(c)) braceOpen = false
  }
  return quote ? 'a quote is not closed' : undefined
}
