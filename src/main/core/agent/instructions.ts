import { readFile } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'

/** Project instructions are capped at this many characters in all. */
export const INSTRUCTIONS_CAP = 32_000
const NAMES = ['AGENTS.md', 'CLAUDE.md']

/** What was loaded: the text for the system prompt and the files it came from. */
export interface Instructions {
  text: string
  files: string[]
  truncated: boolean
}

/** Loads AGENTS.md and CLAUDE.md from the checkout root down to `cwd`, root first, with a size cap. */
export async function loadInstructions(root: string, cwd: string): Promise<Instructions> {
  const rel = relative(root, cwd)
  const dirs = [root]
  if (rel && !rel.startsWith('..')) {
    let d = root
    for (const part of rel.split(sep)) dirs.push((d = join(d, part)))
  }
  const parts: string[] = []
  const files: string[] = []
  let total = 0
  let truncated = false
  for (const dir of dirs) {
    for (const name of NAMES) {
      const text = await readFile(join(dir, name), 'utf8').catch(() => null)
      if (text === null) continue
      const shown = relative(root, join(dir, name))
      const room = INSTRUCTIONS_CAP - total
      if (room <= 0) {
        truncated = true
        continue
      }
      const body = text.length > room ? `${text.slice(0, room)}\n[truncated]` : text
      truncated ||= text.length > room
      parts.push(`<instructions file="${shown}">\n${body}\n</instructions>`)
      files.push(shown)
      total += body.length
    }
  }
  return { text: parts.join('\n\n'), files, truncated }
}
