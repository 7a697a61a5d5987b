import { useEffect, useState, type KeyboardEvent, type ReactElement } from 'react'
import type { AgentProfile } from '../../../shared/models'
import { errorMessage } from '../../app/rpc'
import { isMac } from '../../ui/keyboard'
import { loadProfiles, preferredProfile, useProfileList, type ProfileList } from './profiles-store'
import { NO_PROFILE, ProfilePicker, type ProfileChoice } from './ProfilePicker'

/** The agent part of a form: which profile to start (if any) and its first prompt. */
export interface AgentChoice {
  list: ProfileList | undefined
  choice: ProfileChoice
  setChoice: (choice: ProfileChoice) => void
  prompt: string
  setPrompt: (prompt: string) => void
  /** The chosen profile when it can run; null for "no agent". */
  profile: AgentProfile | null
  loadError: string | null
}

/** State for picking an agent for a repository: defaults to its default profile, refetched when the repo changes. */
export function useAgentChoice(repoId: string | undefined): AgentChoice {
  const list = useProfileList(repoId)
  const [picked, setChoice] = useState<ProfileChoice | null>(null)
  const [prompt, setPrompt] = useState('')
  const [loadError, setLoadError] = useState<string | null>(null)

  useEffect(() => {
    if (!repoId) return
    let cancelled = false
    loadProfiles(repoId).then(
      () => !cancelled && setLoadError(null),
      (e) => !cancelled && setLoadError(errorMessage(e))
    )
    return () => {
      cancelled = true
    }
  }, [repoId])

  // A choice the person made stays while it can run in the chosen repository; otherwise the default applies.
  const pickedOk = picked === NO_PROFILE || (picked !== null && !!list?.profiles.some((p) => p.id === picked && p.available))
  const choice: ProfileChoice = pickedOk && picked ? picked : (preferredProfile(list) ?? NO_PROFILE)
  const profile = choice === NO_PROFILE ? null : (list?.profiles.find((p) => p.id === choice && p.available) ?? null)
  return { list, choice, setChoice, prompt, setPrompt, profile, loadError }
}

/** The profile picker and, for profiles that take one, the optional multi-line first prompt. */
export function AgentFields({ agent, onSubmit }: { agent: AgentChoice; onSubmit: () => void }): ReactElement {
  const onPromptKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (isMac ? e.metaKey : e.ctrlKey)) {
      e.preventDefault()
      onSubmit()
    }
  }
  return (
    <>
      {agent.loadError ? (
        <>
          <span className="field-label">Agent</span>
          <p className="field-hint profile-problem">Could not list the agent profiles: {agent.loadError}</p>
        </>
      ) : (
        <ProfilePicker
          profiles={agent.list?.profiles ?? null}
          value={agent.choice}
          defaultProfile={agent.list?.defaultProfile}
          onChange={agent.setChoice}
          allowNone
        />
      )}
      {agent.profile?.acceptsPrompt && (
        <>
          <label className="field-label" htmlFor="new-thread-prompt">
            First prompt <span className="field-optional">optional</span>
          </label>
          <textarea
            id="new-thread-prompt"
            className="input textarea"
            rows={3}
            value={agent.prompt}
            placeholder={`What should ${agent.profile.label} do first?`}
            onChange={(e) => agent.setPrompt(e.target.value)}
            onKeyDown={onPromptKeyDown}
          />
          <p className="field-hint">
            Passed to the agent when it starts. <kbd>{isMac ? '⌘' : 'Ctrl'}</kbd>+<kbd>Enter</kbd> creates the thread.
          </p>
        </>
      )}
    </>
  )
}
