import { useEffect, type ReactElement } from 'react'
import type { Thread } from '../../../shared/models'
import { Icon } from '../../ui/Icon'
import { isArchived } from '../../state/threads-store'
import { loadRun, showRunOutput, startRun, stopRun } from './run-actions'
import { useRun } from './run-store'

/** "localhost:5173/app" for a link's text: the scheme adds nothing a person reads. */
export function shortUrl(url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/\/$/, '')
}

/** A dev server's URL as a link that opens in the browser (the system browser in the desktop app). */
export function RunUrl({ url }: { url: string }): ReactElement {
  return (
    <a className="run-url" href={url} target="_blank" rel="noopener noreferrer" title={`Open ${url} in the browser`} data-testid="run-url">
      <Icon name="open" size={12} />
      <span>{shortUrl(url)}</span>
    </a>
  )
}

/** Reads the thread's run status once it is shown. */
export function useRunStatus(threadId: string) {
  const status = useRun((s) => s.byThread[threadId])
  useEffect(() => {
    if (!useRun.getState().byThread[threadId]) void loadRun(threadId)
  }, [threadId])
  return status
}

/** The thread header's dev-server control: Run, or the URL it serves with Stop. Nothing when the repository has no run command. */
export function RunControls({ thread }: { thread: Thread }): ReactElement | null {
  const status = useRunStatus(thread.id)
  const busy = useRun((s) => s.busyByThread[thread.id])
  if (!status?.config || isArchived(thread)) return null
  const pty = status.pty
  const running = pty?.state === 'running'
  return (
    <div className="run-controls" role="group" aria-label="Dev server">
      {running && pty.url && <RunUrl url={pty.url} />}
      {running ? (
        <>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => showRunOutput(thread.id, pty.id)}
            title="Show the dev server's output"
          >
            <Icon name="terminal" size={12} />
            Output
          </button>
          <button
            type="button"
            className="btn btn-small"
            disabled={!!busy}
            onClick={() => void stopRun(thread.id)}
            title={`Stop ${status.config.command} and everything it started`}
          >
            <Icon name="stop" size={12} />
            {busy === 'stop' ? 'Stopping…' : 'Stop'}
          </button>
        </>
      ) : (
        <button
          type="button"
          className="btn btn-small"
          disabled={!!busy}
          onClick={() => void startRun(thread.id)}
          title={`Run ${status.config.command}`}
        >
          <Icon name="play" size={12} />
          {busy === 'start' ? 'Starting…' : 'Run'}
        </button>
      )}
    </div>
  )
}
