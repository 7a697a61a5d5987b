import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactElement } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useDialogs } from '../../state/dialogs-store'
import { useNavigation } from '../../state/navigation-store'
import { useNow } from '../../ui/clock'
import { openRepoMenu } from '../repos'
import { useSortedRepos, useThreadGroups } from '../../state/derived'
import { isArchived, useThreads } from '../../state/threads-store'
import { loadArchivedRows } from '../../state/thread-loader'
import { loadThrough, loadUntil, useArchivedCount, useThreadWindows, windowOfList } from '../../state/thread-windows'
import { openThreadMenu } from '../threads'
import { buildSidebarModel, rowHeight, type RepoWindow, type SidebarModel, type SidebarRow } from './sidebar-rows'
import type { Thread } from '../../../shared/models'
import { useSidebar } from '../../state/sidebar-store'
import { ArchivedHeaderRow, EmptyRepoRow, GroupLabelRow, PlaceholderRow, RepoRow, ThreadRow, type RowPlacement } from './SidebarRowViews'

const focusable = (row: SidebarRow | undefined) =>
  !!row && row.kind !== 'empty' && row.kind !== 'archived-repo' && row.kind !== 'placeholder'
const liveOf = (repoId: string) => useThreads.getState().groups.live.get(repoId) ?? []

const threadOf = (threadId: string): Thread | undefined => useThreads.getState().byId[threadId]
const threadRepoId = (threadId: string): string | undefined => threadOf(threadId)?.repoId

/** The first row keyboard focus may land on. */
function firstFocusable(model: SidebarModel): SidebarRow | undefined {
  for (let i = 0; i < model.count; i++) {
    const row = model.rowAt(i)
    if (focusable(row)) return row
  }
  return undefined
}

/** The virtualized repository/thread tree: one flat list of rows, arrow-key navigation, roving focus. */
export function SidebarTree(): ReactElement {
  const repos = useSortedRepos()
  const groups = useThreadGroups()
  const { collapsed, showArchived, setCollapsed, setShowArchived } = useSidebar()
  const selectedId = useNavigation((s) => s.selectedThreadId)
  const showingThread = useNavigation((s) => s.view === 'thread')
  const now = useNow()
  const archivedCount = useArchivedCount()
  const archivedRows = useThreads((s) => s.archivedRows)
  const loaded = useThreads((s) => s.loaded)
  const windows = useThreadWindows()
  const model = useMemo(() => {
    const windowOf = (repoId: string, threads: readonly Thread[]): RepoWindow => windowOfList(windows, { repoId, state: null }, threads)
    return buildSidebarModel(repos, groups, collapsed, showArchived, archivedCount, threadOf, windowOf)
  }, [repos, groups, collapsed, showArchived, archivedCount, windows])
  const modelRef = useRef(model)
  modelRef.current = model
  // Archived rows load the first time the section is open (again after a reconnect dropped them).
  useEffect(() => {
    if (showArchived && loaded && archivedRows === 'not-loaded') void loadArchivedRows()
  }, [showArchived, loaded, archivedRows])
  const scroller = useRef<HTMLDivElement>(null)
  const [activeKey, setActiveKey] = useState<string | null>(null)
  const pendingFocus = useRef<string | null>(null)

  // Sizes follow the kinds of rows at each index. The virtualizer measures every row again only when its key
  // function changes: so it changes with the shape (a thread added, a repo folded), not when a thread moves or
  // changes. Keys are indexes: rows of one kind all have one size.
  const estimateSize = useCallback((i: number) => rowHeight[modelRef.current.rowAt(i).kind], [])
  const getItemKey = useCallback((i: number) => i, [model.shape])
  const virtualizer = useVirtualizer({
    count: model.count,
    getScrollElement: () => scroller.current,
    estimateSize,
    getItemKey,
    overscan: 16
  })

  const has = (key: string | null): key is string => key !== null && model.indexOf(key) !== undefined
  const selectedKey = selectedId ? `t:${selectedId}` : null
  const tabbableKey = (has(activeKey) && activeKey) || (has(selectedKey) && selectedKey) || firstFocusable(model)?.key

  // Reveal the selected thread (from the dashboard, Ctrl+Tab, or a new thread): unfold its repo and scroll to it.
  const revealKey = useRef<string | null>(null)
  useEffect(() => {
    revealKey.current = selectedKey
    const repoId = selectedId ? threadRepoId(selectedId) : undefined
    if (repoId) setCollapsed(repoId, false)
  }, [selectedKey]) // only when the selection changes, so a person can still fold that repo
  useEffect(() => {
    const key = revealKey.current
    const index = key ? model.indexOf(key) : undefined
    if (index === undefined) {
      // A live thread further down its repository than the rows loaded so far: load its list down to it.
      const thread = selectedId ? threadOf(selectedId) : undefined
      if (key && thread && !isArchived(thread)) void loadThrough(thread)
      return
    }
    revealKey.current = null
    virtualizer.scrollToIndex(index, { align: 'auto' })
  }, [model, selectedKey, virtualizer])

  useEffect(() => {
    const key = pendingFocus.current
    if (!key) return
    const frame = requestAnimationFrame(() => {
      scroller.current?.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`)?.focus()
      pendingFocus.current = null
    })
    return () => cancelAnimationFrame(frame)
  })

  const focusRow = (index: number) => {
    const model = modelRef.current
    if (index < 0 || index >= model.count) return
    const row = model.rowAt(index)
    setActiveKey(row.key)
    virtualizer.scrollToIndex(index, { align: 'auto' })
    const el = scroller.current?.querySelector<HTMLElement>(`[data-key="${CSS.escape(row.key)}"]`)
    if (el) el.focus({ preventScroll: true })
    else pendingFocus.current = row.key // not rendered yet: focus it once the virtualizer has drawn it
  }

  // Stepping onto a thread not loaded yet loads its repository's rows down to it first, then steps again.
  const step = (from: number, delta: number, loadedOnce = false): void => {
    const model = modelRef.current
    for (let i = from + delta; i >= 0 && i < model.count; i += delta) {
      const row = model.rowAt(i)
      if (row.kind === 'placeholder' && !loadedOnce) {
        const fromKey = model.rowAt(Math.max(0, Math.min(from, model.count - 1))).key
        void loadUntil({ repoId: row.repoId, state: null }, row.index + 1, () => liveOf(row.repoId)).then(() => {
          const again = from < 0 || from >= model.count ? from : modelRef.current.indexOf(fromKey)
          if (again !== undefined) step(from >= model.count ? modelRef.current.count : again, delta, true)
        })
        return
      }
      if (focusable(row)) return focusRow(i)
    }
  }

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const el = (e.target as HTMLElement).closest<HTMLElement>('[data-key]')
    if (!el || e.target !== el) return // keys inside row buttons keep their own meaning
    const index = model.indexOf(el.dataset.key ?? '') ?? -1
    if (index < 0) return
    const row = model.rowAt(index)
    const handled = () => e.preventDefault()
    switch (e.key) {
      case 'ArrowDown':
        handled()
        return step(index, 1)
      case 'ArrowUp':
        handled()
        return step(index, -1)
      case 'Home':
        handled()
        return step(-1, 1)
      case 'End':
        handled()
        return step(model.count, -1)
      case 'ArrowRight':
        handled()
        if (row.kind === 'repo' && row.collapsed) return setCollapsed(row.repo.id, false)
        if (row.kind === 'archived-header' && !row.open) return setShowArchived(true)
        return step(index, 1)
      case 'ArrowLeft': {
        handled()
        if (row.kind === 'repo' && !row.collapsed) return setCollapsed(row.repo.id, true)
        if (row.kind === 'archived-header' && row.open) return setShowArchived(false)
        for (let i = index - 1; i >= 0; i--) {
          const kind = model.rowAt(i).kind
          if (kind === 'repo' || kind === 'archived-header') return focusRow(i)
        }
        return
      }
      case 'Enter':
      case ' ':
        handled()
        el.click()
        return
      case 'F2':
        if (row.kind === 'thread') {
          handled()
          useDialogs.getState().open({ kind: 'rename-thread', threadId: row.thread.id })
        }
        return
      case 'ContextMenu':
      case 'F10':
        if (e.key === 'F10' && !e.shiftKey) return
        handled()
        if (row.kind === 'thread') openThreadMenu(row.thread, { anchor: el }, el)
        if (row.kind === 'repo') openRepoMenu(row.repo, { anchor: el }, el)
    }
  }

  const items = virtualizer.getVirtualItems()
  // Placeholder rows on screen (and the overscan around them) ask for their repository's next rows.
  const wantedRows = new Map<string, number>()
  for (const item of items) {
    const row = model.rowAt(item.index)
    if (row.kind === 'placeholder') wantedRows.set(row.repoId, Math.max(wantedRows.get(row.repoId) ?? 0, row.index + 1))
  }
  const wanted = [...wantedRows].join(',')
  useEffect(() => {
    for (const [repoId, rows] of wantedRows) void loadUntil({ repoId, state: null }, rows, () => liveOf(repoId))
  }, [wanted, model]) // the model too: after a reconnect the same placeholders need their page again

  return (
    <div
      ref={scroller}
      className="tree-scroller"
      role="tree"
      aria-label="Repositories and threads"
      onKeyDown={onKeyDown}
      onFocus={(e) => {
        const key = (e.target as HTMLElement).dataset.key
        if (key) setActiveKey(key)
      }}
    >
      <div className="tree-inner" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const row = model.rowAt(item.index)
          const style = { transform: `translateY(${item.start}px)`, height: item.size }
          const [posinset, setsize] = model.placement(item.index)
          const p: RowPlacement = { rowKey: row.key, style, tabbable: row.key === tabbableKey, posinset, setsize }
          switch (row.kind) {
            case 'repo':
              return <RepoRow key={row.key} p={p} repo={row.repo} liveCount={row.liveCount} collapsed={row.collapsed} />
            case 'thread':
              return (
                <ThreadRow
                  key={row.key}
                  p={p}
                  thread={row.thread}
                  archived={row.archived}
                  selected={showingThread && row.thread.id === selectedId}
                  now={now}
                />
              )
            case 'placeholder':
              return <PlaceholderRow key={row.key} style={style} />
            case 'empty':
              return <EmptyRepoRow key={row.key} style={style} repo={row.repo} />
            case 'archived-header':
              return <ArchivedHeaderRow key={row.key} p={p} count={row.count} open={row.open} />
            case 'archived-repo':
              return <GroupLabelRow key={row.key} style={style} name={row.name} />
          }
        })}
      </div>
    </div>
  )
}
