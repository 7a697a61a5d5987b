import type { Item } from '../../../shared/models'
import type { IconName } from '../../ui/Icon'

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

/** A one-line summary of a tool call, by tool name; unknown tools show their name and first argument. */
export function summarizeTool(tool: NonNullable<Item['tool']>, done: boolean): ToolSummary {
  const input = tool.input ?? {}
  const path = pick(input, ['path', 'file_path', 'file', 'filename'])
  switch (tool.name) {
    case 'read_file':
    case 'view':
      return { icon: 'eye', verb: done ? 'Read' : 'Reading', target: path, code: false }
    case 'write_file':
    case 'create_file':
      return { icon: 'pencil', verb: done ? 'Wrote' : 'Writing', target: path, code: false }
    case 'edit_file':
    case 'str_replace':
      return { icon: 'pencil', verb: done ? 'Edited' : 'Editing', target: path, code: false }
    case 'bash':
    case 'shell':
    case 'run_command':
      return { icon: 'terminal', verb: done ? 'Ran' : 'Running', target: pick(input, ['command', 'cmd']), code: true }
    case 'list_files':
    case 'list_dir':
    case 'ls':
    case 'glob':
      return { icon: 'folder', verb: done ? 'Listed' : 'Listing', target: path || pick(input, ['pattern', 'dir', 'directory']) || '.', code: false }
    case 'grep':
    case 'search':
    case 'search_files':
      return { icon: 'search', verb: done ? 'Searched for' : 'Searching for', target: pick(input, ['pattern', 'query', 'regex']), code: true }
    default: {
      const first = Object.values(input).find((v) => typeof v === 'string') as string | undefined
      return { icon: 'settings', verb: tool.name, target: first ?? '', code: true }
    }
  }
}

/** True for tools whose output is worth a preview (commands, failures); file reads stay folded. */
export function previewsOutput(tool: NonNullable<Item['tool']>): boolean {
  return !!tool.isError || ['bash', 'shell', 'run_command'].includes(tool.name)
}
