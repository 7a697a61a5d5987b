import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent, type ReactElement } from 'react'
import type { PermissionMode, ThreadMode } from '../../../shared/models'
import { titleFromPrompt } from '../../../shared/thread-title'
import { useNavigation } from '../../state/navigation-store'
import { errorMessage, request } from '../../state/rpc'
import { Dialog, FormError } from '../../ui/Dialog'
import { AgentNotes, AgentSelect, promptPlaceholder, useAgentChoice } from '../agents'
import { askNotificationPermission } from '../../state/os-notifications'
import { permissionModes } from '../conversation'
import { NeedsRepoDialog } from '../repos'
import { useSortedRepos } from '../../state/derived'
import { useThreadView } from '../../state/thread-view-store'
import { notifyError } from '../../state/notify'
import { useThreads } from '../../state/threads-store'
import { BudgetWarning } from '../disk'

type Branches = { current: string | null; branches: string[] }

const places: Array<{ value: ThreadMode; label: string; hint: string }> = [
  { value: 'worktree', label: 'Worktree', hint: 'its own branch and checkout, outside your repository' },
  { value: 'local', label: 'Local', hint: "the repository's own checkout (best for read-only work)" }
]

/**
 * Creates a thread, prompt first: one box for what to do (Enter creates, Shift+Enter is a new
 * line), a title that follows the prompt until edited, then compact choices: the agent (the
 * built-in one by default), its permission mode, worktree or local, the base ref and the repository.
 */
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
  const [prompt, setPrompt] = useState('')
  const [typedTitle, setTypedTitle] = useState<string | null>(null)
  const [baseRef, setBaseRef] = useState('')
  const [baseRefTouched, setBaseRefTouched] = useState(false)
  const [branches, setBranches] = useState<Branches | null>(null)
  const [mode, setMode] = useState<ThreadMode>('worktree')
  const [permissionMode, setPermissionMode] = useState<PermissionMode>('ask')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const promptRef = useRef<HTMLTextAreaElement>(null)
  const titleRef = useRef<HTMLInputElement>(null)
  const ids = useId()
  const agent = useAgentChoice(repoId || undefined)
  const builtin = agent.pick === 'builtin'
  // The title follows the prompt until the person types their own.
  const derived = titleFromPrompt(prompt)
  const fallback = agent.pick === 'shell' ? 'Shell' : ''
  const title = typedTitle ?? derived

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
    // A title cleared by hand falls back to the prompt's.
    const finalTitle = title.trim() || derived || fallback
    if (!finalTitle) {
      setError(builtin || agent.takesPrompt ? 'Type what the agent should do (or give the thread a title).' : 'Give the thread a title.')
      promptRef.current?.focus()
      return
    }
    setBusy(true)
    setError(null)
    const profile = agent.profile
    if (profile?.id !== 'shell') askNotificationPermission() // a user gesture, the first time an agent may want attention
    const text = prompt.trim()
    try {
      const thread = await request('thread/create', {
        repoId,
        title: finalTitle,
        baseRef: baseRef.trim() || undefined,
        mode,
        profileId: profile?.id,
        // A shell runs every line it is given, so the prompt only names its thread.
        prompt: text && agent.takesPrompt ? text : undefined,
        permissionMode: builtin ? permissionMode : undefined
      })
      useThreads.getState().upsert(thread)
      // The thread opens on its agent: the Conversation for the built-in one, else its terminal.
      useThreadView.getState().setTab(thread.id, profile ? 'terminal' : 'conversation')
      useNavigation.getState().selectThread(thread.id)
      onClose()
      if (thread.status === 'error')
        notifyError(`“${thread.title}” could not be set up`, new Error(thread.statusMessage ?? 'The core reported an error.'))
    } catch (err) {
      setBusy(false)
      setError(errorMessage(err))
    }
  }

  const onPromptKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.nativeEvent.isComposing) {
      e.preventDefault()
      void submit()
    }
  }

  const onFormKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    const target = e.target as HTMLElement
    if (e.key === 'Enter' && !e.nativeEvent.isComposing && target instanceof HTMLSelectElement) {
      e.preventDefault()
      void submit()
    }
  }

  const place = places.find((p) => p.value === mode)!
  const permission = permissionModes.find((m) => m.value === permissionMode)!

  return (
    <Dialog title="New thread" onClose={onClose} initialFocus={promptRef} width={700}>
      <form className="dialog-body new-thread" onSubmit={submit} onKeyDown={onFormKeyDown} noValidate>
        <textarea
          id={`${ids}-prompt`}
          ref={promptRef}
          className="input textarea nt-prompt"
          aria-label="Prompt"
          rows={4}
          value={prompt}
          placeholder={promptPlaceholder(agent)}
          onChange={(e) => {
            setPrompt(e.target.value)
            if (error) setError(null)
          }}
          onKeyDown={onPromptKeyDown}
        />

        <div className="nt-title-row">
          <label className="nt-label" htmlFor={`${ids}-title`}>
            Title
          </label>
          <input
            id={`${ids}-title`}
            ref={titleRef}
            className="input nt-title"
            value={title}
            maxLength={200}
            placeholder={fallback || 'From the prompt'}
            autoComplete="off"
            aria-describedby={`${ids}-title-hint`}
            onChange={(e) => {
              setTypedTitle(e.target.value)
              if (error) setError(null)
            }}
          />
          <span id={`${ids}-title-hint`} className="nt-title-hint">
            {typedTitle === null ? (
              derived ? (
                'from the prompt'
              ) : null
            ) : derived && typedTitle !== derived ? (
              <button
                type="button"
                className="btn-link"
                onClick={() => {
                  setTypedTitle(null)
                  // The button goes away; keep focus in the dialog.
                  titleRef.current?.focus()
                }}
              >
                Use the prompt&apos;s
              </button>
            ) : null}
          </span>
        </div>

        <div className="nt-controls">
          <AgentSelect id={`${ids}-agent`} choice={agent} />
          {builtin && (
            <div className="nt-control nt-control-permission">
              <label className="nt-label" htmlFor={`${ids}-permission`}>
                Permissions
              </label>
              <select
                id={`${ids}-permission`}
                className="input nt-select"
                title={permission.tip}
                value={permissionMode}
                onChange={(e) => setPermissionMode(e.target.value as PermissionMode)}
              >
                {permissionModes.map((m) => (
                  <option key={m.value} value={m.value}>
                    {m.label}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="nt-control">
            <label className="nt-label" htmlFor={`${ids}-where`}>
              Where
            </label>
            <select
              id={`${ids}-where`}
              className="input nt-select"
              title={place.hint}
              value={mode}
              onChange={(e) => setMode(e.target.value as ThreadMode)}
            >
              {places.map((p) => (
                <option key={p.value} value={p.value}>
                  {p.label}
                </option>
              ))}
            </select>
          </div>
          <div className="nt-control">
            <label className="nt-label" htmlFor={`${ids}-base`}>
              Base ref
            </label>
            <input
              id={`${ids}-base`}
              className="input input-mono nt-base"
              list={`${ids}-branches`}
              value={baseRef}
              placeholder={branches ? (branches.current ?? 'HEAD') : 'Loading…'}
              title={`The branch, tag or commit to start from${branches?.current ? ` (current branch: ${branches.current})` : ''}`}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => {
                setBaseRef(e.target.value)
                setBaseRefTouched(true)
              }}
            />
            <datalist id={`${ids}-branches`}>
              {branches?.branches.map((b) => (
                <option key={b} value={b} />
              ))}
            </datalist>
          </div>
          <div className="nt-control nt-control-repo">
            <label className="nt-label" htmlFor={`${ids}-repo`}>
              Repository
            </label>
            <select id={`${ids}-repo`} className="input nt-select" value={repoId} onChange={(e) => setRepoId(e.target.value)}>
              {repos.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </div>
        </div>
        <BudgetWarning repoId={repoId} worktree={mode === 'worktree'} />

        <AgentNotes choice={agent}>
          Works in {mode === 'worktree' ? `a new worktree: ${place.hint}` : `the ${place.hint}`}.
          {builtin ? ` ${permission.label}: ${permission.tip}` : ''}
        </AgentNotes>

        <FormError message={error} />
        <footer className="dialog-footer">
          <span className="footer-hint">
            <kbd>Enter</kbd> to create · <kbd>Shift</kbd>+<kbd>Enter</kbd> new line · <kbd>Esc</kbd> to close
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
