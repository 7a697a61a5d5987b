import type { ReactElement } from 'react'
import type { CiCheck } from '../../../shared/ci'
import { Icon } from '../../ui/Icon'
import { sendFailure } from './ci-actions'
import { checkDuration, formatDuration, providerNames, shortSha } from './ci-format'
import { CheckStateIcon } from './CheckStateIcon'
import { useTicker } from './use-ticker'

/** True for a check whose failure can be sent to the agent. */
export const isFailure = (check: Pick<CiCheck, 'state'>): boolean => check.state === 'failed' || check.state === 'cancelled'

/** A link to a check's page on its CI service; only https pages are linked (they open outside Skein). */
export function CheckLink({ check, withText = false }: { check: CiCheck; withText?: boolean }): ReactElement | null {
  if (!check.url || !check.url.startsWith('https://')) return null
  const where = providerNames[check.provider]
  return (
    <a
      className={withText ? 'btn btn-small' : 'icon-btn'}
      href={check.url}
      target="_blank"
      rel="noopener noreferrer"
      aria-label={`Open ${check.name} on ${where}`}
      title={`Open on ${where}`}
    >
      <Icon name="open" size={13} />
      {withText && `Open on ${where}`}
    </a>
  )
}

/** The remote checks of the pushed commit: state, name, duration (live while running), link, and a quick "send to agent" for failures. */
export function CheckList({
  threadId,
  checks,
  commit,
  selected,
  onSelect
}: {
  threadId: string
  checks: CiCheck[]
  commit: string | null
  selected: string | null
  onSelect: (checkId: string) => void
}): ReactElement {
  const now = useTicker(checks.some((c) => c.state === 'running' || c.state === 'queued'))
  return (
    <section className="ci-section" aria-labelledby="ci-checks-title">
      <h3 id="ci-checks-title" className="section-title">
        Checks
        {commit && (
          <>
            {' on '}
            <code>{shortSha(commit)}</code>
          </>
        )}
      </h3>
      {checks.length === 0 ? (
        <p className="ci-none">
          {commit ? 'No checks reported for this commit yet. They show up here as the CI service starts them.' : 'No remote checks.'}
        </p>
      ) : (
        <ul className="ci-checks" aria-label="Checks">
          {checks.map((check) => {
            const ms = checkDuration(check, now)
            const isSelected = check.id === selected
            return (
              <li
                key={check.id}
                className={`ci-check${isSelected ? ' is-selected' : ''}`}
                data-state={check.state}
                data-check-id={check.id}
              >
                <button
                  type="button"
                  className="ci-check-main"
                  aria-pressed={isSelected}
                  aria-label={`${check.name}, ${check.state}`}
                  title={check.hasLog ? `Show the log of ${check.name}` : `${check.name}: no log Skein can fetch`}
                  onClick={() => onSelect(check.id)}
                >
                  <CheckStateIcon state={check.state} />
                  <span className="ci-check-text">
                    <span className="ci-check-name">{check.name}</span>
                    {check.detail && <span className="ci-check-detail">{check.detail}</span>}
                  </span>
                  {ms !== null && <span className="ci-duration">{formatDuration(ms)}</span>}
                </button>
                {isFailure(check) && (
                  <button
                    type="button"
                    className="icon-btn"
                    aria-label={`Send the failure of ${check.name} to the agent`}
                    title="Send failure to agent"
                    onClick={() => void sendFailure(threadId, check)}
                  >
                    <Icon name="send" size={13} />
                  </button>
                )}
                <CheckLink check={check} />
              </li>
            )
          })}
        </ul>
      )}
    </section>
  )
}
