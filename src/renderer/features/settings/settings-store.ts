import { create } from 'zustand'
import type { ResultOf } from '../../../shared/methods'
import { errorMessage, request } from '../../state/rpc'

/** What `settings/get` says: where the API key comes from, the endpoint, the models. */
export type AgentSettings = ResultOf<'settings/get'>

interface SettingsState {
  settings: AgentSettings | null
  /** Why the last load failed; null when it worked (or has not run). */
  error: string | null
}

/** The built-in agent's settings as the core last reported them. */
export const useSettings = create<SettingsState>()(() => ({ settings: null, error: null }))

/** Fetches the settings again (on connect, when Settings opens, after a key is saved). */
export async function loadSettings(): Promise<AgentSettings | null> {
  try {
    const settings = await request('settings/get', {})
    useSettings.setState({ settings, error: null })
    return settings
  } catch (e) {
    useSettings.setState({ error: errorMessage(e) })
    return null
  }
}

/** Stores (or with null, forgets) the API key; the settings are re-read so every view updates. */
export async function saveApiKey(apiKey: string | null): Promise<void> {
  await request('settings/setApiKey', { apiKey })
  await loadSettings()
}

/** True once the settings are known and say no API key is available. */
export const useMissingApiKey = (): boolean => useSettings((s) => s.settings !== null && s.settings.apiKey.source === null)

/** Where the current key comes from, in words. */
export function keySourceLabel(s: AgentSettings['apiKey']): string {
  switch (s.source) {
    case 'env':
      return 'From the ANTHROPIC_API_KEY environment variable'
    case 'stored':
      return s.storage === 'safeStorage'
        ? "Stored, encrypted with the system's keychain"
        : 'Stored in a file in the Skein data folder (not encrypted)'
    case 'session':
      return 'Kept in memory for this session only'
    default:
      return 'No API key yet'
  }
}
