import { useMemo, type ReactElement } from 'react'
import type { Thread } from '../../../shared/models'
import { ciTone, ciTooltip, overallLabels } from './ci-format'
import { useCi, useCiStatus } from './ci-store'

/**
 * A thread's CI at a glance, for sidebar rows and dashboard cards: a dot coloured by the overall
 * state (a ring while a failure is news), with a tooltip. Each dot reads only its own thread's key,
 * so an update re-renders one dot, not every row.
 */
export function CiDot({ threadId, withLabel = false }: { threadId: string; withLabel?: boolean }): ReactElement | null {
  const status = useCiStatus(threadId)
  const news = useCi((s) => !!s.news[threadId])
  if (!status) return null
  const tone = ciTone(status)
  if (tone === 'none') return null
  return (
    <span
      className={`ci-dot-wrap${withLabel ? ' with-label' : ''}`}
      title={ciTooltip(status)}
      data-ci={tone}
      data-ci-news={news || undefined}
    >
      <span
        className={`ci-dot ci-tone-${tone}${news ? ' is-news' : ''}`}
        role="img"
        aria-label={tone === 'problem' ? 'CI unavailable' : `CI ${overallLabels[tone].toLowerCase()}${news ? ' while you were away' : ''}`}
      />
      {withLabel && <span className="ci-dot-label">CI {tone === 'problem' ? 'unavailable' : overallLabels[tone].toLowerCase()}</span>}
    </span>
  )
}

/** ", CI failed" (and so on) for a row's accessible name; empty while the thread has no CI. */
export function useCiAriaSuffix(threadId: string): string {
  return useCi((s) => {
    const status = s.byThread[threadId]
    if (!status) return ''
    const tone = ciTone(status)
    if (tone === 'none') return ''
    const words = tone === 'problem' ? 'CI unavailable' : `CI ${overallLabels[tone].toLowerCase()}`
    return `, ${words}${s.news[threadId] ? ' while you were away' : ''}`
  })
}

/** The state dot beside the CI tab's label. */
export function CiTabBadge({ thread }: { thread: Thread }): ReactElement | null {
  const status = useCiStatus(thread.id)
  if (!status) return null
  const tone = ciTone(status)
  if (tone === 'none') return null
  const words = tone === 'problem' ? 'unavailable' : overallLabels[tone].toLowerCase()
  return <span className={`ci-dot ci-tab-dot ci-tone-${tone}`} role="img" aria-label={words} title={ciTooltip(status)} data-ci={tone} />
}

/** True while the thread's latest CI run failed; re-renders only when that answer changes. */
export const useCiFailed = (threadId: string): boolean => useCi((s) => s.byThread[threadId]?.overall === 'failed')

/** The ids of threads whose latest CI run failed (for counting and filtering many threads). */
export function useCiFailedIds(): ReadonlySet<string> {
  const byThread = useCi((s) => s.byThread)
  return useMemo(
    () =>
      new Set(
        Object.values(byThread)
          .filter((s) => s.overall === 'failed')
          .map((s) => s.threadId)
      ),
    [byThread]
  )
}
