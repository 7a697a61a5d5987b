import { lazy, Suspense, type ReactElement } from 'react'
import type { ChangedFile, FileDiff } from '../../../shared/review'

const DiffPaneChunk = lazy(() => import('./DiffPane').then((m) => ({ default: m.DiffPane })))

/**
 * One file's diff from another source than the change set (a checkpoint's rewind preview): the Changes tab's own
 * diff pane (header, notices, Monaco), read-only, loaded on first use.
 */
export function FileDiffPreview({
  threadId,
  file,
  load
}: {
  threadId: string
  file: ChangedFile
  load: (force: boolean) => Promise<FileDiff>
}): ReactElement {
  return (
    <Suspense
      fallback={
        <div className="empty-state" aria-busy="true">
          <div className="spinner" aria-hidden="true" />
        </div>
      }
    >
      <DiffPaneChunk key={file.path} threadId={threadId} file={file} load={load} />
    </Suspense>
  )
}
