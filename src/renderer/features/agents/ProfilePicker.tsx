import { useId, type ReactElement } from 'react'
import type { AgentProfile, ProfileId } from '../../../shared/models'

/** The radio value while nothing is picked. */
export const NO_PROFILE = 'none'

/** A choice in the picker: a profile, or nothing picked yet. */
export type ProfileChoice = ProfileId | typeof NO_PROFILE

/**
 * Radio list of agent profiles. Profiles that cannot run here are disabled and show the core's
 * explanation (with its install hint) right under their name.
 */
export function ProfilePicker({
  profiles,
  value,
  onChange,
  defaultProfile,
  legend = 'Agent'
}: {
  profiles: AgentProfile[] | null
  value: ProfileChoice
  onChange: (choice: ProfileChoice) => void
  defaultProfile?: ProfileId
  legend?: string
}): ReactElement {
  const name = useId()
  return (
    <fieldset className="profile-field">
      <legend className="field-label">{legend}</legend>
      {profiles === null ? (
        <p className="field-hint" aria-busy="true">
          Looking for agent CLIs…
        </p>
      ) : (
        <div className="profile-options">
          {profiles.map((p) => (
            <ProfileOption
              key={p.id}
              name={name}
              profile={p}
              checked={value === p.id}
              isDefault={p.id === defaultProfile}
              onSelect={() => onChange(p.id)}
            />
          ))}
        </div>
      )}
    </fieldset>
  )
}

function ProfileOption(props: {
  name: string
  profile: AgentProfile
  checked: boolean
  isDefault: boolean
  onSelect: () => void
}): ReactElement {
  const { profile: p } = props
  const problemId = useId()
  return (
    <label className={`profile-option${props.checked ? ' is-checked' : ''}${p.available ? '' : ' is-unavailable'}`}>
      <input
        type="radio"
        name={props.name}
        value={p.id}
        checked={props.checked}
        disabled={!p.available}
        aria-label={p.available ? p.label : `${p.label} (not available)`}
        aria-describedby={p.problem ? problemId : undefined}
        onChange={props.onSelect}
      />
      <span className="profile-text">
        <span className="profile-head">
          <span className="profile-label">{p.label}</span>
          {p.command && <code className="profile-command">{p.command}</code>}
          {props.isDefault && <span className="profile-default">default</span>}
          {!p.available && <span className="profile-missing">not available</span>}
        </span>
        {p.problem && (
          <span id={problemId} className="profile-problem">
            <WithCode text={p.problem} />
          </span>
        )}
      </span>
    </label>
  )
}

/** Renders `backticked` parts of a message (commands in the core's hints) as code. */
function WithCode({ text }: { text: string }): ReactElement {
  const parts = text.split(/`([^`]+)`/)
  return <>{parts.map((part, i) => (i % 2 ? <code key={i}>{part}</code> : part))}</>
}
