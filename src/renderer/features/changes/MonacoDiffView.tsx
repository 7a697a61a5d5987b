import { useEffect, useLayoutEffect, useRef, useState, type MutableRefObject, type ReactElement } from 'react'
import { createPortal } from 'react-dom'
import type * as Monaco from 'monaco-editor/editor/editor.api'
import type { LineSpan, ReviewComment } from '../../../shared/review'
import { addComment } from './changes-actions'
import type { DiffLayout } from './changes-store'
import { CommentCard, CommentForm } from './CommentCards'
import { RemoteThreadCard } from './RemoteThreadCards'
import type { RemoteThread } from '../../../shared/pr-threads'
import { CommentZones } from './comment-zones'
import { GutterComments } from './gutter-comments'
import { HunkButton } from './hunk-button'
import {
  buttonLine,
  changeAtLine,
  changeLine,
  changeNearLine,
  emptySideOf,
  hunkSpans,
  linesLabel,
  oneSidedChanges,
  oneSidedText,
  spanText,
  stepChange,
  type EmptySide,
  type LineChange
} from './hunks'
import { languageFor, loadMonaco, type MonacoApi } from '../../lib/monaco/monaco-loader'

/** What the diff pane can ask of the open diff (keyboard shortcuts and header buttons). */
export interface DiffApi {
  /** Moves to the next (1) or previous (-1) change, wrapping around. */
  step: (direction: 1 | -1) => void
  /** Opens a comment box on the selected lines of the modified side (from the keyboard: only with a selection or focus). */
  commentOnSelection: (fromKeyboard?: boolean) => void
  /** Asks to revert the change under the cursor (or the one last moved to). */
  revertCurrent: () => void
}

/** The diff's state for the pane's header. */
export interface DiffStatus {
  ready: boolean
  changes: number
  /** Index of the current change, or -1. */
  current: number
  /** Selected lines on the modified side, or null. */
  selection: { start: number; end: number } | null
}

/** One hunk the person asked to revert, in the protocol's terms. */
export interface HunkRequest {
  original: LineSpan
  modified: LineSpan
  expected: string
}

/** Props of the Monaco diff. */
export interface MonacoDiffViewProps {
  threadId: string
  path: string
  original: string
  modified: string
  /** Changes whenever the text is reloaded; the same path keeps its scroll position. */
  contentKey: string
  layout: DiffLayout
  /** The file's comments that still have lines (outdated ones are listed elsewhere). */
  comments: readonly ReviewComment[]
  /** The file's review threads from GitHub or GitLab that are on lines of the file now. */
  remote?: readonly RemoteThread[]
  /** False where the file on disk has no lines to comment on (a deleted file). */
  commentable: boolean
  apiRef: MutableRefObject<DiffApi | null>
  onStatus: (status: DiffStatus) => void
  /** Absent for a read-only preview: no revert button or action. */
  onRevertHunk?: (hunk: HunkRequest) => void
  onError: (message: string) => void
}

interface Live {
  monaco: MonacoApi
  diff: Monaco.editor.IStandaloneDiffEditor
  zones: CommentZones
  gutter: GutterComments
  button: HunkButton
  models: Monaco.editor.ITextModel[]
  path: string | null
  /** The side that has no text (an added or deleted file), or null. */
  emptySide: EmptySide
  changes: LineChange[]
  current: number
  hoverChange: number
}

const editorFont = () => getComputedStyle(document.documentElement).getPropertyValue('--font-mono').trim() || 'monospace'

/** Selected lines of an editor, or null without a selection (a selection ending at column 1 leaves that line out). */
function selectedLines(editor: Monaco.editor.ICodeEditor): { start: number; end: number } | null {
  const s = editor.getSelection()
  if (!s || s.isEmpty()) return null
  const end = s.endColumn === 1 && s.endLineNumber > s.startLineNumber ? s.endLineNumber - 1 : s.endLineNumber
  return { start: s.startLineNumber, end }
}

const NO_REMOTE: readonly RemoteThread[] = []

/** A read-only Monaco diff editor (loaded on first use) with comment zones, gutter comments and hunk reverts. */
export function MonacoDiffView(props: MonacoDiffViewProps): ReactElement {
  const { threadId, path, original, modified, contentKey, layout, comments, remote = NO_REMOTE, apiRef } = props
  const host = useRef<HTMLDivElement>(null)
  const live = useRef<Live | null>(null)
  const [ready, setReady] = useState(false)
  const [draft, setDraft] = useState<{ start: number; end: number } | null>(null)
  const [nodes, setNodes] = useState<Map<string, HTMLElement>>(new Map())
  const callbacks = useRef(props)
  callbacks.current = props

  const lastStatus = useRef('')
  const report = () => {
    const l = live.current
    if (!l) return
    const status: DiffStatus = {
      ready: host.current?.dataset.diffReady === 'true',
      changes: l.changes.length,
      current: l.current,
      selection: selectedLines(l.diff.getModifiedEditor())
    }
    const key = JSON.stringify(status)
    if (key !== lastStatus.current) {
      lastStatus.current = key
      callbacks.current.onStatus(status)
    }
    const shown = l.hoverChange >= 0 ? l.hoverChange : l.current
    const revertible = !!callbacks.current.onRevertHunk
    l.button.showAt(revertible && shown >= 0 && l.changes[shown] ? buttonLine(l.changes[shown]) : null)
  }

  const requestRevert = (index: number) => {
    const l = live.current
    const change = l?.changes[index]
    const model = l?.diff.getModifiedEditor().getModel()
    if (!l || !change || !model) return
    const spans = hunkSpans(change)
    callbacks.current.onRevertHunk?.({ ...spans, expected: spanText(spans.modified, (n) => model.getLineContent(n)) })
  }

  // Create the editor once; dispose of it (and its models) when the pane goes away.
  useEffect(() => {
    let cancelled = false
    loadMonaco().then(
      (monaco) => {
        if (cancelled || !host.current) return
        const diff = monaco.editor.createDiffEditor(host.current, {
          readOnly: true,
          originalEditable: false,
          automaticLayout: true,
          renderSideBySide: callbacks.current.layout === 'side-by-side',
          useInlineViewWhenSpaceIsLimited: false,
          ignoreTrimWhitespace: false,
          renderMarginRevertIcon: false,
          renderGutterMenu: false,
          renderOverviewRuler: true,
          enableSplitViewResizing: true,
          minimap: { enabled: false },
          scrollBeyondLastLine: false,
          glyphMargin: true,
          folding: false,
          lineDecorationsWidth: 6,
          fontFamily: editorFont(),
          fontSize: 12,
          lineHeight: 19,
          renderLineHighlight: 'line',
          scrollbar: { verticalScrollbarSize: 12, horizontalScrollbarSize: 12, alwaysConsumeMouseWheel: false },
          stickyScroll: { enabled: false },
          contextmenu: true,
          domReadOnly: true,
          readOnlyMessage: { value: 'The diff is read-only: the agent edits the files.' }
        })
        diff.getOriginalEditor().updateOptions({ glyphMargin: false })
        const editor = diff.getModifiedEditor()
        const zones = new CommentZones(editor)
        const gutter = new GutterComments(monaco, editor, (start, end) => {
          if (callbacks.current.commentable) setDraft({ start, end })
        })
        gutter.enabled = () => callbacks.current.commentable
        const button = new HunkButton(editor, monaco.editor.EditorOption.lineHeight, () => {
          const l = live.current
          if (l) requestRevert(l.hoverChange >= 0 ? l.hoverChange : l.current)
        })
        const l: Live = {
          monaco,
          diff,
          zones,
          gutter,
          button,
          models: [],
          path: null,
          emptySide: null,
          changes: [],
          current: -1,
          hoverChange: -1
        }
        live.current = l
        gutter.onHoverLine = (line) => {
          l.hoverChange = line === null ? -1 : changeNearLine(l.changes, line)
          report()
        }
        diff.onDidUpdateDiff(() => {
          const first = l.changes.length === 0 && host.current?.dataset.reveal === 'first'
          l.changes = oneSidedChanges(diff.getLineChanges() ?? [], l.emptySide)
          if (host.current) {
            host.current.dataset.diffReady = 'true'
            host.current.dataset.changes = String(l.changes.length)
            if (first && l.changes.length) {
              delete host.current.dataset.reveal
              editor.revealLineNearTop(changeLine(l.changes[0]), 1)
            }
          }
          report()
        })
        editor.onDidChangeCursorSelection((e) => {
          if (e.source === 'mouse' || e.source === 'keyboard') l.current = changeAtLine(l.changes, e.selection.positionLineNumber)
          report()
        })
        // A read-only preview (no revert handler) offers neither comments nor reverts.
        if (callbacks.current.onRevertHunk) {
          editor.addAction({
            id: 'skein.commentOnSelection',
            label: 'Comment on Selected Lines…',
            contextMenuGroupId: '1_skein',
            contextMenuOrder: 1,
            run: () => api.commentOnSelection()
          })
          editor.addAction({
            id: 'skein.revertChange',
            label: 'Revert This Change…',
            contextMenuGroupId: '1_skein',
            contextMenuOrder: 2,
            run: () => api.revertCurrent()
          })
        }
        setReady(true)
      },
      (e: unknown) => callbacks.current.onError(`The diff editor could not load: ${e instanceof Error ? e.message : String(e)}`)
    )
    return () => {
      cancelled = true
      const l = live.current
      live.current = null
      if (!l) return
      l.zones.dispose()
      l.gutter.dispose()
      l.button.dispose()
      l.diff.dispose()
      for (const m of l.models) m.dispose()
    }
  }, [])

  // (Re)load the text: new models for a new file, or the same file reloaded with its scroll position kept.
  // A layout effect before the zones' one, so zones and marks always land on the current model.
  useLayoutEffect(() => {
    const l = live.current
    if (!ready || !l) return
    const editor = l.diff.getModifiedEditor()
    const same = l.path === path
    const scrollTop = same ? editor.getScrollTop() : 0
    const language = languageFor(l.monaco, path)
    l.emptySide = emptySideOf(original, modified)
    const models = [
      l.monaco.editor.createModel(oneSidedText(original, l.emptySide), language),
      l.monaco.editor.createModel(oneSidedText(modified, l.emptySide), language)
    ]
    if (host.current) {
      host.current.dataset.diffReady = 'false'
      // Monaco maps an empty side wholesale onto the other, showing its one empty line as a changed line 1: CSS hides it.
      if (l.emptySide) host.current.dataset.emptySide = l.emptySide
      else delete host.current.dataset.emptySide
      if (!same) host.current.dataset.reveal = 'first'
    }
    // Its overview ruler would mark the phantom line too; one change that is the whole file needs no map.
    l.diff.updateOptions({ renderOverviewRuler: !l.emptySide })
    l.changes = []
    if (!same) l.current = -1
    l.diff.setModel({ original: models[0], modified: models[1] })
    for (const m of l.models) m.dispose()
    l.models = models
    l.path = path
    if (same) editor.setScrollTop(scrollTop)
    else setDraft(null)
    report()
  }, [ready, path, contentKey])

  useEffect(() => {
    live.current?.diff.updateOptions({ renderSideBySide: layout === 'side-by-side' })
  }, [ready, layout])

  // Comment zones: one per comment under its last line, plus the box being written.
  const zoneKey =
    [...comments.map((c) => `${c.id}:${c.endLine}`), ...remote.map((t) => `r${t.id}:${t.line}`)].join(',') +
    (draft ? `|draft:${draft.end}` : '')
  useLayoutEffect(() => {
    const l = live.current
    if (!ready || !l) return
    const specs = comments.map((c) => ({ key: c.id, afterLine: c.endLine }))
    for (const t of remote) if (t.line !== null) specs.push({ key: `remote:${t.id}`, afterLine: t.line })
    if (draft) specs.push({ key: 'draft', afterLine: draft.end })
    setNodes(l.zones.sync(specs))
    l.gutter.mark(
      comments.map((c) => ({ start: c.startLine, end: c.endLine })),
      draft
    )
  }, [ready, zoneKey, contentKey])

  // One api object per editor, so the pane's shortcuts never reach a diff that is gone.
  const api = useRef<DiffApi>({
    step: (direction) => {
      const l = live.current
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
      report()
    },
    commentOnSelection: (fromKeyboard = false) => {
      const l = live.current
      if (!l || !callbacks.current.commentable) return
      const editor = l.diff.getModifiedEditor()
      const position = editor.getPosition()
      // From the keyboard, only where the person is: a selection, or the cursor of the focused editor.
      const lines =
        selectedLines(editor) ??
        (position && (!fromKeyboard || editor.hasTextFocus()) ? { start: position.lineNumber, end: position.lineNumber } : null)
      if (lines) setDraft(lines)
    },
    revertCurrent: () => {
      const l = live.current
      if (!l) return
      const line = l.diff.getModifiedEditor().getPosition()?.lineNumber ?? 0
      const at = changeAtLine(l.changes, line)
      requestRevert(at >= 0 ? at : l.current)
    }
  }).current
  useLayoutEffect(() => {
    apiRef.current = api
    return () => {
      if (apiRef.current === api) apiRef.current = null
    }
  }, [apiRef, api])

  // After a comment box closes (saved or cancelled), keys go back to the diff, so the next Ctrl/⌘+Enter sends the review.
  const refocus = () => requestAnimationFrame(() => live.current?.diff.getModifiedEditor().focus())
  const byId = new Map(comments.map((c) => [c.id, c]))
  const remoteById = new Map(remote.map((t) => [`remote:${t.id}`, t]))
  return (
    <div className="monaco-diff" ref={host} data-layout={layout}>
      {[...nodes].map(([key, node]) => {
        if (key === 'draft' && draft) {
          const label = `Comment on ${linesLabel(draft.start, draft.end)}`
          return createPortal(
            <div className="comment-thread">
              <CommentForm
                key={`${draft.start}-${draft.end}`}
                label={label}
                submitLabel="Comment"
                onCancel={() => {
                  setDraft(null)
                  refocus()
                }}
                onSubmit={async (body) => {
                  const refusal = await addComment(threadId, { path, startLine: draft.start, endLine: draft.end, body })
                  if (!refusal) {
                    setDraft(null)
                    refocus()
                  }
                  return refusal
                }}
              />
            </div>,
            node,
            key
          )
        }
        const thread = remoteById.get(key)
        if (thread)
          return createPortal(
            <div className="comment-thread">
              <RemoteThreadCard threadId={threadId} thread={thread} />
            </div>,
            node,
            key
          )
        const comment = byId.get(key)
        return comment
          ? createPortal(
              <div className="comment-thread">
                <CommentCard threadId={threadId} comment={comment} onEditDone={refocus} />
              </div>,
              node,
              key
            )
          : null
      })}
    </div>
  )
}
