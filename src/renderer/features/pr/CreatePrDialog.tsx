import { useEffect, useRef, useState, type FormEvent, type ReactElement } from 'react'
import type { PrDraft } from '../../../shared/pr'
import { Dialog, FormError, SubmitFooter } from '../../ui/Dialog'
import { Icon } from '../../ui/Icon'
import { useThreads } from '../../state/threads-store'
import { useCiProvider } from '../ci'
import { createRequest, loadDraft, openOnSite, splitLabels, splitList } from './pr-actions'
import { RequestNoun, requestNoun, requestRef, serviceName } from './pr-format'

/**
 * *Create pull request* (GitHub) or *Create merge request* (GitLab): the title and body drafted from the
 * thread (editable), ready or draft, reviewers, labels and the base branch. Creating pushes the branch
 * first; a request the branch already has is shown instead.
 */
export function CreatePrDialog({ threadId, onClose }: { threadId: string; onClose: () => void }): ReactElement {
  const thread = useThreads((s) => s.byId[threadId])
  const ciProvider = useCiProvider(threadId)
  const [draft, setDraft] = useState<PrDraft | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [title, setTitle] = useState('')
  const [body, setBody] = useState('')
  const [base, setBase] = useState('')
  const [isDraft, setIsDraft] = useState(false)
  const [reviewers, setReviewers] = useState('')
  const [labels, setLabels] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const titleRef = useRef<HTMLInputElement>(null)

  useEffect(() => {
    let live = true
    void loadDraft(threadId).then((r) => {
      if (!live) return
      if ('error' in r) return setLoadError(r.error)
      setDraft(r.draft)
      setTitle(r.draft.title)
      setBody(r.draft.body)
      setBase(r.draft.base)
      requestAnimationFrame(() => titleRef.current?.select())
    })
    return () => {
      live = false
    }
  }, [threadId])

  const provider = draft?.provider ?? ciProvider
  const Noun = RequestNoun(provider)
  const noun = requestNoun(provider)
  const existing = draft?.existing ?? null

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (busy || !draft?.canCreate) return
    if (!title.trim()) return setError('A title is required.')
    if (!base.trim()) return setError('Type the branch to merge into.')
    setBusy(true)
    setError(null)
    const refusal = await createRequest(threadId, {
      title: title.trim(),
      body,
      draft: isDraft,
      base,
      reviewers: splitList(reviewers),
      labels: splitLabels(labels)
    })
    setBusy(false)
    if (refusal) return setError(refusal)
    onClose()
  }

  const description = thread?.branch ? (
    <>
      From <code>{thread.branch}</code>
      {draft && draft.commits > 0 && (
        <>
          {' '}
          ({draft.commits} {draft.commits === 1 ? 'commit' : 'commits'})
        </>
      )}
      {provider ? ` on ${serviceName(provider)}` : ''}. Skein pushes the branch first.
    </>
  ) : undefined

  return (
    <Dialog title={`Create ${noun}`} description={description} onClose={onClose} width={620} initialFocus={titleRef}>
      <form className="dialog-body pr-form" onSubmit={submit} aria-busy={!draft && !loadError}>
        {!draft && !loadError && (
          <div className="pr-form-loading">
            <span className="spinner" aria-hidden="true" /> Drafting from the thread…
          </div>
        )}
        {loadError && <FormError message={loadError} />}
        {existing && (
          <div className="banner banner-note pr-existing" role="note">
            <Icon name="pull-request" size={15} />
            <span>
              This branch already has <strong>{requestRef(existing)}</strong> ({existing.title}). Skein shows it instead of opening a second
              one.
            </span>
            <button type="button" className="btn btn-small" onClick={() => openOnSite(existing.url)}>
              Open on {serviceName(existing.provider)}
            </button>
          </div>
        )}
        {draft && !existing && draft.reason && (
          <div className={`banner ${draft.canCreate ? 'banner-note' : 'banner-error'} pr-reason`} role={draft.canCreate ? 'note' : 'alert'}>
            <Icon name={draft.canCreate ? 'info' : 'alert'} size={15} />
            <span>{draft.reason}</span>
          </div>
        )}
        {draft && !existing && (
          <fieldset className="pr-fields" disabled={!draft.canCreate || busy}>
            <label className="field-label" htmlFor="pr-title">
              Title
            </label>
            <input
              id="pr-title"
              ref={titleRef}
              className="input"
              value={title}
              maxLength={256}
              onChange={(e) => setTitle(e.target.value)}
            />
            <label className="field-label" htmlFor="pr-body">
              Description <span className="field-optional">Markdown</span>
            </label>
            <textarea id="pr-body" className="input textarea pr-body" rows={11} value={body} onChange={(e) => setBody(e.target.value)} />
            <div className="pr-row">
              <div className="pr-col">
                <label className="field-label" htmlFor="pr-base">
                  Merge into
                </label>
                <input
                  id="pr-base"
                  className="input input-mono"
                  value={base}
                  placeholder="main"
                  onChange={(e) => setBase(e.target.value)}
                />
              </div>
              <fieldset className="pr-col pr-kind">
                <legend className="field-label">Open as</legend>
                <div className="pr-segmented" role="radiogroup" aria-label="Open as">
                  <label className={!isDraft ? 'is-checked' : ''}>
                    <input type="radio" name="pr-kind" checked={!isDraft} onChange={() => setIsDraft(false)} />
                    Ready for review
                  </label>
                  <label className={isDraft ? 'is-checked' : ''}>
                    <input type="radio" name="pr-kind" checked={isDraft} onChange={() => setIsDraft(true)} />
                    Draft
                  </label>
                </div>
              </fieldset>
            </div>
            <div className="pr-row">
              <div className="pr-col">
                <label className="field-label" htmlFor="pr-reviewers">
                  Reviewers <span className="field-optional">optional</span>
                </label>
                <input
                  id="pr-reviewers"
                  className="input"
                  value={reviewers}
                  placeholder={provider === 'gitlab' ? 'alice, bob' : 'octocat, my-org/team'}
                  onChange={(e) => setReviewers(e.target.value)}
                />
              </div>
              <div className="pr-col">
                <label className="field-label" htmlFor="pr-labels">
                  Labels <span className="field-optional">optional</span>
                </label>
                <input
                  id="pr-labels"
                  className="input"
                  value={labels}
                  placeholder="bug, backend"
                  onChange={(e) => setLabels(e.target.value)}
                />
              </div>
            </div>
          </fieldset>
        )}
        <FormError message={error} />
        {existing ? (
          <footer className="dialog-footer">
            <button type="button" className="btn btn-primary" onClick={onClose}>
              Close
            </button>
          </footer>
        ) : (
          <SubmitFooter
            label={isDraft ? `Create draft ${noun}` : `Create ${noun}`}
            busyLabel="Pushing and creating…"
            busy={busy}
            disabled={!draft?.canCreate}
            onCancel={onClose}
            hint={draft?.canCreate ? `${Noun}s are opened with your ${serviceName(provider)} token.` : undefined}
          />
        )}
      </form>
    </Dialog>
  )
}
