import type * as Monaco from 'monaco-editor/editor/editor.api'

type CodeEditor = Monaco.editor.ICodeEditor

/**
 * A small "Revert change" button at the top right of one change on the modified side. It shows for
 * the change under the pointer, else for the change the person moved to with n / F7.
 */
export class HunkButton {
  private readonly node: HTMLButtonElement
  private readonly widget: Monaco.editor.IOverlayWidget
  private readonly scrollListener: Monaco.IDisposable
  private line: number | null = null

  constructor(
    private readonly editor: CodeEditor,
    onClick: () => void
  ) {
    const node = document.createElement('button')
    node.type = 'button'
    node.className = 'hunk-button'
    node.title = 'Put this change back as it was on the base side'
    node.innerHTML = '<span class="codicon codicon-discard" aria-hidden="true"></span><span>Revert change</span>'
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

  /** Shows the button at a line (the first of a change), or hides it with null. */
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
    const top = this.editor.getTopForLineNumber(this.line) - this.editor.getScrollTop()
    this.node.style.display = top < -20 || top > layout.height ? 'none' : ''
    this.node.style.top = `${Math.max(0, top)}px`
    this.node.style.right = `${layout.verticalScrollbarWidth + 10}px`
  }
}
