import type { ChangedFile } from '../../../shared/review'

/** Git's advice for a subject line: at most this many characters. */
const SUBJECT_MAX = 72
/** Up to this many files are listed in the body; more are summed up in one line. */
const LIST_MAX = 8

const verb: Record<ChangedFile['status'], string> = {
  added: 'Add',
  modified: 'Update',
  deleted: 'Delete',
  renamed: 'Rename',
  'type-changed': 'Change the type of'
}

const fileLine = (f: ChangedFile): string =>
  f.status === 'renamed' && f.oldPath ? `Rename ${f.oldPath} to ${f.path}` : `${verb[f.status]} ${f.path}`

const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1)

/** The title as a subject: its first line, capitalised, no final full stop, cut at a word to fit 72 characters. */
function subjectOf(title: string): string {
  let s = title
    .split('\n')[0]
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.。]+$/, '')
  if (s.length > SUBJECT_MAX) {
    const cut = s.slice(0, SUBJECT_MAX + 1)
    const space = cut.lastIndexOf(' ')
    s = (space > SUBJECT_MAX / 2 ? cut.slice(0, space) : s.slice(0, SUBJECT_MAX)).replace(/[\s,;:–—-]+$/, '')
  }
  return s ? s[0].toUpperCase() + s.slice(1) : ''
}

/** A subject from the files alone, for a thread without a usable title: "Update app.ts", "Add 3 files". */
function subjectFromFiles(files: readonly ChangedFile[]): string {
  if (files.length === 1)
    return fileLine({ ...files[0], path: baseName(files[0].path), oldPath: files[0].oldPath && baseName(files[0].oldPath) })
  const kinds = new Set(files.map((f) => f.status))
  const only = kinds.size === 1 ? verb[files[0].status] : 'Change'
  return `${only} ${files.length} files`
}

/**
 * A commit message to start from: the thread's title as the subject, and a body listing what is being
 * committed (each file when there are a few, a count by kind when there are many).
 */
export function suggestCommitMessage(title: string, files: readonly ChangedFile[]): string {
  const subject = subjectOf(title) || (files.length ? subjectFromFiles(files) : '')
  if (files.length === 0) return subject
  let body: string
  if (files.length <= LIST_MAX) body = files.map((f) => `- ${fileLine(f)}`).join('\n')
  else {
    const count = (s: ChangedFile['status']) => files.filter((f) => f.status === s).length
    const parts = (['added', 'modified', 'deleted', 'renamed', 'type-changed'] as const)
      .filter((s) => count(s) > 0)
      .map((s) => `${count(s)} ${s === 'type-changed' ? 'with a new type' : s}`)
    body = `${files.length} files: ${parts.join(', ')}.`
  }
  return `${subject}\n\n${body}`
}
