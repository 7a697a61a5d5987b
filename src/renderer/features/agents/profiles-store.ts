import { create } from 'zustand'
import type { ResultOf } from '../../../shared/methods'
import type { AgentProfile, ProfileId } from '../../../shared/models'
import { request } from '../../state/rpc'

/** The profiles available for one scope (a repository, or every repository) and its default. */
export type ProfileList = ResultOf<'profile/list'>

/** The store key of a scope: a repository id, or '*' for the global settings. */
const scopeKey = (repoId?: string | null): string => repoId ?? '*'

interface ProfilesState {
  /** The last profile list fetched for each scope. */
  byScope: Record<string, ProfileList>
  put: (repoId: string | null | undefined, list: ProfileList) => void
}

/** Agent profiles per scope, fetched with `profile/list` and refreshed after `profile/configure`. */
export const useProfiles = create<ProfilesState>()((set) => ({
  byScope: {},
  put: (repoId, list) => set((s) => ({ byScope: { ...s.byScope, [scopeKey(repoId)]: list } }))
}))

/** The cached list for a scope, re-rendering when it changes. */
export const useProfileList = (repoId?: string | null): ProfileList | undefined => useProfiles((s) => s.byScope[scopeKey(repoId)])

/** Fetches (and caches) the profiles for a repository, or the global ones. Rejects with the core's error. */
export async function loadProfiles(repoId?: string | null): Promise<ProfileList> {
  const list = await request('profile/list', repoId ? { repoId } : {})
  useProfiles.getState().put(repoId, list)
  return list
}

/** Saves the default profile, the custom command and whether it takes prompts, for a repository or globally; refreshes the caches. */
export async function configureProfiles(o: {
  repoId?: string | null
  defaultProfile?: ProfileId
  customCommand?: string | null
  customAcceptsPrompt?: boolean
}): Promise<ProfileList> {
  const list = await request('profile/configure', {
    repoId: o.repoId ?? undefined,
    defaultProfile: o.defaultProfile,
    customCommand: o.customCommand,
    customAcceptsPrompt: o.customAcceptsPrompt
  })
  // A global change can alter every repository's effective default: forget the other scopes.
  useProfiles.setState((s) => ({ byScope: o.repoId ? { ...s.byScope, [scopeKey(o.repoId)]: list } : { [scopeKey(null)]: list } }))
  return list
}

/** The profile preselected for a new session: the default when it can run, else nothing. */
export function preferredProfile(list: ProfileList | undefined): ProfileId | null {
  if (!list) return null
  return list.profiles.find((p) => p.id === list.defaultProfile && p.available)?.id ?? null
}

/** The names Skein shows for each profile when the core's list is not at hand. */
export const profileLabels: Record<ProfileId, string> = {
  shell: 'Shell',
  claude: 'Claude Code',
  codex: 'Codex',
  custom: 'Custom'
}

/** A profile's display name: the core's label when known, else the built-in one. */
export const profileLabel = (id: ProfileId, profiles?: AgentProfile[]): string =>
  profiles?.find((p) => p.id === id)?.label ?? profileLabels[id]
