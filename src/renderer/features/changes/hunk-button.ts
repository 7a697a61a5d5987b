import type * as Monaco from 'monaco-editor/editor/editor.api'

type CodeEditor = Monaco.editor.ICodeEditor

/**
 * A small "Revert change" button at the right of one change on the modified side, over the unchanged
 * line just above it (where code rarely reaches). It shows for the change under the pointer, else
 * for the change the person moved to with n / F7.
 */
export class HunkButton {
  private readonly node: HTMLButtonElement
  private readonly widget: Monaco.editor.IOverlayWidget
  private readonly scrollListener: Monaco.IDisposable
  private line: number | null = null

  constructor(
    private readonly editor: CodeEditor,
    /** Monaco's EditorOption.lineHeight (a const enum in its typings, so passed in). */
    private readonly monacoLineHeight: Monaco.editor.EditorOption.lineHeight,
    onClick: () => void
  ) {
    const node = document.createElement('button')
    node.type = 'button'
    node.className = 'hunk-button'
    node.title = 'Revert change: put these lines back as they were on the base side'
    node.setAttribute('aria-label', 'Revert change')
    // Only the icon until hovered, so it hides as little code as possible.
    node.innerHTML = '<span class="codicon codicon-discard" aria-hidden="true"></span><span class="hunk-button-label">Revert change</span>'
    node.addEventListener('mousedown', (e) => e.stopPropagation())
    node.addEventListener('click', (e) => {
      e.preventDefault()
      onClick()
    })
    node.style.display = 'none'
    this.node = node
    this.widget = { getId: () => 'skein.hunk-button', getDomNode: () => node, getPosition: () => null }
    editor.addOverlayWidget(this.widget)
    this.scrollListener = editor.onDidScrollChange(() => this.place())
  }

  /** Shows the button over a line's row (right-aligned), or hides it with null. */
  showAt(line: number | null): void {
    this.line = line
    this.place()
  }

  dispose(): void {
    this.scrollListener.dispose()
    this.editor.removeOverlayWidget(this.widget)
  }

  private place(): void {
    if (this.line === null) {
      this.node.style.display = 'none'
      return
    }
    const layout = this.editor.getLayoutInfo()
    const lineHeight = this.editor.getOption(this.monacoLineHeight)
    const top = this.editor.getTopForLineNumber(this.line) - this.editor.getScrollTop()
    this.node.style.display = top < -lineHeight || top > layout.height ? 'none' : ''
    this.node.style.top = `${Math.max(0, top)}px`
    this.node.style.right = `${layout.verticalScrollbarWidth + 10}px`
  }
}
