import { useState, type ReactElement } from 'react'

const LIMIT = 300

/** The colour class of one unified-diff line. */
function lineClass(line: string): string {
  if (line.startsWith('+++') || line.startsWith('---')) return 'diff-file'
  if (line.startsWith('@@')) return 'diff-hunk'
  if (line.startsWith('+')) return 'diff-add'
  if (line.startsWith('-')) return 'diff-del'
  if (line.startsWith('\\')) return 'diff-note'
  return 'diff-ctx'
}

/** A unified diff with added lines green and removed lines red; long diffs show their first 300 lines. */
export function DiffView({ diff, label }: { diff: string; label: string }): ReactElement {
  const [all, setAll] = useState(false)
  const lines = diff.replace(/\n$/, '').split('\n')
  const shown = all ? lines : lines.slice(0, LIMIT)
  const added = lines.filter((l) => l.startsWith('+') && !l.startsWith('+++')).length
  const removed = lines.filter((l) => l.startsWith('-') && !l.startsWith('---')).length
  return (
    <div className="diff" role="region" aria-label={label}>
      <div className="diff-stats" aria-label={`${added} added, ${removed} removed`}>
        <span className="diff-stat-add">+{added}</span>
        <span className="diff-stat-del">−{removed}</span>
      </div>
      <pre className="diff-body">
        {shown.map((line, i) => (
          <span key={i} className={`diff-line ${lineClass(line)}`}>
            {line || ' '}
            {'\n'}
          </span>
        ))}
      </pre>
      {lines.length > LIMIT && (
        <button type="button" className="btn-link diff-more" onClick={() => setAll(!all)}>
          {all ? 'Show less' : `Show all ${lines.length} lines`}
        </button>
      )}
    </div>
  )
}
