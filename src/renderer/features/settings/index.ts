/** The settings feature: the settings dialog and the settings store. */
export { SettingsDialog } from './SettingsDialog'
export { loadSettings, useMissingApiKey, useSettings } from './settings-store'
