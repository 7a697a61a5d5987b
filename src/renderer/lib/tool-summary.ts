import type { Item } from '../../shared/models'
import type { IconName } from '../ui/Icon'

/** How a tool row reads when collapsed: an icon, a verb and its object. */
export interface ToolSummary {
  icon: IconName
  verb: string
  /** The file, command or pattern acted on. */
  target: string
  /** Show the target as code (commands). */
  code: boolean
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '')

/** The first string among the input's usual keys. */
function pick(input: Record<string, unknown>, keys: string[]): string {
  for (const k of keys) if (str(input[k])) return str(input[k])
  return ''
}

const SHELLS = ['bash', 'shell', 'run_command', 'local_shell', 'exec_command']

/** The command line of a shell call: a string, or an argv (Codex's `["bash", "-lc", "npm test"]` reads as `npm test`). */
function commandOf(input: Record<string, unknown>): string {
  const given = input.command ?? input.cmd
  if (!Array.isArray(given)) return pick(input, ['command', 'cmd'])
  const argv = given.map(String)
  if (argv.length === 3 && /(^|\/)(ba|z)?sh$/.test(argv[0]) && /^-l?c$/.test(argv[1])) return argv[2]
  return argv.join(' ')
}

/** The tense a tool row speaks in: under way, done, or not done (refused, denied, failed). */
export type ToolPhase = 'running' | 'done' | 'failed'

/** A one-line summary of a tool call, by tool name; unknown tools show their name and first argument. */
export function summarizeTool(tool: NonNullable<Item['tool']>, phase: ToolPhase): ToolSummary {
  const s = describe(tool)
  return { ...s, verb: s.verbs[phase === 'running' ? 0 : phase === 'done' ? 1 : 2] }
}

/** Why a tool did not run, from its output: refused by the mode, denied by the person, or failed. */
export function failureWord(tool: NonNullable<Item['tool']>): string {
  const out = (tool.output ?? '').trimStart()
  if (/^refused\b/i.test(out)) return 'refused'
  if (/^denied\b/i.test(out) || /\bdenied\b/i.test(out.slice(0, 80))) return 'denied'
  return 'failed'
}

function describe(tool: NonNullable<Item['tool']>): Omit<ToolSummary, 'verb'> & { verbs: [string, string, string] } {
  const input = tool.input ?? {}
  const path = pick(input, ['path', 'file_path', 'file', 'filename', 'notebook_path'])
  // Skein's own tools, and those of imported Claude Code (Read, Edit, Bash…) and Codex (shell…) sessions.
  switch (tool.name.toLowerCase()) {
    case 'read_file':
    case 'view':
    case 'read':
      return { icon: 'eye', verbs: ['Reading', 'Read', 'Read'], target: path, code: false }
    case 'write_file':
    case 'create_file':
    case 'write':
      return { icon: 'pencil', verbs: ['Writing', 'Wrote', 'Write'], target: path, code: false }
    case 'edit_file':
    case 'str_replace':
    case 'edit':
    case 'multiedit':
    case 'notebookedit':
      return { icon: 'pencil', verbs: ['Editing', 'Edited', 'Edit'], target: path, code: false }
    case 'bash':
    case 'shell':
    case 'run_command':
    case 'local_shell':
    case 'exec_command':
      return { icon: 'terminal', verbs: ['Running', 'Ran', 'Run'], target: commandOf(input), code: true }
    case 'list_files':
    case 'list_dir':
    case 'ls':
    case 'glob':
      return {
        icon: 'folder',
        verbs: ['Listing', 'Listed', 'List'],
        target: path || pick(input, ['pattern', 'dir', 'directory']) || '.',
        code: false
      }
    case 'grep':
    case 'search':
    case 'search_files':
      return {
        icon: 'search',
        verbs: ['Searching for', 'Searched for', 'Search for'],
        target: pick(input, ['pattern', 'query', 'regex']),
        code: true
      }
    default: {
      const first = Object.values(input).find((v) => typeof v === 'string') as string | undefined
      return { icon: 'settings', verbs: [tool.name, tool.name, tool.name], target: first ?? '', code: true }
    }
  }
}

/** True for tools whose output is worth a preview (commands, failures); file reads stay folded. */
export function previewsOutput(tool: NonNullable<Item['tool']>): boolean {
  return !!tool.isError || SHELLS.includes(tool.name.toLowerCase())
}
