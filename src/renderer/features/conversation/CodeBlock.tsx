import { useEffect, useState, type ReactElement, type ReactNode } from 'react'
import { codeTokens, type TokenRun } from '../../lib/monaco/code-tokens'
import { CopyButton } from '../../ui/CopyButton'

/**
 * A fenced code block in the transcript: its language, a Copy button, and syntax colours once the block
 * is complete (a block still streaming stays plain, so it is not tokenized on every delta).
 */
export function CodeBlock({ lang, text, open, tail }: { lang: string; text: string; open: boolean; tail?: ReactNode }): ReactElement {
  const [lines, setLines] = useState<TokenRun[][] | null>(null)
  useEffect(() => {
    setLines(null)
    if (open || !lang) return
    let live = true
    void codeTokens(text, lang).then((tokens) => live && setLines(tokens))
    return () => {
      live = false
    }
  }, [lang, text, open])
  return (
    <div className="md-code-block">
      <div className="md-code-head">
        <span className="md-lang">{lang}</span>
        {!open && <CopyButton value={text} label="Copy code" />}
      </div>
      <pre className="md-pre" data-lang={lang || undefined} data-highlighted={lines ? 'true' : undefined}>
        <code>
          {lines
            ? lines.map((runs, i) => (
                <span key={i}>
                  {i > 0 && '\n'}
                  {runs.map((r, j) =>
                    r.kind ? (
                      <span key={j} className={`tok-${r.kind}`}>
                        {r.text}
                      </span>
                    ) : (
                      r.text
                    )
                  )}
                </span>
              ))
            : text}
        </code>
        {tail}
      </pre>
    </div>
  )
}
