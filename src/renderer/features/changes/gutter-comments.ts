import type * as Monaco from 'monaco-editor/editor/editor.api'
import type { MonacoApi } from '../../lib/monaco/monaco-loader'

type CodeEditor = Monaco.editor.ICodeEditor

// Monaco's MouseTargetType values (a const enum in its typings, so not importable at runtime).
const GUTTER_GLYPH_MARGIN = 2
const GUTTER_LINE_NUMBERS = 3
const GUTTER_LINE_DECORATIONS = 4
const CONTENT_TEXT = 6
const CONTENT_EMPTY = 7
const OVERLAY_WIDGET = 12

const onLines = (type: number) =>
  type === CONTENT_TEXT ||
  type === CONTENT_EMPTY ||
  type === GUTTER_GLYPH_MARGIN ||
  type === GUTTER_LINE_NUMBERS ||
  type === GUTTER_LINE_DECORATIONS

/**
 * The "+" in the modified side's glyph margin: it follows the pointer over the lines, and a click
 * (or a drag along the gutter, for several lines) asks for a comment on those lines. Lines that
 * have comments, and the lines of the comment being written, are marked.
 */
export class GutterComments {
  private readonly hover: Monaco.editor.IEditorDecorationsCollection
  private readonly marks: Monaco.editor.IEditorDecorationsCollection
  private readonly listeners: Monaco.IDisposable[]
  private dragFrom: number | null = null
  private marked: Monaco.editor.IModelDeltaDecoration[] = []
  private hoverLine: number | null = null
  /** The line under the pointer while over the lines (any column), for the hunk actions too. */
  onHoverLine: (line: number | null) => void = () => {}
  /** Whether the "+" shows at all (not on a deleted file). */
  enabled: () => boolean = () => true

  constructor(
    private readonly monaco: MonacoApi,
    editor: CodeEditor,
    private readonly onComment: (start: number, end: number) => void
  ) {
    this.hover = editor.createDecorationsCollection()
    this.marks = editor.createDecorationsCollection()
    this.listeners = [
      editor.onMouseMove((e) => {
        if (e.target.type === OVERLAY_WIDGET) return // over a comment or a hunk button: keep things as they are
        this.setHover(onLines(e.target.type) ? (e.target.position?.lineNumber ?? null) : null)
      }),
      editor.onMouseLeave(() => this.setHover(null)),
      // Decorations belong to a model: a reloaded file gets its marks again.
      editor.onDidChangeModel(() => this.marks.set(this.marked)),
      editor.onMouseDown((e) => {
        if (e.target.type !== GUTTER_GLYPH_MARGIN || !e.event.leftButton || !e.target.position) return
        this.dragFrom = e.target.position.lineNumber
        this.paint()
        window.addEventListener('mouseup', this.finishDrag, { once: true })
      })
    ]
  }

  /** Marks commented lines (a bar beside the line numbers) and the draft's lines (highlighted). */
  mark(commented: ReadonlyArray<{ start: number; end: number }>, draft: { start: number; end: number } | null): void {
    const { Range } = this.monaco
    this.marked = [
      ...commented.map((c) => ({
        range: new Range(c.start, 1, c.end, 1),
        options: { isWholeLine: true, linesDecorationsClassName: 'commented-lines' }
      })),
      ...(draft
        ? [
            {
              range: new Range(draft.start, 1, draft.end, 1),
              options: { isWholeLine: true, className: 'draft-lines', linesDecorationsClassName: 'commented-lines is-draft' }
            }
          ]
        : [])
    ]
    this.marks.set(this.marked)
  }

  dispose(): void {
    window.removeEventListener('mouseup', this.finishDrag)
    for (const l of this.listeners) l.dispose()
    this.hover.clear()
    this.marks.clear()
  }

  private readonly finishDrag = (): void => {
    const from = this.dragFrom
    this.dragFrom = null
    if (from === null) return
    const to = this.hoverLine ?? from
    this.paint()
    this.onComment(Math.min(from, to), Math.max(from, to))
  }

  private setHover(line: number | null): void {
    if (line === this.hoverLine) return
    this.hoverLine = line
    this.onHoverLine(line)
    this.paint()
  }

  private paint(): void {
    const { Range } = this.monaco
    const line = this.hoverLine
    if ((line === null && this.dragFrom === null) || !this.enabled()) return this.hover.clear()
    const end = line ?? this.dragFrom!
    const start = this.dragFrom ?? end
    const range = new Range(Math.min(start, end), 1, Math.max(start, end), 1)
    this.hover.set([
      {
        range: new Range(end, 1, end, 1),
        options: {
          glyphMarginClassName: 'comment-glyph codicon codicon-add',
          glyphMarginHoverMessage: { value: 'Comment on this line (drag for several)' }
        }
      },
      ...(this.dragFrom !== null ? [{ range, options: { isWholeLine: true, className: 'draft-lines' } }] : [])
    ])
  }
}
