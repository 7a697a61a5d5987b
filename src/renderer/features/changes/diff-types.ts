import type { MutableRefObject } from 'react'
import type * as Monaco from 'monaco-editor/editor/editor.api'
import type { RemoteThread } from '../../../shared/pr-threads'
import type { LineSpan, ReviewComment } from '../../../shared/review'
import type { MonacoApi } from '../../lib/monaco/monaco-loader'
import type { DiffLayout } from './changes-store'
import type { CommentZones } from './comment-zones'
import type { GutterComments } from './gutter-comments'
import type { HunkButton } from './hunk-button'
import type { EmptySide, LineChange } from './hunks'

/** Lines of the modified side, first to last. */
export interface LineRange {
  start: number
  end: number
}

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
  selection: LineRange | null
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

/** The diff editor while the pane is open, with its helpers and what it knows of the diff shown. */
export interface LiveDiff {
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
