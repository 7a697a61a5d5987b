import { err, ok, type Result } from '../../../shared/result'

/**
 * Parses JSON with comments and trailing commas (JSONC, as VS Code and dev containers write it).
 * Comments and trailing commas are blanked outside strings, then JSON.parse reads the rest, so
 * error positions still point at the original text.
 */
export function parseJsonc(text: string): Result<unknown, string> {
  const out: string[] = []
  let i = 0
  const n = text.length
  while (i < n) {
    const c = text[i]!
    if (c === '"') {
      const start = i++
      while (i < n && text[i] !== '"') i += text[i] === '\\' ? 2 : 1
      out.push(text.slice(start, ++i))
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') out.push(text[i++] === '\r' ? '\r' : ' ')
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2)
      const stop = end === -1 ? n : end + 2
      for (; i < stop; i++) out.push(text[i] === '\n' ? '\n' : ' ')
    } else {
      out.push(c)
      i++
    }
  }
  // A comma followed only by blanks and a closing bracket is a trailing comma.
  const cleaned = out.join('').replace(/,(\s*[}\]])/g, ' $1')
  try {
    return ok(JSON.parse(cleaned.replace(/^\uFEFF/, '')))
  } catch (e) {
    return err((e as Error).message)
  }
}
