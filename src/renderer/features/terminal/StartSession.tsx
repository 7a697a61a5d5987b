import { useEffect, useState, type FormEvent, type ReactElement } from 'react'
import type { Thread } from '../../../shared/models'
import { useDialogs } from '../../state/dialogs-store'
import { errorMessage } from '../../state/rpc'
import { Icon } from '../../ui/Icon'
import { isMac } from '../../ui/keyboard'
import { loadProfiles, preferredProfile, useProfileList, NO_PROFILE, ProfilePicker, type ProfileChoice } from '../agents'
import { restoreThread } from '../../state/thread-actions'
import { isArchived, workingCopy } from '../../state/threads-store'
import { startAgent } from './terminal-actions'
import { useTerminals } from './terminal-store'

/** The terminal area of a thread without an agent session: pick a profile, optionally a first prompt, and start. */
export function StartSession({ thread }: { thread: Thread }): ReactElement {
  const list = useProfileList(thread.repoId)
  const busy = useTerminals((s) => !!s.busyByThread[thread.id])
  const [choice, setChoice] = useState<ProfileChoice | null>(null)
  const [prompt, setPrompt] = useState('')
  const [loadError, setLoadError] = useState<string | null>(null)
  const open = useDialogs((s) => s.open)

  useEffect(() => {
    loadProfiles(thread.repoId).then(
      () => setLoadError(null),
      (e) => setLoadError(errorMessage(e))
    )
  }, [thread.repoId])

  if (isArchived(thread)) {
    return (
      <div className="empty-state">
        <Icon name="archive" size={26} />
        <h2>This thread is archived</h2>
        <p>Its worktree was removed. Restore the thread to run an agent or a shell in it again.</p>
        <button type="button" className="btn" onClick={() => void restoreThread(thread)}>
          <Icon name="restore" />
          Restore
        </button>
      </div>
    )
  }

  const selected = choice ?? preferredProfile(list) ?? NO_PROFILE
  const profile = list?.profiles.find((p) => p.id === selected)
  const where = workingCopy(thread)

  const submit = (e?: FormEvent) => {
    e?.preventDefault()
    if (!profile || !profile.available || busy) return
    void startAgent(thread.id, profile.id, profile.acceptsPrompt ? prompt : undefined)
  }

  return (
    <form className="terminal-start" onSubmit={submit} aria-labelledby="terminal-start-title">
      <div className="terminal-start-card">
        <h2 id="terminal-start-title" className="terminal-start-title">
          Start an agent session
        </h2>
        <p className="terminal-start-text">
          It runs in {where.path ? <code>{where.path}</code> : "the thread's worktree"}. You can open extra shells with the + button above.
        </p>
        {loadError ? (
          <p className="form-error" role="alert">
            <Icon name="alert" size={14} />
            <span>Could not list the agent profiles: {loadError}</span>
          </p>
        ) : (
          <ProfilePicker profiles={list?.profiles ?? null} value={selected} defaultProfile={list?.defaultProfile} onChange={setChoice} />
        )}
        {profile?.acceptsPrompt && (
          <>
            <label className="field-label" htmlFor={`start-prompt-${thread.id}`}>
              First prompt <span className="field-optional">optional</span>
            </label>
            <textarea
              id={`start-prompt-${thread.id}`}
              className="input textarea"
              rows={3}
              value={prompt}
              placeholder="What should the agent do first?"
              onChange={(e) => setPrompt(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && (isMac ? e.metaKey : e.ctrlKey)) submit()
              }}
            />
          </>
        )}
        <div className="terminal-start-actions">
          <button type="button" className="btn-link" onClick={() => open({ kind: 'agent-settings', repoId: thread.repoId })}>
            Agent settings…
          </button>
          <span className="spacer" />
          <button type="submit" className="btn btn-primary" data-terminal-autofocus disabled={!profile?.available || busy}>
            <Icon name="terminal" />
            {busy ? 'Starting…' : 'Start'}
          </button>
        </div>
      </div>
    </form>
  )
}
