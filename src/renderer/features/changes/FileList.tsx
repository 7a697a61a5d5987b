import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent, type ReactElement } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import type { ChangedFile } from '../../../shared/review'
import { copyText } from '../../ui/clipboard'
import { Icon } from '../../ui/Icon'
import { openMenu } from '../../ui/menu-store'
import { notifyError } from '../../state/notify'
import { describeFile, formatCount, splitPath, statusMark } from './file-format'

const ROW_HEIGHT = 26

/** Comment counts of one file, for the markers in its row. */
export interface FileCommentCounts {
  open: number
  outdated: number
}

/** Props of the file list. */
export interface FileListProps {
  files: readonly ChangedFile[]
  selected: string | null
  comments: ReadonlyMap<string, FileCommentCounts>
  onOpen: (path: string) => void
  /** Offered in the row menu; absent where files cannot be reverted (local threads). */
  onRevert?: (file: ChangedFile) => void
}

/** One row: status letter, directory (dimmed) and name, renamed-from path, line counts, comment markers. */
function FileRow({ file, comments }: { file: ChangedFile; comments: FileCommentCounts | undefined }): ReactElement {
  const { dir, name } = splitPath(file.path)
  const mark = statusMark[file.status]
  return (
    <>
      <span className={`file-status status-${file.status}`} title={mark.label} aria-hidden="true">
        {mark.letter}
      </span>
      <span className="file-path" title={file.oldPath ? `${file.oldPath} → ${file.path}` : file.path}>
        {file.oldPath && <span className="file-old">{file.oldPath}</span>}
        {file.oldPath && <span className="file-arrow">→</span>}
        {dir && <span className="file-dir">{dir}</span>}
        <span className="file-name">{name}</span>
      </span>
      {comments && comments.outdated > 0 && (
        <span
          className="file-marker is-outdated"
          title={`${comments.outdated} outdated comment${comments.outdated === 1 ? '' : 's'}`}
          aria-hidden="true"
        >
          !{comments.outdated}
        </span>
      )}
      {comments && comments.open > 0 && (
        <span className="file-marker" title={`${comments.open} comment${comments.open === 1 ? '' : 's'}`} aria-hidden="true">
          <svg width="11" height="11" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden="true">
            <path d="M2.5 3.5h11v7h-6l-3 2.5v-2.5h-2z" strokeLinejoin="round" />
          </svg>
          {comments.open}
        </span>
      )}
      {file.binary ? (
        <span className="file-binary">BIN</span>
      ) : (
        <span className="file-counts" aria-hidden="true">
          <span className="count-add">+{formatCount(file.additions ?? 0)}</span>
          <span className="count-del">−{formatCount(file.deletions ?? 0)}</span>
        </span>
      )}
    </>
  )
}

/** The changed files as a virtualized listbox: j/k or arrows move, Enter opens, right-click for file actions. */
export function FileList({ files, selected, comments, onOpen, onRevert }: FileListProps): ReactElement {
  const scroller = useRef<HTMLDivElement>(null)
  const [active, setActive] = useState<string | null>(null)
  const pendingFocus = useRef<string | null>(null)
  const indexOf = useMemo(() => new Map(files.map((f, i) => [f.path, i])), [files])

  const virtualizer = useVirtualizer({
    count: files.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (i) => files[i].path,
    overscan: 12
  })

  const tabbable = (active && indexOf.has(active) && active) || (selected && indexOf.has(selected) && selected) || files[0]?.path

  // Bring the open file into view when it changes (]/[ keys, the first file opening by itself), but
  // not when a new change set arrives: the list must not jump while the person scrolls it.
  const revealed = useRef<string | null>(null)
  useEffect(() => {
    if (!selected || revealed.current === selected) return
    const i = indexOf.get(selected)
    if (i === undefined) return
    revealed.current = selected
    virtualizer.scrollToIndex(i, { align: 'auto' })
  }, [selected, indexOf, virtualizer])

  useEffect(() => {
    const path = pendingFocus.current
    if (!path) return
    const frame = requestAnimationFrame(() => {
      scroller.current?.querySelector<HTMLElement>(`[data-path="${CSS.escape(path)}"]`)?.focus()
      pendingFocus.current = null
    })
    return () => cancelAnimationFrame(frame)
  })

  const focusAt = (index: number) => {
    const file = files[Math.max(0, Math.min(files.length - 1, index))]
    if (!file) return
    setActive(file.path)
    virtualizer.scrollToIndex(indexOf.get(file.path) ?? 0, { align: 'auto' })
    const el = scroller.current?.querySelector<HTMLElement>(`[data-path="${CSS.escape(file.path)}"]`)
    if (el) el.focus({ preventScroll: true })
    else pendingFocus.current = file.path
  }

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const el = (e.target as HTMLElement).closest<HTMLElement>('[data-path]')
    if (!el || e.altKey || e.ctrlKey || e.metaKey) return
    const index = indexOf.get(el.dataset.path ?? '') ?? 0
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 260) / ROW_HEIGHT) - 1)
    const moves: Record<string, number> = {
      ArrowDown: 1,
      j: 1,
      ArrowUp: -1,
      k: -1,
      PageDown: page,
      PageUp: -page,
      Home: -Infinity,
      End: Infinity
    }
    if (e.key in moves && !e.shiftKey) {
      e.preventDefault()
      const delta = moves[e.key]
      focusAt(delta === -Infinity ? 0 : delta === Infinity ? files.length - 1 : index + delta)
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault()
      onOpen(el.dataset.path ?? '')
    } else if (e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) {
      e.preventDefault()
      const file = files[index]
      if (file) rowMenu(file, { anchor: el }, el)
    }
  }

  const rowMenu = (file: ChangedFile, at: { anchor: HTMLElement } | { x: number; y: number }, returnFocus: HTMLElement) =>
    openMenu(
      `Actions for ${file.path}`,
      [
        { label: 'Open diff', icon: 'eye', onSelect: () => onOpen(file.path) },
        { label: 'Copy path', icon: 'copy', onSelect: () => void copyText(file.path).catch((e) => notifyError('Could not copy', e)) },
        ...(onRevert
          ? [
              { kind: 'separator' as const },
              { label: 'Revert file…', icon: 'restore' as const, danger: true, onSelect: () => onRevert(file) }
            ]
          : [])
      ],
      at,
      returnFocus
    )

  const onContextMenu = (e: MouseEvent<HTMLDivElement>) => {
    const el = (e.target as HTMLElement).closest<HTMLElement>('[data-path]')
    const file = el ? files[indexOf.get(el.dataset.path ?? '') ?? -1] : undefined
    if (!el || !file) return
    e.preventDefault()
    rowMenu(file, { x: e.clientX, y: e.clientY }, el)
  }

  if (files.length === 0) {
    return (
      <div className="file-list-empty">
        <Icon name="search" size={14} />
        No files match the filter
      </div>
    )
  }
  return (
    <div
      ref={scroller}
      className="file-list"
      role="listbox"
      aria-label="Changed files"
      onKeyDown={onKeyDown}
      onContextMenu={onContextMenu}
      onFocus={(e) => {
        const path = (e.target as HTMLElement).dataset.path
        if (path) setActive(path)
      }}
    >
      <div className="file-list-inner" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const file = files[item.index]
          return (
            <div
              key={file.path}
              data-path={file.path}
              role="option"
              aria-selected={file.path === selected}
              aria-label={describeFile(file)}
              aria-posinset={item.index + 1}
              aria-setsize={files.length}
              tabIndex={file.path === tabbable ? 0 : -1}
              className={`file-row${file.path === selected ? ' is-selected' : ''}`}
              style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
              onClick={() => onOpen(file.path)}
            >
              <FileRow file={file} comments={comments.get(file.path)} />
            </div>
          )
        })}
      </div>
    </div>
  )
}
