import type * as Monaco from 'monaco-editor/editor/editor.api'
import type { DiffApi, LineRange, LiveDiff } from './diff-types'
import { changeAtLine, changeLine, stepChange } from './hunks'

/** Selected lines of an editor, or null without a selection (a selection ending at column 1 leaves that line out). */
export function selectedLines(editor: Monaco.editor.ICodeEditor): LineRange | null {
  const s = editor.getSelection()
  if (!s || s.isEmpty()) return null
  const end = s.endColumn === 1 && s.endLineNumber > s.startLineNumber ? s.endLineNumber - 1 : s.endLineNumber
  return { start: s.startLineNumber, end }
}

/** What the api acts on: the editor while it is open, and the view's ways to report, revert and open a comment box. */
export interface DiffApiDeps {
  live: () => LiveDiff | null
  commentable: () => boolean
  report: () => void
  requestRevert: (index: number) => void
  openDraft: (lines: LineRange) => void
}

/** The pane's api over one editor: stepping through changes, commenting on the selection, reverting the current change. */
export function diffApi(d: DiffApiDeps): DiffApi {
  return {
    step: (direction) => {
      const l = d.live()
      if (!l || l.changes.length === 0) return
      const editor = l.diff.getModifiedEditor()
      const line = editor.getPosition()?.lineNumber ?? 1
      const next =
        l.current >= 0
          ? (l.current + direction + l.changes.length) % l.changes.length
          : stepChange(l.changes, direction === 1 ? line - 1 : line + 1, direction)
      l.current = next
      const target = changeLine(l.changes[next])
      editor.setPosition({ lineNumber: target, column: 1 })
      editor.revealLineInCenterIfOutsideViewport(target)
      d.report()
    },
    commentOnSelection: (fromKeyboard = false) => {
      const l = d.live()
      if (!l || !d.commentable()) return
      const editor = l.diff.getModifiedEditor()
      const position = editor.getPosition()
      // From the keyboard, only where the person is: a selection, or the cursor of the focused editor.
      const lines =
        selectedLines(editor) ??
        (position && (!fromKeyboard || editor.hasTextFocus()) ? { start: position.lineNumber, end: position.lineNumber } : null)
      if (lines) d.openDraft(lines)
    },
    revertCurrent: () => {
      const l = d.live()
      if (!l) return
      const line = l.diff.getModifiedEditor().getPosition()?.lineNumber ?? 0
      const at = changeAtLine(l.changes, line)
      d.requestRevert(at >= 0 ? at : l.current)
    }
  }
}
