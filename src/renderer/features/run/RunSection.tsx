import { useEffect, useRef, useState, type FormEvent, type ReactElement, type ReactNode } from 'react'
import type { Thread } from '../../../shared/models'
import { portRangeText } from '../../../shared/run'
import { errorMessage } from '../../state/rpc'
import { FormError } from '../../ui/Dialog'
import { Icon } from '../../ui/Icon'
import { isArchived } from '../../state/threads-store'
import { configureRun, showRunOutput, startRun, stopRun } from './run-actions'
import { RunUrl, useRunStatus } from './RunControls'
import { useRun } from './run-store'

function Row({ label, children }: { label: string; children: ReactNode }): ReactElement {
  return (
    <div className="detail-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  )
}

/** The form that sets a repository's run command and URL template in Skein's settings. */
function RunForm({
  thread,
  initial,
  onDone
}: {
  thread: Thread
  initial: { command: string; url: string }
  onDone: () => void
}): ReactElement {
  const [command, setCommand] = useState(initial.command)
  const [url, setUrl] = useState(initial.url)
  const [error, setError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const form = useRef<HTMLFormElement>(null)
  // The card sits low in the Overview: bring the whole form, buttons included, into view. (A block body:
  // Chromium's scrollIntoView returns a promise, which React would take for a cleanup function.)
  useEffect(() => {
    void form.current?.scrollIntoView({ block: 'nearest' })
  }, [])
  const save = async (config: { command: string; url?: string } | null) => {
    setSaving(true)
    setError(null)
    try {
      await configureRun(thread.repoId, thread.id, config)
      onDone()
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setSaving(false)
    }
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!command.trim()) return setError('Type the command that starts the dev server, such as npm run dev.')
    void save({ command: command.trim(), ...(url.trim() ? { url: url.trim() } : {}) })
  }
  return (
    <form ref={form} className="run-form" onSubmit={submit} noValidate>
      <label className="field-label" htmlFor="run-command">
        Run command
      </label>
      <input
        id="run-command"
        className="input input-mono"
        value={command}
        placeholder="npm run dev -- --port $PORT"
        autoFocus
        spellCheck={false}
        onChange={(e) => setCommand(e.target.value)}
      />
      <label className="field-label" htmlFor="run-url-template">
        URL <span className="muted">(optional)</span>
      </label>
      <input
        id="run-url-template"
        className="input input-mono"
        value={url}
        placeholder="http://localhost:$PORT"
        spellCheck={false}
        onChange={(e) => setUrl(e.target.value)}
      />
      <p className="field-hint">
        Runs in the thread&apos;s folder with <code>PORT</code> and <code>SKEIN_PORT_0</code>… set. Without a URL, the first one it prints
        is shown. Saved in Skein&apos;s settings for every thread of this repository.
      </p>
      <FormError message={error} />
      <div className="run-form-actions">
        <button type="submit" className="btn btn-primary btn-small" disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="btn btn-small" onClick={onDone}>
          Cancel
        </button>
        {initial.command && (
          <button type="button" className="btn btn-small btn-danger-quiet" disabled={saving} onClick={() => void save(null)}>
            Remove
          </button>
        )}
      </div>
    </form>
  )
}

/** The Overview's "Dev server and ports" card: the thread's port range, its run command, and the run's state and URL. */
export function RunSection({ thread }: { thread: Thread }): ReactElement {
  const status = useRunStatus(thread.id)
  const busy = useRun((s) => s.busyByThread[thread.id])
  const error = useRun((s) => s.errorByThread[thread.id])
  const [editing, setEditing] = useState(false)
  const archived = isArchived(thread)
  const config = status?.config ?? null
  const pty = status?.pty ?? null
  const running = pty?.state === 'running'
  const fromEnvironment = status?.source === 'environment'

  return (
    <section className="card-section run-section" aria-labelledby="overview-run">
      <h2 id="overview-run" className="section-title">
        Dev server and ports
      </h2>
      <dl className="details">
        <Row label="Ports">
          {status?.ports ? (
            <>
              <code data-testid="run-ports">{portRangeText(status.ports)}</code>
              <span className="muted">
                PORT={status.ports.first}
                {status.ports.count > 1 && ` · SKEIN_PORT_0…SKEIN_PORT_${status.ports.count - 1}`}
              </span>
            </>
          ) : (
            <span className="muted">{archived ? 'Given back while archived' : status ? 'None free right now' : 'Loading…'}</span>
          )}
        </Row>
        <Row label="Run command">
          {config ? (
            <>
              <code className="detail-path" data-testid="run-command">
                {config.command}
              </code>
              <span className="muted">{fromEnvironment ? 'from the repository’s environment file' : 'from Skein’s settings'}</span>
            </>
          ) : (
            <span className="muted">None yet</span>
          )}
          {!editing && !fromEnvironment && (
            <button type="button" className="btn-link" onClick={() => setEditing(true)}>
              {config ? 'Edit' : 'Set one'}
            </button>
          )}
        </Row>
        {config && (
          <Row label="Status">
            <span className={`run-state${running ? ' is-running' : ''}`} data-testid="run-state">
              {running
                ? 'Running'
                : pty
                  ? pty.exitCode !== null && !pty.endedByRestart && pty.signal === null
                    ? `Exited ${pty.exitCode}`
                    : 'Stopped'
                  : 'Not started'}
            </span>
            {running && pty.url && <RunUrl url={pty.url} />}
            {running && !pty.url && <span className="muted">waiting for it to print its URL…</span>}
            {pty && (
              <button type="button" className="btn-link" onClick={() => showRunOutput(thread.id, pty.id)}>
                Show output
              </button>
            )}
          </Row>
        )}
      </dl>
      {editing && (
        <RunForm thread={thread} initial={{ command: config?.command ?? '', url: config?.url ?? '' }} onDone={() => setEditing(false)} />
      )}
      {error && (
        <div className="banner banner-error" role="alert">
          <Icon name="alert" size={14} />
          <span>{error}</span>
        </div>
      )}
      {config && !archived && !editing && (
        <div className="run-actions">
          {running ? (
            <button type="button" className="btn" disabled={!!busy} onClick={() => void stopRun(thread.id)}>
              <Icon name="stop" />
              {busy === 'stop' ? 'Stopping…' : 'Stop dev server'}
            </button>
          ) : (
            <button type="button" className="btn btn-primary" disabled={!!busy} onClick={() => void startRun(thread.id)}>
              <Icon name="play" />
              {busy === 'start' ? 'Starting…' : 'Run dev server'}
            </button>
          )}
        </div>
      )}
    </section>
  )
}
