import { useLayoutEffect, useState, type MutableRefObject } from 'react'
import type { RemoteThread } from '../../../shared/pr-threads'
import type { ReviewComment } from '../../../shared/review'
import type { LineRange, LiveDiff } from './diff-types'

/** What goes into the diff's zones: the review's comments, the service's threads and the box being written. */
export interface ZoneContent {
  comments: readonly ReviewComment[]
  remote: readonly RemoteThread[]
  draft: LineRange | null
  /** The text loaded; new models need their zones again. */
  contentKey: string
}

/**
 * Comment zones: one per comment and review thread under its last line, plus the box being written, and
 * the comments' marks in the gutter. Returns each zone's node by key (`draft`, `remote:<id>` or a comment's id).
 */
export function useCommentZones(live: MutableRefObject<LiveDiff | null>, ready: boolean, z: ZoneContent): Map<string, HTMLElement> {
  const { comments, remote, draft, contentKey } = z
  const [nodes, setNodes] = useState<Map<string, HTMLElement>>(new Map())
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
  return nodes
}
