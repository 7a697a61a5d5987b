import type { ReactElement, ReactNode } from 'react'
import { CodeBlock } from './CodeBlock'

/** A block of assistant text: paragraph, heading, list or fenced code. */
type Block =
  | { kind: 'p'; lines: string[] }
  | { kind: 'h'; level: number; text: string }
  | { kind: 'list'; ordered: boolean; start: number; items: string[] }
  | { kind: 'code'; lang: string; text: string; open: boolean }

const FENCE = /^\s{0,3}(`{3,}|~{3,})\s*([\w+#.-]*)\s*$/
const BULLET = /^\s{0,3}([-*+])\s+(.*)$/
const ORDERED = /^\s{0,3}(\d{1,9})[.)]\s+(.*)$/
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/

/** Splits text into blocks. An unclosed fence (still streaming) runs to the end. */
export function parseBlocks(text: string): Block[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  const blocks: Block[] = []
  let i = 0
  while (i < lines.length) {
    const line = lines[i]
    const fence = FENCE.exec(line)
    if (fence) {
      const marker = fence[1]
      const body: string[] = []
      i++
      while (i < lines.length && !(lines[i].trim().startsWith(marker[0].repeat(marker.length)) && lines[i].trim().replace(/[`~]/g, '') === '')) body.push(lines[i++])
      const open = i >= lines.length
      i++
      blocks.push({ kind: 'code', lang: fence[2], text: body.join('\n'), open })
      continue
    }
    if (!line.trim()) {
      i++
      continue
    }
    const heading = HEADING.exec(line)
    if (heading) {
      blocks.push({ kind: 'h', level: heading[1].length, text: heading[2] })
      i++
      continue
    }
    const bullet = BULLET.exec(line)
    const ordered = bullet ? null : ORDERED.exec(line)
    if (bullet || ordered) {
      const isOrdered = !!ordered
      const items: string[] = []
      while (i < lines.length) {
        const m = isOrdered ? ORDERED.exec(lines[i]) : BULLET.exec(lines[i])
        if (m) items.push(m[2])
        else if (lines[i].trim() && /^\s{2,}/.test(lines[i]) && items.length) items[items.length - 1] += `\n${lines[i].trim()}`
        else break
        i++
      }
      blocks.push({ kind: 'list', ordered: isOrdered, start: ordered ? Number(ordered[1]) : 1, items })
      continue
    }
    const para: string[] = []
    while (i < lines.length && lines[i].trim() && !FENCE.test(lines[i]) && !HEADING.test(lines[i]) && !(para.length && (BULLET.test(lines[i]) || ORDERED.test(lines[i])))) {
      para.push(lines[i++])
    }
    blocks.push({ kind: 'p', lines: para })
  }
  return blocks
}

const INLINE = /(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)|\*\*(?=\S)([\s\S]*?\S)\*\*|__(?=\S)([\s\S]*?\S)__|\*(?=[^\s*])([^*\n]*?[^\s*])\*/g

/** Renders inline markup: `code`, **bold** (or __bold__) and *emphasis*. Everything else stays text. */
export function renderInline(text: string, keyPrefix = ''): ReactNode[] {
  const out: ReactNode[] = []
  let last = 0
  let n = 0
  for (const m of text.matchAll(INLINE)) {
    const at = m.index ?? 0
    if (at > last) out.push(text.slice(last, at))
    const key = `${keyPrefix}${n++}`
    if (m[1]) out.push(<code key={key} className="md-code">{m[2].trim() ? m[2].replace(/^ (.*) $/, '$1') : m[2]}</code>)
    else if (m[3] !== undefined || m[4] !== undefined) out.push(<strong key={key}>{renderInline(m[3] ?? m[4], `${key}.`)}</strong>)
    else out.push(<em key={key}>{m[5]}</em>)
    last = at + m[0].length
  }
  if (last < text.length) out.push(text.slice(last))
  return out
}

/** Inline text whose line breaks are kept. */
function withBreaks(text: string, key: string): ReactNode[] {
  return text.split('\n').flatMap((line, i) => (i === 0 ? renderInline(line, `${key}-${i}-`) : [<br key={`${key}-br${i}`} />, ...renderInline(line, `${key}-${i}-`)]))
}

/** Renders assistant markdown as React elements (never HTML strings); `caret` marks text still streaming. */
export function MarkdownLite({ text, caret = false }: { text: string; caret?: boolean }): ReactElement {
  const blocks = parseBlocks(text)
  const caretEl = caret ? <span className="stream-caret" aria-hidden="true" /> : null
  const last = blocks.length - 1
  return (
    <div className="md">
      {blocks.map((b, i) => {
        const tail = i === last ? caretEl : null
        switch (b.kind) {
          case 'code':
            return <CodeBlock key={i} lang={b.lang} text={b.text} open={b.open} tail={tail} />
          case 'h':
            return (
              <p key={i} className={`md-h md-h${Math.min(b.level, 3)}`} role="heading" aria-level={Math.min(b.level + 2, 6)}>
                {renderInline(b.text, `${i}-`)}
                {tail}
              </p>
            )
          case 'list': {
            const items = b.items.map((it, j) => (
              <li key={j}>
                {withBreaks(it, `${i}-${j}`)}
                {j === b.items.length - 1 ? tail : null}
              </li>
            ))
            return b.ordered ? (
              <ol key={i} start={b.start === 1 ? undefined : b.start}>
                {items}
              </ol>
            ) : (
              <ul key={i}>{items}</ul>
            )
          }
          case 'p':
            return (
              <p key={i}>
                {withBreaks(b.lines.join('\n'), String(i))}
                {tail}
              </p>
            )
        }
      })}
      {blocks.length === 0 && caretEl}
    </div>
  )
}
