/** The longest first prompt a session listing carries. */
export const PROMPT_PREVIEW_CHARS = 200

const TITLE_CHARS = 80

/** A prompt on one line, whitespace collapsed, cut to `max` characters with an ellipsis. */
export function promptPreview(text: string, max = PROMPT_PREVIEW_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`
}

/** A thread title made from a first prompt, or undefined when there is none. */
export function promptTitle(prompt: string | null | undefined): string | undefined {
  const t = prompt ? promptPreview(prompt, TITLE_CHARS) : ''
  return t || undefined
}
