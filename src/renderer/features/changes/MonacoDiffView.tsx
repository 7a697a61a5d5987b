import { useRef, useState, type ReactElement } from 'react'
import type { RemoteThread } from '../../../shared/pr-threads'
import type { LineRange, MonacoDiffViewProps } from './diff-types'
import { useCommentZones } from './use-comment-zones'
import { useDiffEditor } from './use-diff-editor'
import { ZoneCards } from './ZoneCards'

const NO_REMOTE: readonly RemoteThread[] = []

/** A read-only Monaco diff editor (loaded on first use) with comment zones, gutter comments and hunk reverts. */
export function MonacoDiffView(props: MonacoDiffViewProps): ReactElement {
  const { threadId, path, contentKey, layout, comments, remote = NO_REMOTE } = props
  const host = useRef<HTMLDivElement>(null)
  const [draft, setDraft] = useState<LineRange | null>(null)
  const { ready, live } = useDiffEditor(host, props, setDraft)
  const nodes = useCommentZones(live, ready, { comments, remote, draft, contentKey })
  const refocus = () => requestAnimationFrame(() => live.current?.diff.getModifiedEditor().focus())
  return (
    <div className="monaco-diff" ref={host} data-layout={layout}>
      <ZoneCards
        threadId={threadId}
        path={path}
        nodes={nodes}
        comments={comments}
        remote={remote}
        draft={draft}
        closeDraft={() => setDraft(null)}
        refocus={refocus}
      />
    </div>
  )
}
