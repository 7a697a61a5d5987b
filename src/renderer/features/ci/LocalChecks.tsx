import { useState, type ReactElement, type RefObject } from 'react'
import type { LocalRun } from '../../../shared/ci'
import type { Thread } from '../../../shared/models'
import { formatDateTime } from '../../ui/clock'
import { Icon } from '../../ui/Icon'
import { cancelLocalCheck, runLocalCheck, saveCheckCommands } from './ci-actions'
import { formatDuration, shortSha } from './ci-format'
import type { ThreadCiPanel } from './ci-panel-store'
import { CheckStateIcon } from './CheckStateIcon'
import { BusyButton } from './CiSummary'
import { useTicker } from './use-ticker'

const RUNS_SHOWN = 8

/** "exit 3 · 4s · a1b2c3d · uncommitted changes": what a run ended with and what it ran on. */
function runFacts(run: LocalRun, now: number): string[] {
  const facts: string[] = []
  if (run.state === 'running') facts.push(`running ${formatDuration(now - run.startedAt)}`)
  else {
    if (run.state === 'cancelled') facts.push('cancelled')
    else if (run.exitCode !== null) facts.push(`exit ${run.exitCode}`)
    if (run.durationMs !== null) facts.push(formatDuration(run.durationMs))
  }
  if (run.commit) facts.push(shortSha(run.commit))
  return facts
}

/** One local run: state, command, exit code, duration, commit and a dirty marker; Cancel while it runs. */
function RunRow({ run, now, selected, onSelect }: { run: LocalRun; now: number; selected: boolean; onSelect: () => void }): ReactElement {
  return (
    <li className={`ci-run${selected ? ' is-selected' : ''}`} data-state={run.state} data-run-id={run.id}>
      <button
        type="button"
        className="ci-check-main"
        aria-pressed={selected}
        aria-label={`${run.command}, ${run.state}`}
        title={`Started ${formatDateTime(run.startedAt)}`}
        onClick={onSelect}
      >
        <CheckStateIcon state={run.state} />
        <span className="ci-check-text">
          <code className="ci-check-name">{run.command}</code>
          <span className="ci-check-detail">
            {runFacts(run, now).join(' · ')}
            {run.dirty && (
              <span className="ci-dirty" title="The worktree had uncommitted changes when this run started">
                {' '}
                · uncommitted changes
              </span>
            )}
            {run.detail && run.state !== 'cancelled' && !/^exit code/.test(run.detail) && (
              <span className="ci-run-reason"> · {run.detail}</span>
            )}
          </span>
        </span>
      </button>
      {run.state === 'running' && (
        <BusyButton
          label="Cancel"
          busyLabel="Cancelling…"
          icon="stop"
          ariaLabel={`Cancel ${run.command}`}
          run={() => cancelLocalCheck(run.threadId, run.id)}
        />
      )}
    </li>
  )
}

/** Check commands to run in the worktree (configured and found), a field for any command, and the runs with live state. */
export function LocalChecks({
  thread,
  panel,
  inputRef,
  selected,
  onSelect
}: {
  thread: Thread
  panel: ThreadCiPanel | undefined
  inputRef: RefObject<HTMLInputElement | null>
  selected: string | null
  onSelect: (checkId: string) => void
}): ReactElement {
  const [command, setCommand] = useState('')
  const [showAll, setShowAll] = useState(false)
  const info = panel?.checks ?? null
  const configured = info?.configured ?? []
  const suggestions = (info?.suggestions ?? []).filter((s) => !configured.includes(s.command))
  const runs = info?.runs ?? []
  const now = useTicker(runs.some((r) => r.state === 'running'))
  const save = (list: string[]) => saveCheckCommands(thread.id, thread.repoId, list)
  const typed = command.trim()

  return (
    <section className="ci-section" aria-labelledby="ci-local-title">
      <h3 id="ci-local-title" className="section-title">
        Local checks
      </h3>
      {panel?.checksError && <p className="ci-none is-error">{panel.checksError}</p>}
      {configured.length > 0 && (
        <ul className="ci-commands" aria-label="Check commands">
          {configured.map((c) => (
            <li key={c} className="ci-command">
              <code title={c}>{c}</code>
              <BusyButton label="Run" busyLabel="Starting…" icon="play" ariaLabel={`Run ${c}`} run={() => runLocalCheck(thread.id, c)} />
              <button
                type="button"
                className="icon-btn"
                aria-label={`Remove ${c} from the check commands`}
                title="Remove from this repository's check commands"
                onClick={() => void save(configured.filter((x) => x !== c))}
              >
                <Icon name="close" size={12} />
              </button>
            </li>
          ))}
        </ul>
      )}
      {suggestions.length > 0 && (
        <>
          <h4 className="ci-subtitle">Found in this repository</h4>
          <ul className="ci-commands" aria-label="Suggested checks">
            {suggestions.map((s) => (
              <li key={s.command} className="ci-command">
                <code title={`${s.command} (${s.source})`}>{s.command}</code>
                <span className="ci-source">{s.source}</span>
                <BusyButton
                  label="Run"
                  busyLabel="Starting…"
                  icon="play"
                  ariaLabel={`Run ${s.command}`}
                  run={() => runLocalCheck(thread.id, s.command)}
                />
                <button
                  type="button"
                  className="icon-btn"
                  aria-label={`Add ${s.command} to the check commands`}
                  title="Add to this repository's check commands"
                  onClick={() => void save([...configured, s.command])}
                >
                  <Icon name="plus" size={13} />
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <form
        className="ci-run-form"
        onSubmit={async (e) => {
          e.preventDefault()
          if (typed && (await runLocalCheck(thread.id, typed))) setCommand('')
        }}
      >
        <input
          ref={inputRef}
          className="input input-mono"
          aria-label="Check command"
          placeholder="Any command, e.g. make check"
          value={command}
          onChange={(e) => setCommand(e.target.value)}
        />
        <button type="submit" className="btn btn-small btn-primary" disabled={!typed}>
          Run
        </button>
        <button
          type="button"
          className="btn btn-small"
          disabled={!typed || configured.includes(typed)}
          title="Keep it among this repository's check commands"
          onClick={async () => {
            if (await save([...configured, typed])) setCommand('')
          }}
        >
          Add
        </button>
      </form>
      {runs.length > 0 && (
        <>
          <h4 className="ci-subtitle">Runs</h4>
          <ul className="ci-checks" aria-label="Local runs">
            {(showAll ? runs : runs.slice(0, RUNS_SHOWN)).map((run) => (
              <RunRow
                key={run.id}
                run={run}
                now={now}
                selected={selected === `local:${run.id}`}
                onSelect={() => onSelect(`local:${run.id}`)}
              />
            ))}
          </ul>
          {runs.length > RUNS_SHOWN && (
            <button type="button" className="btn-link ci-more" onClick={() => setShowAll(!showAll)}>
              {showAll ? 'Show fewer' : `Show all ${runs.length} runs`}
            </button>
          )}
        </>
      )}
    </section>
  )
}
