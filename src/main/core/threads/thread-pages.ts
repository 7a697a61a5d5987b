import { appError, ErrorCode } from '../../../shared/errors'
import type { Repo, Thread } from '../../../shared/models'
import { err, ok, type Result } from '../../../shared/result'
import type { ThreadPosition } from '../../../shared/thread-order'
import type { ThreadStore } from '../store/thread-store'

export { byRecentActivity } from '../../../shared/thread-order'

/** One page of threads, most recently active first. */
export interface ThreadPage {
  threads: Thread[]
  next: string | null
  total: number
}

/** What `thread/list` asks for. */
export interface ThreadPageQuery {
  repoId?: string
  includeArchived?: boolean
  archived?: 'exclude' | 'include' | 'only'
  limit?: number
  cursor?: string
}

const cursorOf = (t: ThreadPosition): string => `${t.lastActivityAt}.${t.createdAt}.${t.id}`

function parseCursor(cursor: string): ThreadPosition | null {
  const m = /^(\d{1,16})\.(\d{1,16})\.(.+)$/.exec(cursor)
  if (!m) return null
  return { lastActivityAt: Number(m[1]), createdAt: Number(m[2]), id: m[3]! }
}

/**
 * `thread/list`: threads of known repositories (or one repository's), filtered by archive state; every match in
 * creation order without a limit, else one page most recently active first after `cursor`. A page walks the store's
 * activity order from the cursor, so its cost follows the page, not the number of threads.
 */
export function threadPage(store: ThreadStore, repos: { get(id: string): Result<Repo> }, p: ThreadPageQuery): Result<ThreadPage> {
  const archived = p.archived ?? (p.includeArchived ? 'include' : 'exclude')
  const known = new Map<string, boolean>()
  const repoOk = (id: string) => {
    let k = known.get(id)
    if (k === undefined) known.set(id, (k = repos.get(id).ok))
    return k
  }
  const matches = (t: Thread) =>
    (p.repoId ? t.repoId === p.repoId : repoOk(t.repoId)) && (archived === 'include' || (t.status === 'archived') === (archived === 'only'))
  if (p.limit === undefined) {
    const all = store.list().filter(matches)
    return ok({ threads: all, next: null, total: all.length })
  }
  const after = p.cursor === undefined ? null : parseCursor(p.cursor)
  if (p.cursor !== undefined && after === null)
    return err(appError(ErrorCode.InvalidParams, `"${p.cursor}" is not a cursor that thread/list gave.`))
  const threads: Thread[] = []
  let more = false
  for (const t of store.byActivity(after)) {
    if (!matches(t)) continue
    if (threads.length === p.limit) {
      more = true
      break
    }
    threads.push(t)
  }
  let total = 0
  for (const [repoId, c] of store.countsByRepo()) {
    if (p.repoId ? repoId !== p.repoId : !repoOk(repoId)) continue
    total += archived === 'include' ? c.live + c.archived : archived === 'only' ? c.archived : c.live
  }
  return ok({ threads, next: more ? cursorOf(threads[threads.length - 1]!) : null, total })
}
