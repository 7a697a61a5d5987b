import { useEffect, useState, type ReactElement, type ReactNode } from 'react'
import type { AgentProfile, ProfileId } from '../../../shared/models'
import { errorMessage } from '../../state/rpc'
import { loadProfiles, useProfileList, type ProfileList } from './profiles-store'

/** Who works in a new thread: Skein's built-in Claude agent, or a CLI profile in its terminal. */
export type AgentPick = 'builtin' | ProfileId

/** The agent part of a form: the pick, the profiles it chooses from and what the pick can do. */
export interface AgentChoice {
  list: ProfileList | undefined
  pick: AgentPick
  setPick: (pick: AgentPick) => void
  /** The chosen CLI profile when it can run; null for the built-in agent. */
  profile: AgentProfile | null
  /** Whether the pick takes the prompt (the built-in agent, Claude Code, Codex, a custom command marked so). */
  takesPrompt: boolean
  loadError: string | null
}

/** State for picking a new thread's agent: the built-in agent by default; a CLI pick stays while it can run in the repository. */
export function useAgentChoice(repoId: string | undefined): AgentChoice {
  const list = useProfileList(repoId)
  const [picked, setPick] = useState<AgentPick>('builtin')
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

  const profile = picked === 'builtin' ? null : (list?.profiles.find((p) => p.id === picked && p.available) ?? null)
  const pick: AgentPick = picked !== 'builtin' && !profile ? 'builtin' : picked
  const takesPrompt = pick === 'builtin' || !!profile?.acceptsPrompt
  return { list, pick, setPick, profile, takesPrompt, loadError }
}

/** The order CLI profiles are offered in: agents first, a plain shell last. */
const ORDER: ProfileId[] = ['claude', 'codex', 'custom', 'shell']

/** The label of each choice in the agent picker. */
export function agentPickLabel(pick: AgentPick, profiles?: AgentProfile[]): string {
  if (pick === 'builtin') return 'Claude (built-in)'
  if (pick === 'shell') return 'Just a shell'
  return profiles?.find((p) => p.id === pick)?.label ?? { claude: 'Claude Code', codex: 'Codex', custom: 'Custom' }[pick]
}

/** What the prompt box asks for with this pick. */
export function promptPlaceholder(choice: AgentChoice): string {
  if (choice.pick === 'builtin') return 'Describe a task, or ask a question about the code…'
  if (choice.pick === 'shell') return 'What is this shell for? (optional: it names the thread; nothing is typed into the shell)'
  if (!choice.takesPrompt) return 'What is this thread for? (names the thread; the custom command is not given prompts)'
  return `What should ${agentPickLabel(choice.pick, choice.list?.profiles)} do?`
}

/** One line on what the pick does with the prompt. */
function pickHint(choice: AgentChoice): string {
  const label = agentPickLabel(choice.pick, choice.list?.profiles)
  if (choice.pick === 'builtin') return "Skein's own Claude agent: the prompt is its first message, in the Conversation tab."
  if (choice.pick === 'shell') return 'A plain shell in the Terminal tab. Text meant for an agent is never typed into it.'
  if (!choice.takesPrompt)
    return `${choice.profile?.command ?? label} starts in the Terminal tab. It is not marked as taking prompts (Agent settings), so the prompt only names the thread.`
  return `${choice.profile?.command ?? label} starts in the Terminal tab with the prompt.`
}

/** A compact agent picker: the built-in agent, then the CLI profiles; those that cannot run here are disabled, with why. */
export function AgentSelect({ id, choice }: { id: string; choice: AgentChoice }): ReactElement {
  const profiles = choice.list?.profiles ?? []
  const ordered = ORDER.map((pid) => profiles.find((p) => p.id === pid)).filter((p): p is AgentProfile => !!p)
  return (
    <div className="nt-control nt-control-agent">
      <label className="nt-label" htmlFor={id}>
        Agent
      </label>
      <select
        id={id}
        className="input nt-select"
        value={choice.pick}
        aria-describedby={`${id}-hint`}
        onChange={(e) => choice.setPick(e.target.value as AgentPick)}
      >
        <option value="builtin">{agentPickLabel('builtin')}</option>
        {ordered.map((p) => (
          <option key={p.id} value={p.id} disabled={!p.available}>
            {agentPickLabel(p.id, profiles)}
            {p.available ? '' : ' — not available'}
          </option>
        ))}
      </select>
      <span id={`${id}-hint`} hidden>
        {pickHint(choice)}
      </span>
    </div>
  )
}

/** The lines under the controls: what the agent does with the prompt, `children` (where it works), and why some agents cannot run. */
export function AgentNotes({ choice, children }: { choice: AgentChoice; children?: ReactNode }): ReactElement {
  const missing = (choice.list?.profiles ?? []).filter((p) => !p.available && p.problem && p.id !== 'custom')
  return (
    <div className="nt-notes">
      <p className="field-hint nt-note">{pickHint(choice)}</p>
      {children && <p className="field-hint nt-note">{children}</p>}
      {choice.loadError && <p className="field-hint profile-problem">Could not list the agent CLIs: {choice.loadError}</p>}
      {missing.length > 0 && (
        <details className="field-hint nt-missing">
          <summary>
            {missing.map((p) => p.label).join(' and ')} {missing.length === 1 ? 'is' : 'are'} not available here
          </summary>
          {missing.map((p) => (
            <p key={p.id}>
              <span className="nt-missing-name">{p.label}:</span> <WithCode text={p.problem!} />
            </p>
          ))}
        </details>
      )}
    </div>
  )
}

/** Renders `backticked` parts of a message (commands in the core's hints) as code. */
function WithCode({ text }: { text: string }): ReactElement {
  const parts = text.split(/`([^`]+)`/)
  return <>{parts.map((part, i) => (i % 2 ? <code key={i}>{part}</code> : part))}</>
}
