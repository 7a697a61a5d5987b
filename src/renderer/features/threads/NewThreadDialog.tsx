import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent, type ReactElement } from 'react'
import { ModeChoice, type ModeOption } from './ModeChoice'
import { RepoSelect } from '../repos/RepoSelect'
import type { ThreadMode } from '../../../shared/models'
import { useNavigation } from '../../app/navigation-store'
import { errorMessage, request } from '../../app/rpc'
import { Dialog, FormError } from '../../ui/Dialog'
import { AgentFields, useAgentChoice } from '../agents/AgentFields'
import { askNotificationPermission } from '../attention/os-notifications'
import { useThreadView } from '../thread-view/thread-view-store'
import { notifyError } from '../toasts/notify'
import { useSortedRepos } from './derived'
import { useThreads } from './threads-store'
import { NeedsRepoDialog } from '../repos/NeedsRepoDialog'
import { BudgetWarning } from '../disk/BudgetWarning'

type Branches = { current: string | null; branches: string[] }

const modes: ModeOption[] = [
  { value: 'worktree', label: 'Worktree', hint: 'Its own branch and checkout, outside your repository. Safe to run many at once.' },
  { value: 'local', label: 'Local', hint: "Works in the repository's own checkout. Best for read-only investigations." }
]

/** Creates a thread: repository, title, base ref (completed from the repo's branches), mode, and the agent to start. */
export function NewThreadDialog({ initialRepoId, onClose }: { initialRepoId?: string; onClose: () => void }): ReactElement {
  const repos = useSortedRepos()
  const selectedRepoId = useThreads((s) => {
    const id = useNavigation.getState().selectedThreadId
    return id ? s.byId[id]?.repoId : undefined
  })
  const [repoId, setRepoId] = useState(() => {
    const preferred = [initialRepoId, selectedRepoId].find((id) => id && repos.some((r) => r.id === id))
    return preferred ?? repos[0]?.id ?? ''
  })
  const [title, setTitle] = useState('')
  const [baseRef, setBaseRef] = useState('')
  const [baseRefTouched, setBaseRefTouched] = useState(false)
  const [branches, setBranches] = useState<Branches | null>(null)
  const [mode, setMode] = useState<ThreadMode>('worktree')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const titleRef = useRef<HTMLInputElement>(null)
  const listId = useId()
  const agent = useAgentChoice(repoId || undefined)

  useEffect(() => {
    if (!repoId) return
    let cancelled = false
    setBranches(null)
    request('repo/branches', { repoId }).then(
      (result) => {
        if (cancelled) return
        setBranches(result)
        if (!baseRefTouched) setBaseRef(result.current ?? '')
      },
      (e) => {
        if (!cancelled) notifyError('Could not list branches', e)
      }
    )
    return () => {
      cancelled = true
    }
  }, [repoId]) // baseRefTouched is read at arrival time on purpose

  if (repos.length === 0) {
    return <NeedsRepoDialog title="New thread" why="every thread belongs to one." onClose={onClose} />
  }

  const submit = async (e?: FormEvent) => {
    e?.preventDefault()
    if (busy) return
    if (!title.trim()) {
      setError('Give the thread a title.')
      titleRef.current?.focus()
      return
    }
    setBusy(true)
    setError(null)
    const profile = agent.profile
    if (profile) askNotificationPermission() // a user gesture, the first time an agent may want attention
    try {
      const thread = await request('thread/create', {
        repoId,
        title: title.trim(),
        baseRef: baseRef.trim() || undefined,
        mode,
        profileId: profile?.id,
        prompt: profile?.acceptsPrompt && agent.prompt.trim() ? agent.prompt : undefined
      })
      useThreads.getState().upsert(thread)
      if (profile) useThreadView.getState().setTab(thread.id, 'terminal')
      useNavigation.getState().selectThread(thread.id)
      onClose()
      if (thread.status === 'error') notifyError(`“${thread.title}” could not be set up`, new Error(thread.statusMessage ?? 'The core reported an error.'))
    } catch (err) {
      setBusy(false)
      setError(errorMessage(err))
    }
  }

  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    const target = e.target as HTMLElement
    const noImplicitSubmit = target instanceof HTMLSelectElement || (target instanceof HTMLInputElement && target.type === 'radio')
    if (e.key === 'Enter' && !e.nativeEvent.isComposing && noImplicitSubmit) {
      e.preventDefault()
      void submit()
    }
  }

  return (
    <Dialog title="New thread" onClose={onClose} initialFocus={titleRef} width={540}>
      <form className="dialog-body" onSubmit={submit} onKeyDown={onKeyDown} noValidate>
        <RepoSelect id="new-thread-repo" value={repoId} onChange={setRepoId} />

        <label className="field-label" htmlFor="new-thread-title">
          Title
        </label>
        <input
          id="new-thread-title"
          ref={titleRef}
          className="input"
          value={title}
          maxLength={200}
          placeholder="e.g. Fix flaky login test"
          autoComplete="off"
          onChange={(e) => {
            setTitle(e.target.value)
            if (error) setError(null)
          }}
        />

        <label className="field-label" htmlFor="new-thread-base">
          Base ref
        </label>
        <input
          id="new-thread-base"
          className="input input-mono"
          list={listId}
          value={baseRef}
          placeholder={branches ? (branches.current ?? 'HEAD') : 'Loading branches…'}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => {
            setBaseRef(e.target.value)
            setBaseRefTouched(true)
          }}
        />
        <datalist id={listId}>
          {branches?.branches.map((b) => (
            <option key={b} value={b} />
          ))}
        </datalist>
        <p className="field-hint">
          The branch, tag or commit to start from{branches?.current ? ` (current branch: ${branches.current})` : ''}.
        </p>

        <ModeChoice legend="Mode" name="mode" options={modes} value={mode} onChange={setMode} />
        <BudgetWarning repoId={repoId} worktree={mode === 'worktree'} />

        <AgentFields agent={agent} onSubmit={() => void submit()} />

        <FormError message={error} />
        <footer className="dialog-footer">
          <span className="footer-hint">
            <kbd>Enter</kbd> to create · <kbd>Esc</kbd> to close
          </span>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create thread'}
          </button>
        </footer>
      </form>
    </Dialog>
  )
}
