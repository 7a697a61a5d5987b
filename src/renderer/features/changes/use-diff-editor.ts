import { useEffect, useLayoutEffect, useRef, useState, type MutableRefObject, type RefObject } from 'react'
import type * as Monaco from 'monaco-editor/editor/editor.api'
import { languageFor, loadMonaco } from '../../lib/monaco/monaco-loader'
import { CommentZones } from './comment-zones'
import { diffApi, selectedLines } from './diff-api'
import type { DiffStatus, LineRange, LiveDiff, MonacoDiffViewProps } from './diff-types'
import { GutterComments } from './gutter-comments'
import { HunkButton } from './hunk-button'
import {
  buttonLine,
  changeAtLine,
  changeLine,
  changeNearLine,
  emptySideOf,
  hunkSpans,
  oneSidedChanges,
  oneSidedText,
  spanText
} from './hunks'

const editorFont = () => getComputedStyle(document.documentElement).getPropertyValue('--font-mono').trim() || 'monospace'

/** The diff editor's options: read-only, compact, with a glyph margin for the comment and revert buttons. */
const editorOptions = (sideBySide: boolean): Monaco.editor.IStandaloneDiffEditorConstructionOptions => ({
  readOnly: true,
  originalEditable: false,
  automaticLayout: true,
  renderSideBySide: sideBySide,
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

/** The editor hook's answer: whether the editor exists yet, and the editor while it does. */
export interface DiffEditor {
  ready: boolean
  live: MutableRefObject<LiveDiff | null>
}

/**
 * The Monaco diff editor of a pane (loaded on first use): each file's text loaded into it, its status
 * reported, the pane's api served, the hunk button and gutter comments wired; all disposed with the pane.
 */
export function useDiffEditor(
  host: RefObject<HTMLDivElement | null>,
  props: MonacoDiffViewProps,
  setDraft: (lines: LineRange | null) => void
): DiffEditor {
  const { path, original, modified, contentKey, layout, apiRef } = props
  const live = useRef<LiveDiff | null>(null)
  const [ready, setReady] = useState(false)
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

  // One api object per editor, so the pane's shortcuts never reach a diff that is gone.
  const [api] = useState(() =>
    diffApi({ live: () => live.current, commentable: () => callbacks.current.commentable, report, requestRevert, openDraft: setDraft })
  )

  // Create the editor once; dispose of it (and its models) when the pane goes away.
  useEffect(() => {
    let cancelled = false
    loadMonaco().then(
      (monaco) => {
        if (cancelled || !host.current) return
        const diff = monaco.editor.createDiffEditor(host.current, editorOptions(callbacks.current.layout === 'side-by-side'))
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
        const l: LiveDiff = {
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

  useLayoutEffect(() => {
    apiRef.current = api
    return () => {
      if (apiRef.current === api) apiRef.current = null
    }
  }, [apiRef, api])

  return { ready, live }
}
