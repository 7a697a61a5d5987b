import { loadMonaco, type MonacoApi } from './monaco-loader'

/** A run of text and the kind of token it is ("keyword", "string", …; "" for plain text). */
export interface TokenRun {
  text: string
  kind: string
}

/** Blocks longer than this stay plain: tokenizing them would cost more than it gives. */
const MAX_CHARS = 20_000
const cache = new Map<string, Promise<TokenRun[][] | null>>()

/** Monaco's language for a fence's tag ("ts", "python", "sh", "tsx"…), by id, alias or file extension; null when none. */
function languageOf(monaco: MonacoApi, tag: string): string | null {
  const t = tag.toLowerCase()
  for (const lang of monaco.languages.getLanguages()) {
    if (lang.id === t || lang.aliases?.some((a) => a.toLowerCase() === t) || lang.extensions?.some((e) => e.toLowerCase() === `.${t}`))
      return lang.id
  }
  return null
}

async function tokenize(text: string, tag: string): Promise<TokenRun[][] | null> {
  const monaco = await loadMonaco()
  const language = languageOf(monaco, tag)
  if (!language) return null
  // colorize waits until the language's tokenizer has loaded; tokenize itself would fall back to plain text.
  await monaco.editor.colorize('', language, {})
  const lines = text.split('\n')
  return monaco.editor.tokenize(text, language).map((tokens, i) => {
    const line = lines[i] ?? ''
    return tokens.map((t, j) => ({ text: line.slice(t.offset, tokens[j + 1]?.offset ?? line.length), kind: t.type.split('.')[0] ?? '' }))
  })
}

/**
 * Syntax tokens for a fenced code block, per line, with Monaco's own grammars (loaded on first use, in
 * Monaco's chunk: nothing is added to the app's start-up). Null for an unknown language or a huge block.
 * Results are cached, so a transcript row that scrolls back into view is not tokenized again.
 */
export function codeTokens(text: string, tag: string): Promise<TokenRun[][] | null> {
  if (!tag || text.length > MAX_CHARS) return Promise.resolve(null)
  const key = `${tag}\0${text}`
  let entry = cache.get(key)
  if (!entry) {
    entry = tokenize(text, tag).catch(() => null)
    cache.set(key, entry)
    if (cache.size > 500) cache.delete(cache.keys().next().value!)
  }
  return entry
}
