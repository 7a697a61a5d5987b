import { useEffect, useRef, useState, type FormEvent, type ReactElement } from 'react'
import type { ShareMode } from '../../../shared/environment'
import type { ResultOf } from '../../../shared/methods'
import { errorMessage, request } from '../../state/rpc'
import { Dialog, FormError, SubmitFooter } from '../../ui/Dialog'
import { notifySuccess } from '../../state/notify'
import { useRepo } from '../../state/derived'
import { environmentOf, formatLabels, formOf, importSummary, withImport, type EnvironmentForm } from './environment-form'

type Loaded = ResultOf<'environment/get'>

const SOURCE_TEXT: Record<Loaded['source'], string> = {
  file: 'In effect: .skein/environment.json in the repository.',
  settings: "In effect: Skein's settings on this machine (they override the repository's file).",
  none: 'No environment yet: new worktrees start as bare checkouts.'
}

/** Edits a repository's environment: what new worktrees get (files, shared folders, setup), imported from other tools or written here. */
export function EnvironmentDialog({ repoId, onClose }: { repoId: string; onClose: () => void }): ReactElement {
  const repo = useRepo(repoId)
  const [loaded, setLoaded] = useState<Loaded | null>(null)
  const [form, setForm] = useState<EnvironmentForm>(formOf(null))
  const [target, setTarget] = useState<'file' | 'settings'>('file')
  const [imported, setImported] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const first = useRef<HTMLTextAreaElement>(null)

  useEffect(() => {
    let cancelled = false
    request('environment/get', { repoId }).then(
      (r) => {
        if (cancelled) return
        setLoaded(r)
        setForm(formOf(r.settings ?? r.file))
        setTarget(r.source === 'settings' ? 'settings' : 'file')
      },
      (e) => !cancelled && setError(errorMessage(e))
    )
    return () => {
      cancelled = true
    }
  }, [repoId])

  const set = (patch: Partial<EnvironmentForm>) => setForm((f) => ({ ...f, ...patch }))
  const save = async (e: FormEvent) => {
    e.preventDefault()
    if (busy) return
    setBusy(true)
    setError(null)
    try {
      await request('environment/save', {
        repoId,
        target,
        environment: environmentOf(form)
      })
      notifySuccess(
        'Saved the environment',
        target === 'file'
          ? `.skein/environment.json in ${repo?.name ?? 'the repository'}`
          : `Skein's settings for ${repo?.name ?? 'the repository'}`
      )
      onClose()
    } catch (err) {
      setBusy(false)
      setError(errorMessage(err))
    }
  }
  const removeSettings = async () => {
    setError(null)
    try {
      const r = await request('environment/save', {
        repoId,
        target: 'settings',
        environment: null
      })
      setLoaded((l) => (l ? { ...l, ...r } : l))
      setForm(formOf(r.file))
      setTarget('file')
    } catch (err) {
      setError(errorMessage(err))
    }
  }

  return (
    <Dialog
      title="Environment"
      description={`What every new worktree of ${repo?.name ?? 'this repository'} gets before its agent starts.`}
      onClose={onClose}
      initialFocus={first}
      width={640}
    >
      <form className="dialog-body env-form" onSubmit={save} noValidate>
        <div className="env-fields">
          {loaded && (
            <p className="env-source">
              {SOURCE_TEXT[loaded.source]}
              {loaded.settings && (
                <button type="button" className="btn-link" onClick={() => void removeSettings()}>
                  Remove from Skein settings
                </button>
              )}
            </p>
          )}
          {loaded?.problem && <FormError message={loaded.problem} />}
          {loaded && loaded.detected.length > 0 && (
            <section className="env-imports" aria-label="Found in this repository">
              <h3 className="field-label">Found in this repository</h3>
              <ul>
                {loaded.detected.map((d) => (
                  <li key={d.format} className="env-import">
                    <div className="env-import-text">
                      <strong>{formatLabels[d.format]}</strong> <code>{d.files.join(', ')}</code>
                      {'error' in d ? (
                        <span className="env-import-error">{d.error}</span>
                      ) : (
                        <span className="env-import-summary">{importSummary(d.environment)}</span>
                      )}
                      {'notes' in d && d.notes.length > 0 && <span className="env-import-notes">{d.notes.join(' ')}</span>}
                    </div>
                    {!('error' in d) && (
                      <button
                        type="button"
                        className="btn btn-small"
                        aria-label={`Import ${formatLabels[d.format]}`}
                        onClick={() => {
                          setForm((f) => withImport(f, d))
                          setImported(formatLabels[d.format])
                        }}
                      >
                        Import
                      </button>
                    )}
                  </li>
                ))}
              </ul>
              {imported && (
                <p className="env-imported" role="status">
                  Imported from {imported} into the fields below. Review them, then save.
                </p>
              )}
            </section>
          )}
          <label className="field-label" htmlFor="env-setup">
            Setup commands
          </label>
          <textarea
            id="env-setup"
            ref={first}
            className="input textarea input-mono"
            rows={4}
            value={form.setup}
            onChange={(e) => set({ setup: e.target.value })}
            placeholder={'npm ci\nnpm run build'}
            spellCheck={false}
          />
          <span className="field-hint">
            One per line, run in order in one shell in the new worktree ($PORT, $SKEIN_ROOT_PATH are set). The first that fails stops setup.
          </span>

          <label className="field-label" htmlFor="env-copy">
            Files to copy from the main checkout
          </label>
          <textarea
            id="env-copy"
            className="input textarea input-mono"
            rows={2}
            value={form.copy}
            onChange={(e) => set({ copy: e.target.value })}
            placeholder={'.env\n**/.env.local'}
            spellCheck={false}
          />
          <span className="field-hint">gitignore-style patterns of untracked files. A .worktreeinclude file is honoured too.</span>

          <fieldset className="env-share">
            <legend className="field-label">Folders to share between worktrees</legend>
            {form.share.map((s, i) => (
              <div className="env-share-row" key={i}>
                <input
                  className="input input-mono"
                  aria-label={`Shared folder ${i + 1}`}
                  value={s.path}
                  placeholder="node_modules"
                  onChange={(e) =>
                    set({
                      share: form.share.map((x, j) => (j === i ? { ...x, path: e.target.value } : x))
                    })
                  }
                />
                <select
                  className="input"
                  aria-label={`How folder ${i + 1} is shared`}
                  value={s.mode}
                  onChange={(e) =>
                    set({
                      share: form.share.map((x, j) => (j === i ? { ...x, mode: e.target.value as ShareMode } : x))
                    })
                  }
                >
                  <option value="symlink">Symlink (one copy for all)</option>
                  <option value="reflink">Clone (copy-on-write)</option>
                  <option value="copy">Copy</option>
                </select>
                <button type="button" className="btn btn-small" onClick={() => set({ share: form.share.filter((_, j) => j !== i) })}>
                  Remove
                </button>
              </div>
            ))}
            <button type="button" className="btn btn-small" onClick={() => set({ share: [...form.share, { path: '', mode: 'symlink' }] })}>
              Add a folder
            </button>
          </fieldset>

          <div className="env-row">
            <div>
              <label className="field-label" htmlFor="env-run">
                Run command
              </label>
              <input
                id="env-run"
                className="input input-mono"
                value={form.runCommand}
                placeholder="npm run dev -- --port $PORT"
                onChange={(e) => set({ runCommand: e.target.value })}
              />
            </div>
            <div>
              <label className="field-label" htmlFor="env-url">
                Its URL
              </label>
              <input
                id="env-url"
                className="input input-mono"
                value={form.runUrl}
                placeholder="http://localhost:${PORT}"
                onChange={(e) => set({ runUrl: e.target.value })}
              />
            </div>
          </div>
          <label className="field-label" htmlFor="env-archive">
            Archive command
          </label>
          <input
            id="env-archive"
            className="input input-mono"
            value={form.archive}
            placeholder="docker compose down"
            onChange={(e) => set({ archive: e.target.value })}
          />

          <label className="field-label" htmlFor="env-start">
            The agent starts
          </label>
          <select
            id="env-start"
            className="input"
            value={form.startAgent}
            onChange={(e) =>
              set({
                startAgent: e.target.value as EnvironmentForm['startAgent']
              })
            }
          >
            <option value="after-setup">After setup has finished</option>
            <option value="parallel">At once, while setup runs</option>
          </select>

          <fieldset className="mode-field">
            <legend className="field-label">Save to</legend>
            <div className="mode-options">
              <label className={`mode-option${target === 'file' ? ' is-checked' : ''}`}>
                <input type="radio" name="env-target" checked={target === 'file'} onChange={() => setTarget('file')} />
                <span className="mode-text">
                  <span className="mode-label">The repository</span>
                  <span className="mode-hint">.skein/environment.json, to commit and share.</span>
                </span>
              </label>
              <label className={`mode-option${target === 'settings' ? ' is-checked' : ''}`}>
                <input type="radio" name="env-target" checked={target === 'settings'} onChange={() => setTarget('settings')} />
                <span className="mode-text">
                  <span className="mode-label">Skein settings</span>
                  <span className="mode-hint">Only on this machine; overrides the file.</span>
                </span>
              </label>
            </div>
          </fieldset>
        </div>
        <FormError message={error} />
        <SubmitFooter label="Save" busyLabel="Saving…" busy={busy} disabled={!loaded} onCancel={onClose} />
      </form>
    </Dialog>
  )
}
