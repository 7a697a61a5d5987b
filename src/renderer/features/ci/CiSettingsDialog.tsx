import { useState, type FormEvent, type ReactElement } from 'react'
import type { CiProviderOverride } from '../../../shared/ci'
import { Dialog, FormError, SubmitFooter } from '../../ui/Dialog'
import { notifySuccess } from '../../state/notify'
import { saveProviderOverride } from './ci-actions'

type Choice = 'auto' | CiProviderOverride['provider']

const placeholders: Record<CiProviderOverride['provider'], string> = {
  github: 'https://github.example.com/api/v3',
  gitlab: 'https://gitlab.example.com'
}

/** Which CI service a repository uses when its remote's host does not say: GitHub Enterprise or self-hosted GitLab, with its URL. */
export function CiSettingsDialog({
  threadId,
  repoId,
  repoName,
  current,
  onClose
}: {
  threadId: string
  repoId: string
  repoName: string
  current: CiProviderOverride | null
  onClose: () => void
}): ReactElement {
  const [choice, setChoice] = useState<Choice>(current?.provider ?? 'auto')
  const [baseUrl, setBaseUrl] = useState(current?.baseUrl ?? '')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (busy) return
    const url = baseUrl.trim()
    if (choice !== 'auto' && url && !/^https?:\/\/[^\s/]+/.test(url)) {
      setError('The base URL must start with https:// (for example https://gitlab.example.com).')
      return
    }
    setBusy(true)
    setError(null)
    const override = choice === 'auto' ? null : { provider: choice, ...(url ? { baseUrl: url } : {}) }
    const refusal = await saveProviderOverride(threadId, repoId, override)
    setBusy(false)
    if (refusal) return setError(refusal)
    notifySuccess(
      'Saved the CI settings',
      override
        ? `${repoName} reads CI from ${override.provider === 'github' ? 'GitHub' : 'GitLab'}${url ? ` at ${url}` : ''}.`
        : `${repoName} reads CI from the service its remote points at.`
    )
    onClose()
  }

  return (
    <Dialog
      title="CI settings"
      description={`Where ${repoName} reads its CI checks from. Every thread of the repository uses it.`}
      onClose={onClose}
      width={500}
    >
      <form className="dialog-body" onSubmit={submit}>
        <label className="field-label" htmlFor="ci-provider">
          CI provider
        </label>
        <select id="ci-provider" className="input" value={choice} onChange={(e) => setChoice(e.target.value as Choice)}>
          <option value="auto">From the remote URL (github.com, gitlab.com)</option>
          <option value="github">GitHub or GitHub Enterprise</option>
          <option value="gitlab">GitLab (gitlab.com or self-hosted)</option>
        </select>
        {choice !== 'auto' && (
          <>
            <label className="field-label" htmlFor="ci-base-url">
              Base URL
            </label>
            <input
              id="ci-base-url"
              className="input input-mono"
              value={baseUrl}
              placeholder={placeholders[choice]}
              onChange={(e) => setBaseUrl(e.target.value)}
            />
            <p className="field-hint">
              {choice === 'github'
                ? 'For GitHub Enterprise, the API address (ending in /api/v3). Leave empty for github.com.'
                : 'For a self-hosted GitLab, its address. Leave empty for gitlab.com.'}{' '}
              The token comes from{' '}
              {choice === 'github' ? (
                <>
                  <code>GITHUB_TOKEN</code> (or <code>GH_ENTERPRISE_TOKEN</code>, or <code>gh auth token</code>)
                </>
              ) : (
                <>
                  <code>GITLAB_TOKEN</code> (or <code>glab</code>)
                </>
              )}{' '}
              in Skein’s environment.
            </p>
          </>
        )}
        <FormError message={error} />
        <SubmitFooter label="Save" busyLabel="Saving…" busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  )
}
