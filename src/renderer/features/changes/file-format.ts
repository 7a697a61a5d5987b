import type { ChangedFile } from '../../../shared/review'

/** A path split into its folder (with a trailing slash, or empty) and its file name. */
export function splitPath(path: string): { dir: string; name: string } {
  const i = path.lastIndexOf('/')
  return i < 0 ? { dir: '', name: path } : { dir: path.slice(0, i + 1), name: path.slice(i + 1) }
}

/** A byte count for people: "812 B", "14.2 KB", "3.1 MB". */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)} KB`
  return `${(n / 1_000_000).toFixed(1)} MB`
}

/** A count with thousands separators. */
export const formatCount = (n: number): string => n.toLocaleString('en-US')

/** The one-letter status mark shown in the file list, and its words. */
export const statusMark: Record<ChangedFile['status'], { letter: string; label: string }> = {
  added: { letter: 'A', label: 'Added' },
  modified: { letter: 'M', label: 'Modified' },
  deleted: { letter: 'D', label: 'Deleted' },
  renamed: { letter: 'R', label: 'Renamed' },
  'type-changed': { letter: 'T', label: 'Type changed' }
}

/** How a file reads to a screen reader: status, path (and old path), binary, line counts. */
export function describeFile(f: ChangedFile): string {
  const parts = [statusMark[f.status].label, f.oldPath ? `${f.oldPath} → ${f.path}` : f.path]
  if (f.binary) parts.push('binary')
  else parts.push(`${f.additions ?? 0} added, ${f.deletions ?? 0} deleted`)
  return parts.join(', ')
}

/** True when a file matches the filter box: every word appears in its path (or old path), case-insensitively. */
export function matchesFilter(f: ChangedFile, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length === 0) return true
  const hay = `${f.path}\n${f.oldPath ?? ''}`.toLowerCase()
  return words.every((w) => hay.includes(w))
}
