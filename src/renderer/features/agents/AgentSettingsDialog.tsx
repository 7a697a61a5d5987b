import { useEffect, useRef, useState, type FormEvent, type ReactElement } from 'react'
import type { ProfileId } from '../../../shared/models'
import { errorMessage } from '../../state/rpc'
import { Dialog, FormError, SubmitFooter } from '../../ui/Dialog'
import { notifySuccess } from '../../state/notify'
import { useRepo } from '../../state/derived'
import { configureProfiles, loadProfiles, type ProfileList } from './profiles-store'

/** Sets the default agent profile, the custom command and whether it takes prompts, for every repository or just one. */
export function AgentSettingsDialog({ repoId, onClose }: { repoId?: string; onClose: () => void }): ReactElement {
  const repo = useRepo(repoId)
  const [scope, setScope] = useState<'global' | 'repo'>(repoId ? 'repo' : 'global')
  const [list, setList] = useState<ProfileList | null>(null)
  const [defaultProfile, setDefaultProfile] = useState<ProfileId>('shell')
  const [customCommand, setCustomCommand] = useState('')
  const [customAcceptsPrompt, setCustomAcceptsPrompt] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const first = useRef<HTMLSelectElement>(null)
  const scopeRepoId = scope === 'repo' ? repoId : undefined

  useEffect(() => {
    let cancelled = false
    setList(null)
    loadProfiles(scopeRepoId).then(
      (result) => {
        if (cancelled) return
        setList(result)
        setDefaultProfile(result.defaultProfile)
        const custom = result.profiles.find((p) => p.id === 'custom')
        setCustomCommand(custom?.command ?? '')
        setCustomAcceptsPrompt(custom?.acceptsPrompt ?? false)
      },
      (e) => !cancelled && setError(errorMessage(e))
    )
    return () => {
      cancelled = true
    }
  }, [scopeRepoId])

  // The select is disabled until the profiles load, so the dialog's first focus misses it: focus it once it can take it.
  useEffect(() => {
    const select = first.current
    if (list && select && !select.closest('[role="dialog"]')?.contains(document.activeElement)) select.focus()
  }, [list])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (busy || !list) return
    setBusy(true)
    setError(null)
    try {
      await configureProfiles({ repoId: scopeRepoId, defaultProfile, customCommand: customCommand.trim() || null, customAcceptsPrompt })
      notifySuccess('Saved agent settings', scope === 'repo' && repo ? `For ${repo.name}` : 'For all repositories')
      onClose()
    } catch (err) {
      setBusy(false)
      setError(errorMessage(err))
    }
  }

  const chosen = list?.profiles.find((p) => p.id === defaultProfile)
  return (
    <Dialog
      title="Agent settings"
      description="Which agent a new thread starts with, and the command the Custom profile runs."
      onClose={onClose}
      initialFocus={first}
      width={480}
    >
      <form className="dialog-body" onSubmit={submit} noValidate>
        {repoId && (
          <fieldset className="mode-field scope-field">
            <legend className="field-label">Applies to</legend>
            <div className="mode-options">
              <label className={`mode-option${scope === 'repo' ? ' is-checked' : ''}`}>
                <input type="radio" name="scope" checked={scope === 'repo'} onChange={() => setScope('repo')} />
                <span className="mode-text">
                  <span className="mode-label">{repo?.name ?? 'This repository'}</span>
                  <span className="mode-hint">Only threads in this repository.</span>
                </span>
              </label>
              <label className={`mode-option${scope === 'global' ? ' is-checked' : ''}`}>
                <input type="radio" name="scope" checked={scope === 'global'} onChange={() => setScope('global')} />
                <span className="mode-text">
                  <span className="mode-label">All repositories</span>
                  <span className="mode-hint">Unless a repository sets its own.</span>
                </span>
              </label>
            </div>
          </fieldset>
        )}

        <label className="field-label" htmlFor="agent-settings-default">
          Default agent
        </label>
        <select
          id="agent-settings-default"
          ref={first}
          className="input"
          value={defaultProfile}
          disabled={!list}
          onChange={(e) => setDefaultProfile(e.target.value as ProfileId)}
        >
          {list?.profiles.map((p) => (
            <option key={p.id} value={p.id}>
              {p.available ? p.label : `${p.label} (not available)`}
            </option>
          ))}
        </select>
        {chosen?.problem && <p className="field-hint profile-problem">{chosen.problem}</p>}

        <label className="field-label" htmlFor="agent-settings-custom">
          Custom command
        </label>
        <input
          id="agent-settings-custom"
          className="input input-mono"
          value={customCommand}
          placeholder="e.g. aider --model sonnet"
          spellCheck={false}
          autoComplete="off"
          disabled={!list}
          onChange={(e) => setCustomCommand(e.target.value)}
        />
        <p className="field-hint">Run in the thread&apos;s worktree by the Custom profile. Leave empty to turn that profile off.</p>

        <div className="check-field">
          <input
            id="agent-settings-accepts"
            type="checkbox"
            checked={customAcceptsPrompt}
            disabled={!list}
            aria-describedby="agent-settings-accepts-hint"
            onChange={(e) => setCustomAcceptsPrompt(e.target.checked)}
          />
          <div className="check-text">
            <label className="check-label" htmlFor="agent-settings-accepts">
              Send prompts and reviews to this CLI as typed input
            </label>
            <p className="field-hint" id="agent-settings-accepts-hint">
              Review comments and CI failures are typed into its terminal, then Enter; a first prompt is passed as its last argument. Turn
              on only for an agent that reads what you type as a request: a shell or a REPL would run the text as commands.
            </p>
          </div>
        </div>

        <FormError message={error} />
        <SubmitFooter label="Save" busyLabel="Saving…" busy={busy} disabled={!list} onCancel={onClose} />
      </form>
    </Dialog>
  )
}
