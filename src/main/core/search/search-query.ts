import { appError, ErrorCode } from '../../../shared/errors'
import { err, ok, type Result } from '../../../shared/result'

/** At most this many words and phrases in one search. */
const MAX_TERMS = 32

/**
 * Turns what a person typed into an FTS5 MATCH expression: every word and "exact phrase" is quoted (so user
 * text is never FTS syntax), a trailing * keeps a prefix search, and all terms must match.
 */
export function ftsQuery(input: string): Result<string> {
  // Control characters (NUL included) are never in the index: they separate words like spaces.
  const text = input.replace(/[\u0000-\u001f\u007f]/g, ' ')
  const terms: string[] = []
  for (const m of text.matchAll(/"([^"]*)"?|([^\s"]+)/g)) {
    const phrase = m[1]
    const word = m[2]
    if (phrase !== undefined) {
      if (hasWord(phrase)) terms.push(quote(phrase))
    } else if (word !== undefined) {
      const prefix = word.endsWith('*')
      const bare = word.replace(/\*+$/, '')
      if (hasWord(bare)) terms.push(prefix ? `${quote(bare)}*` : quote(bare))
    }
  }
  if (terms.length === 0) return err(appError(ErrorCode.InvalidParams, 'Type a word or "an exact phrase" to search for.'))
  if (terms.length > MAX_TERMS) return err(appError(ErrorCode.InvalidParams, `A search has at most ${MAX_TERMS} words and phrases.`))
  // AND spelled out: a prefix expanded into (a OR b) may stand beside a term, where FTS5 takes no implicit AND.
  return ok(terms.join(' AND '))
}

function hasWord(s: string): boolean {
  return /[\p{L}\p{N}]/u.test(s)
}

function quote(s: string): string {
  return `"${s.replace(/"/g, '""')}"`
}
