import { useEffect, useRef, useState, type ReactElement } from 'react'
import type { CiCheck, LocalRun } from '../../../shared/ci'
import type { Thread } from '../../../shared/models'
import { Icon } from '../../ui/Icon'
import { useRepo } from '../../state/derived'
import { AutopilotSection } from '../autopilot'
import { useThreadCiPanel, useCiPanel } from './ci-panel-store'
import { useCiStatus } from './ci-store'
import { openCiPanel } from './ci-sync'
import { CheckList } from './CheckList'
import { CiSettingsDialog } from './CiSettingsDialog'
import { CiSummary, EmptyCi, ProblemBanner } from './CiSummary'
import { LocalChecks } from './LocalChecks'
import { checkOfRun, LogPane } from './LogPane'

/** What the log pane shows: a remote check, or a local run (as a check). */
function resolveSelection(
  selected: string | null,
  checks: readonly CiCheck[],
  runs: readonly LocalRun[]
): { check: CiCheck; run?: LocalRun } | null {
  if (!selected) return null
  if (selected.startsWith('local:')) {
    const run = runs.find((r) => `local:${r.id}` === selected)
    if (run) return { check: checkOfRun(run), run }
  }
  const check = checks.find((c) => c.id === selected)
  return check ? { check } : null
}

/**
 * The CI tab: the pushed commit's checks with their state and logs, problems reading CI with what to
 * do about them, and local check commands run in the worktree with live output.
 */
export function CiTab({ thread }: { thread: Thread }): ReactElement {
  const status = useCiStatus(thread.id)
  const panel = useThreadCiPanel(thread.id)
  const patch = useCiPanel((s) => s.patch)
  const repo = useRepo(thread.repoId)
  const [settingsOpen, setSettingsOpen] = useState(false)
  const commandRef = useRef<HTMLInputElement>(null)

  useEffect(() => openCiPanel(thread.id), [thread.id])

  const remote = status?.checks.filter((c) => c.provider !== 'local') ?? []
  const runs = panel?.checks?.runs ?? []
  const selected = panel?.selected ?? null
  const shown = resolveSelection(selected, status?.checks ?? [], runs)
  const select = (checkId: string | null) => patch(thread.id, { selected: checkId })
  const firstFailure = remote.find((c) => c.state === 'failed' || c.state === 'cancelled')
  const openSettings = () => setSettingsOpen(true)

  return (
    <div className="ci">
      <CiSummary thread={thread} status={status} onSettings={openSettings} />
      {status?.problem && <ProblemBanner thread={thread} status={status} onSettings={openSettings} />}
      <div className="ci-body">
        <aside className="ci-side" aria-label="Checks and local runs">
          {status ? (
            <CheckList threadId={thread.id} checks={remote} commit={status.commit} selected={selected} onSelect={select} />
          ) : (
            <EmptyCi
              thread={thread}
              onRunLocal={() => {
                commandRef.current?.scrollIntoView({ block: 'nearest' })
                commandRef.current?.focus()
              }}
            />
          )}
          <AutopilotSection thread={thread} />
          <LocalChecks thread={thread} panel={panel} inputRef={commandRef} selected={selected} onSelect={select} />
        </aside>
        {shown ? (
          <LogPane
            key={shown.check.id}
            threadId={thread.id}
            check={shown.check}
            run={shown.run}
            commit={status?.commit ?? null}
            onClose={() => select(null)}
          />
        ) : (
          <div className="empty-state ci-log-placeholder">
            {selected ? (
              <p>That check is no longer among this thread’s checks.</p>
            ) : firstFailure ? (
              <>
                <Icon name="alert" size={22} />
                <p>
                  <strong>{firstFailure.name}</strong> failed.
                </p>
                <button type="button" className="btn btn-small" onClick={() => select(firstFailure.id)}>
                  Show its log
                </button>
              </>
            ) : (
              <p>Pick a check or a local run to see its log.</p>
            )}
          </div>
        )}
      </div>
      {settingsOpen && (
        <CiSettingsDialog
          threadId={thread.id}
          repoId={thread.repoId}
          repoName={repo?.name ?? 'This repository'}
          current={panel?.checks?.override ?? null}
          onClose={() => setSettingsOpen(false)}
        />
      )}
    </div>
  )
}
