import { useEffect, useRef, useState, type FormEvent, type ReactElement, type ReactNode } from 'react'
import { MODELS } from '../../../shared/pricing'
import { errorMessage } from '../../state/rpc'
import { Dialog, FormError } from '../../ui/Dialog'
import { Icon } from '../../ui/Icon'
import { notifySuccess } from '../../state/notify'
import { PortsSetting } from '../run'
import { ThemeChoice } from './ThemeChoice'
import { keySourceLabel, loadSettings, saveApiKey, useSettings } from './settings-store'

/**
 * Settings: the theme, and for the built-in agent the Anthropic API key (entered as a password, never shown back,
 * with where the current one comes from), the API endpoint, and the default model. `sections` are further settings
 * the composition root adds from features that sit above this one (checkpoint pruning).
 */
export function SettingsDialog({ onClose, sections }: { onClose: () => void; sections?: ReactNode }): ReactElement {
  const settings = useSettings((s) => s.settings)
  const loadError = useSettings((s) => s.error)
  const [key, setKey] = useState('')
  const [busy, setBusy] = useState<'save' | 'remove' | null>(null)
  const [error, setError] = useState<string | null>(null)
  const keyRef = useRef<HTMLInputElement>(null)

  useEffect(() => {
    void loadSettings()
  }, [])

  const apiKey = settings?.apiKey
  const fromEnv = apiKey?.source === 'env'
  const modelLabel = (id: string) => settings?.models.find((m) => m.id === id)?.label ?? MODELS.find((m) => m.id === id)?.label ?? id

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (busy) return
    if (!key.trim()) {
      setError('Paste an API key first (it starts with sk-ant-).')
      keyRef.current?.focus()
      return
    }
    setBusy('save')
    setError(null)
    try {
      await saveApiKey(key.trim())
      setKey('')
      notifySuccess('Saved your API key')
      onClose()
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(null)
    }
  }

  const remove = async () => {
    setBusy('remove')
    setError(null)
    try {
      await saveApiKey(null)
      notifySuccess('Removed the API key')
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(null)
    }
  }

  return (
    <Dialog
      title="Settings"
      description="The theme, and for the built-in Claude agent: your API key, the endpoint it talks to, and the model new threads use."
      onClose={onClose}
      initialFocus={keyRef}
      width={520}
    >
      <form className="dialog-body settings-form" onSubmit={submit} noValidate>
        <ThemeChoice />
        <label className="field-label" htmlFor="settings-api-key">
          Anthropic API key
        </label>
        <div className={`key-status${apiKey?.source ? ' has-key' : ''}`} aria-live="polite">
          <Icon name={apiKey?.source ? 'check' : 'info'} size={13} />
          <span>{apiKey ? keySourceLabel(apiKey) : loadError ? `Could not read the settings: ${loadError}` : 'Checking…'}</span>
          {(apiKey?.source === 'stored' || apiKey?.source === 'session') && (
            <button type="button" className="btn-link key-remove" disabled={!!busy} onClick={() => void remove()}>
              {busy === 'remove' ? 'Removing…' : apiKey.source === 'stored' ? 'Remove' : 'Forget'}
            </button>
          )}
        </div>
        {apiKey?.warning && (
          <div className="banner banner-note settings-warning" role="note">
            <Icon name="alert" size={14} />
            <span>{apiKey.warning}</span>
          </div>
        )}
        <input
          id="settings-api-key"
          ref={keyRef}
          className="input input-mono"
          type="password"
          value={key}
          placeholder={apiKey?.source ? 'Enter a new key to replace it' : 'sk-ant-…'}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => {
            setKey(e.target.value)
            if (error) setError(null)
          }}
        />
        <p className="field-hint">
          {apiKey?.warning
            ? 'It is never shown again or logged.'
            : fromEnv
              ? 'The environment variable wins while it is set; a key saved here is used when Skein starts without it.'
              : apiKey?.storage === 'safeStorage'
                ? "Saved encrypted with your system's keychain. It is never shown again or logged."
                : apiKey?.storage === 'memory'
                  ? 'Kept in memory only: you will be asked again after Skein restarts.'
                  : 'Saved in the Skein data folder. It is never shown again or logged.'}
        </p>

        <label className="field-label" htmlFor="settings-base-url">
          API endpoint
        </label>
        <input
          id="settings-base-url"
          className="input input-mono"
          readOnly
          value={settings?.baseUrl ?? 'https://api.anthropic.com (default)'}
        />
        <p className="field-hint">Set ANTHROPIC_BASE_URL before starting Skein to use another endpoint.</p>

        <label className="field-label" htmlFor="settings-default-model">
          Default model
        </label>
        <input id="settings-default-model" className="input" readOnly value={settings ? modelLabel(settings.defaultModel) : ''} />
        <p className="field-hint">New threads start with it; change a thread&apos;s model at the top of its Conversation tab.</p>

        <PortsSetting />
        {sections}

        <FormError message={error} />
        <footer className="dialog-footer">
          <button type="button" className="btn" onClick={onClose}>
            Close
          </button>
          <button type="submit" className="btn btn-primary" disabled={!!busy || !key.trim()}>
            {busy === 'save' ? 'Saving…' : 'Save key'}
          </button>
        </footer>
      </form>
    </Dialog>
  )
}
