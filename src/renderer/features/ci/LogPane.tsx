import { useEffect, useMemo, useRef, type ReactElement } from 'react'
import { renderLogSegments, type CiCheck, type LocalRun } from '../../../shared/ci'
import { useCopy } from '../../ui/CopyButton'
import { Icon } from '../../ui/Icon'
import { stripAnsi } from './ansi'
import { cancelLocalCheck, fetchLog, sendFailure } from './ci-actions'
import { formatDuration, providerNames, shortSha } from './ci-format'
import { logKey, useCiPanel } from './ci-panel-store'
import { CheckLink, isFailure } from './CheckList'
import { CheckStateIcon } from './CheckStateIcon'
import { BusyButton } from './CiSummary'
import { rowsFromOutput, rowsFromSegments } from './log-rows'
import { LogView, type LogViewApi } from './LogView'

/** A local run as a check, the way the core lists it in a thread's status. */
export function checkOfRun(run: LocalRun): CiCheck {
  return {
    id: `local:${run.id}`,
    name: run.command,
    provider: 'local',
    state: run.state,
    startedAt: run.startedAt,
    completedAt: run.endedAt,
    durationMs: run.durationMs,
    url: null,
    hasLog: true
  }
}

function CopyLogButton({ text }: { text: () => string }): ReactElement {
  const { copied, copy } = useCopy('Could not copy the log')
  return (
    <button type="button" className="btn btn-small" onClick={() => copy(text())}>
      <Icon name={copied ? 'check' : 'copy'} size={13} />
      {copied ? 'Copied' : 'Copy log'}
    </button>
  )
}

/** The log of one check (or the live output of a running local check), with its actions. */
export function LogPane({
  threadId,
  check,
  run,
  commit,
  onClose
}: {
  threadId: string
  check: CiCheck
  run?: LocalRun
  commit: string | null
  onClose: () => void
}): ReactElement {
  const live = run?.state === 'running'
  const entry = useCiPanel((s) => s.logs[logKey(threadId, check.id)])
  const output = useCiPanel((s) => (run ? s.output[run.id] : undefined))
  const api = useRef<LogViewApi>(null)

  // A finished check's log is fetched once; a check still running is fetched again when its state changes.
  useEffect(() => {
    if (live || !check.hasLog) return
    const known = useCiPanel.getState().logs[logKey(threadId, check.id)]
    if (!known || (!known.loading && (known.state !== check.state || known.error))) void fetchLog(threadId, check)
  }, [threadId, check.id, check.state, check.hasLog, live])

  const log = entry?.log ?? null
  const rows = useMemo(() => {
    if (log && !live) return rowsFromSegments(log.segments, log.totalLines)
    // The printed output stands in while the finished run's log loads.
    if (live || output) return rowsFromOutput(output?.text ?? '', output?.cut ?? false)
    return null
  }, [live, output, log])
  const firstErrorLine = live ? null : (log?.firstErrorLine ?? null)
  const on = run ? run.commit : commit
  const facts = [
    check.provider === 'local' ? 'Local check' : providerNames[check.provider],
    on ? `on ${shortSha(on)}${run?.dirty ? ' with uncommitted changes' : ''}` : null,
    run?.state === 'cancelled' ? 'cancelled' : run && run.exitCode !== null ? `exit ${run.exitCode}` : null,
    check.durationMs !== null ? formatDuration(check.durationMs) : null,
    log ? `${log.totalLines.toLocaleString()} line${log.totalLines === 1 ? '' : 's'}` : null
  ].filter(Boolean)

  let body: ReactElement
  if (!check.hasLog) {
    body = (
      <p className="ci-log-message">
        {check.url ? 'Skein cannot fetch this check’s log. Open it on its CI service instead.' : 'This check has no log.'}
      </p>
    )
  } else if (entry?.error && !live) {
    body = (
      <div className="ci-log-message">
        <div className="banner banner-error" role="alert">
          <Icon name="alert" size={15} />
          <span>{entry.error}</span>
        </div>
        <BusyButton label="Try again" busyLabel="Loading…" run={() => fetchLog(threadId, check)} />
      </div>
    )
  } else if (!rows) {
    body = (
      <div className="empty-state" aria-busy="true">
        <div className="spinner" aria-hidden="true" />
      </div>
    )
  } else if (rows.rows.length === 0) {
    body = <p className="ci-log-message">{live ? 'No output yet…' : 'The log is empty.'}</p>
  } else {
    body = (
      <LogView
        key={check.id}
        apiRef={api}
        rows={rows}
        label={`${live ? 'Output' : 'Log'} of ${check.name}`}
        firstErrorLine={firstErrorLine}
        follow={live}
      />
    )
  }

  return (
    <section className="ci-log" aria-label={`Log of ${check.name}`} data-check-id={check.id}>
      <header className="ci-log-header">
        <CheckStateIcon state={check.state} />
        <strong className="ci-log-name" title={check.name}>
          {check.provider === 'local' ? <code>{check.name}</code> : check.name}
        </strong>
        <span className="ci-log-facts">{facts.join(' · ')}</span>
        <span className="spacer" />
        <button type="button" className="icon-btn" aria-label="Close the log" title="Close the log" onClick={onClose}>
          <Icon name="close" size={13} />
        </button>
      </header>
      <div className="ci-log-toolbar" role="toolbar" aria-label="Log actions">
        {firstErrorLine !== null && (
          <button
            type="button"
            className="btn btn-small"
            title={`Scroll to line ${firstErrorLine}`}
            onClick={() => api.current?.jumpTo(firstErrorLine)}
          >
            <Icon name="arrowDown" size={13} />
            Jump to first error
          </button>
        )}
        {log && !live && <CopyLogButton text={() => stripAnsi(renderLogSegments(log.segments, log.totalLines))} />}
        {!live && check.hasLog && (check.state === 'running' || check.state === 'queued') && (
          <BusyButton
            label="Reload log"
            busyLabel="Loading…"
            icon="refresh"
            title="A running check's log grows: fetch it again"
            run={() => fetchLog(threadId, check)}
          />
        )}
        {live && run && <BusyButton label="Cancel" busyLabel="Cancelling…" icon="stop" run={() => cancelLocalCheck(threadId, run.id)} />}
        <span className="spacer" />
        <CheckLink check={check} withText />
        {isFailure(check) && (
          <BusyButton label="Send failure to agent" busyLabel="Sending…" icon="send" primary run={() => sendFailure(threadId, check)} />
        )}
      </div>
      {log?.truncated && !live && (
        <p className="ci-log-note">Long log: showing the context of the first error and the end. Gaps are marked.</p>
      )}
      {check.detail && <p className="ci-log-note">{check.detail}</p>}
      <div className="ci-log-body">{body}</div>
    </section>
  )
}
