/** The longest title derived from a prompt, ellipsis included. */
export const DERIVED_TITLE_MAX = 60

/**
 * A thread title from a prompt: its first non-empty line, cut at the end of the first sentence,
 * without list or heading markers, whitespace collapsed, and at most 60 characters (cut at a word,
 * with "…"). An empty prompt gives ''.
 */
export function titleFromPrompt(prompt: string): string {
  const line = prompt
    .split(/\r?\n/)
    .map((l) =>
      l
        .replace(/^\s*(?:[#>*-]+|\d+[.)])\s+/, '')
        .replace(/\s+/g, ' ')
        .trim()
    )
    .find((l) => l.length > 0)
  if (!line) return ''
  // The first sentence, when the line goes on after it; a question or exclamation keeps its mark.
  const end = /[.!?](?=\s+\S)/.exec(line)
  let title = end ? line.slice(0, end.index + (line[end.index] === '.' ? 0 : 1)) : line.replace(/\.+$/, '')
  if (title.length > DERIVED_TITLE_MAX) {
    const room = title.slice(0, DERIVED_TITLE_MAX - 1)
    const space = room.lastIndexOf(' ')
    title = `${(space > DERIVED_TITLE_MAX / 2 ? room.slice(0, space) : room).replace(/[\s,;:.-]+$/, '')}…`
  }
  return title
}
