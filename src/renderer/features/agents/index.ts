/** The agents feature: agent profiles, their settings dialog and the agent fields of the new-thread form. */
export { AgentSettingsDialog } from './AgentSettingsDialog'
export { AgentNotes, AgentSelect, promptPlaceholder, useAgentChoice } from './AgentFields'
export { NO_PROFILE, ProfilePicker, type ProfileChoice } from './ProfilePicker'
export { loadProfiles, preferredProfile, profileLabel, useProfileList } from './profiles-store'
