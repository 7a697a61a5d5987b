import { useRef, useState, type FormEvent, type ReactElement } from 'react'
import { ModeChoice, type ModeOption } from '../threads'
import { RepoSelect, NeedsRepoDialog } from '../repos'
import type { PermissionMode, ThreadMode } from '../../../shared/models'
import { useNavigation } from '../../state/navigation-store'
import { errorMessage, request } from '../../state/rpc'
import { Dialog, FormError } from '../../ui/Dialog'
import { shortcutLabel } from '../../ui/keyboard'
import { PromptList, usePromptRows } from '../../ui/PromptList'
import { askNotificationPermission } from '../../state/os-notifications'
import { PermissionModeControl } from '../conversation'
import { useDashboard } from '../../state/dashboard-store'
import { notifySuccess } from '../../state/notify'
import { useSortedRepos } from '../../state/derived'
import { useThreads } from '../../state/threads-store'

/** One investigation row as edited. */
interface Row {
  title: string
  focus: string
}

const MAX_ROWS = 12
/** Shown as placeholders in the first rows: examples, never values (a row left blank starts nothing). */
const examples: Row[] = [
  { title: 'CI logs', focus: 'Check the CI logs' },
  { title: 'Cloud service', focus: 'Check the cloud service' },
  { title: 'Recent commits', focus: 'Read the recent commits' }
]

const modes: ModeOption[] = [
  { value: 'local', label: 'Local', hint: "In the repository's own checkout. Best for read-only work." },
  { value: 'worktree', label: 'Worktrees', hint: 'Each in its own branch and worktree.' }
]

/** A row as started: either field alone is enough (a focus names the thread; a title alone is its focus). */
function investigationOf(r: Row): { title: string; focus: string } {
  const title = r.title.trim()
  const focus = r.focus.trim()
  const named = title || (focus.length > 60 ? `${focus.slice(0, 59).trimEnd()}…` : focus)
  return { title: named, focus: focus || title }
}

const startLabel = (n: number): string => (n === 0 ? 'Start investigations' : `Start ${n} ${n === 1 ? 'investigation' : 'investigations'}`)

/** Starts several investigation threads from one prompt, each with its own focus (`fanout/start`). */
export function FanoutDialog({ initialRepoId, onClose }: { initialRepoId?: string; onClose: () => void }): ReactElement {
  const repos = useSortedRepos()
  const [repoId, setRepoId] = useState(() =>
    initialRepoId && repos.some((r) => r.id === initialRepoId) ? initialRepoId : (repos[0]?.id ?? '')
  )
  const [prompt, setPrompt] = useState('')
  const investigations = usePromptRows<Row>(examples.length, () => ({ title: '', focus: '' }))
  const { rows } = investigations
  const [mode, setMode] = useState<ThreadMode>('local')
  const [permissionMode, setPermissionMode] = useState<PermissionMode>('plan')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const promptRef = useRef<HTMLTextAreaElement>(null)

  if (repos.length === 0) {
    return <NeedsRepoDialog title="Investigate" why="investigations run in one." onClose={onClose} />
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (busy) return
    const filled = rows.filter((r) => r.title.trim() || r.focus.trim())
    if (!prompt.trim()) {
      setError('Describe what to investigate.')
      promptRef.current?.focus()
      return
    }
    if (filled.length === 0) {
      setError('Add at least one investigation.')
      return
    }
    setBusy(true)
    setError(null)
    askNotificationPermission()
    try {
      const { threads } = await request('fanout/start', {
        repoId,
        prompt: prompt.trim(),
        investigations: filled.map(investigationOf),
        mode,
        permissionMode
      })
      for (const t of threads) useThreads.getState().upsert(t)
      useDashboard.getState().clear()
      useDashboard.getState().setRepo(repoId)
      useNavigation.getState().showDashboard()
      onClose()
      notifySuccess(`Started ${threads.length} ${threads.length === 1 ? 'investigation' : 'investigations'}`)
    } catch (err) {
      setBusy(false)
      setError(errorMessage(err))
    }
  }

  return (
    <Dialog
      title="Investigate"
      description="One prompt, several threads: each investigates with its own focus, in parallel."
      onClose={onClose}
      initialFocus={promptRef}
      width={600}
    >
      <form className="dialog-body fanout-form" onSubmit={submit} noValidate>
        <RepoSelect id="fanout-repo" value={repoId} onChange={setRepoId} />

        <label className="field-label" htmlFor="fanout-prompt">
          Prompt
        </label>
        <textarea
          id="fanout-prompt"
          ref={promptRef}
          className="input textarea"
          rows={3}
          value={prompt}
          placeholder="e.g. Checkout fails for some users since yesterday. Find out why."
          onChange={(e) => {
            setPrompt(e.target.value)
            if (error) setError(null)
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) void submit(e)
          }}
        />

        <PromptList
          list={investigations}
          legend="Investigations"
          max={MAX_ROWS}
          addLabel="Add investigation"
          removeLabel={(n) => `Remove investigation ${n}`}
          className="fanout-rows"
        >
          {(r, n) => (
            <>
              <input
                className="input fanout-title"
                aria-label={`Investigation ${n} title`}
                placeholder={examples[n - 1] ? `e.g. ${examples[n - 1].title}` : 'Title'}
                maxLength={200}
                value={r.title}
                onChange={(e) => investigations.update(r.key, { title: e.target.value })}
              />
              <input
                className="input fanout-focus"
                aria-label={`Investigation ${n} focus`}
                placeholder={examples[n - 1] ? `e.g. ${examples[n - 1].focus}` : 'What this one looks at'}
                maxLength={2000}
                value={r.focus}
                onChange={(e) => investigations.update(r.key, { focus: e.target.value })}
              />
            </>
          )}
        </PromptList>

        <ModeChoice legend="Where they run" name="fanout-mode" options={modes} value={mode} onChange={setMode} />

        <div className="fanout-permission">
          <span className="field-label">Permission mode</span>
          <PermissionModeControl value={permissionMode} onChange={setPermissionMode} label="Permission mode for the investigations" />
          <p className="field-hint">Plan keeps investigations read-only. You can change each thread later.</p>
        </div>

        <FormError message={error} />
        <footer className="dialog-footer">
          <span className="footer-hint">
            <kbd>{shortcutLabel('Enter')}</kbd> to start · <kbd>Esc</kbd> to close
          </span>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Starting…' : startLabel(rows.filter((r) => r.title.trim() || r.focus.trim()).length)}
          </button>
        </footer>
      </form>
    </Dialog>
  )
}
