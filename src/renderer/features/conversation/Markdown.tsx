import type { ComponentProps, ReactElement, ReactNode } from 'react'
import ReactMarkdown, { type Components, type ExtraProps } from 'react-markdown'
import remarkGfm from 'remark-gfm'
import { CodeBlock } from './CodeBlock'

type Source = { start?: { offset?: number }; end?: { offset?: number } } | undefined

// A fenced block is complete once its closing fence has arrived; until then (still streaming) it stays plain.
const closedFence = (source: string): boolean => /^\s{0,3}(`{3,}|~{3,})/.test(source) && /\n\s{0,3}(`{3,}|~{3,})\s*$/.test(source)

/** The text of a code element's children (react-markdown gives a string, or strings in an array). */
const textOf = (children: ReactNode): string =>
  Array.isArray(children) ? children.map(textOf).join('') : typeof children === 'string' ? children : ''

/** A heading inside a reply: styled by level, announced below the thread's own headings. */
const heading =
  (level: number) =>
  ({ children }: { children?: ReactNode }): ReactElement => (
    <p className={`md-h md-h${Math.min(level, 3)}`} role="heading" aria-level={Math.min(level + 2, 6)}>
      {children}
    </p>
  )

/**
 * Renders assistant markdown (CommonMark with GitHub's tables, task lists and strikethrough) as React
 * elements, never HTML: raw HTML in the text is dropped, links open outside the app, images stay links
 * (the page loads nothing remote), and code blocks are highlighted with a Copy button. `caret` marks
 * text still streaming.
 */
export function Markdown({ text, caret = false }: { text: string; caret?: boolean }): ReactElement {
  const components: Components = {
    pre: ({ children, node }: ComponentProps<'pre'> & ExtraProps) => {
      const code = (Array.isArray(children) ? children[0] : children) as
        ReactElement<{ className?: string; children?: ReactNode }> | undefined
      const lang = /language-([\w+#.-]+)/.exec(code?.props.className ?? '')?.[1] ?? ''
      const at = node?.position as Source
      const source = text.slice(at?.start?.offset ?? 0, at?.end?.offset ?? text.length)
      const body = textOf(code?.props.children).replace(/\n$/, '')
      return <CodeBlock lang={lang} text={body} open={caret && !closedFence(source)} />
    },
    code: ({ children }) => <code className="md-code">{children}</code>,
    a: ({ href, children }) => (
      <a href={href} target="_blank" rel="noreferrer noopener">
        {children}
      </a>
    ),
    img: ({ src, alt }) =>
      typeof src === 'string' && src ? (
        <a href={src} target="_blank" rel="noreferrer noopener">
          {alt || src}
        </a>
      ) : (
        <>{alt}</>
      ),
    h1: heading(1),
    h2: heading(2),
    h3: heading(3),
    h4: heading(4),
    h5: heading(5),
    h6: heading(6)
  }
  return (
    <div className="md">
      <ReactMarkdown remarkPlugins={[remarkGfm]} skipHtml components={components}>
        {text}
      </ReactMarkdown>
      {caret && <span className="stream-caret" aria-hidden="true" />}
    </div>
  )
}
