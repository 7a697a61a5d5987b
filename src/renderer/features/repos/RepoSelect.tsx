import type { ReactElement } from 'react'
import { useSortedRepos } from '../../state/derived'

/** A labelled repository picker for dialogs, in sidebar order. */
export function RepoSelect({ id, value, onChange }: { id: string; value: string; onChange: (repoId: string) => void }): ReactElement {
  const repos = useSortedRepos()
  return (
    <>
      <label className="field-label" htmlFor={id}>
        Repository
      </label>
      <select id={id} className="input" value={value} onChange={(e) => onChange(e.target.value)}>
        {repos.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name}
          </option>
        ))}
      </select>
    </>
  )
}
