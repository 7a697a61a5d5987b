import type { PrDraft, PrMergeMethod } from '../../../shared/pr'
import { ciProviderOf } from '../ci'
import { useDialogs } from '../../state/dialogs-store'
import { notifyError, notifySuccess, notifyWarning } from '../../state/notify'
import { errorMessage, request } from '../../state/rpc'
import { requestNoun, requestRef, serviceName } from './pr-format'
import { usePr } from './pr-store'

/** What the thread's request is called: "pull request" unless its CI (or its request) says GitLab. */
export function requestNounOf(threadId: string): string {
  return requestNoun(usePr.getState().byThread[threadId]?.provider ?? ciProviderOf(threadId))
}

/** Opens the *Create pull request* dialog for a thread. */
export function openCreateRequest(threadId: string): void {
  useDialogs.getState().open({ kind: 'create-pr', threadId })
}

/** Opens a request on its service's website (a link the person clicked). */
export function openOnSite(url: string): void {
  window.open(url, '_blank', 'noopener,noreferrer')
}

/** The drafted title and body, or the core's refusal. */
export async function loadDraft(threadId: string): Promise<{ draft: PrDraft } | { error: string }> {
  try {
    return { draft: await request('pr/draft', { threadId }) }
  } catch (e) {
    return { error: errorMessage(e) }
  }
}

/** What the dialog sends. */
export interface CreateFields {
  title: string
  body: string
  draft: boolean
  base: string
  reviewers: string[]
  labels: string[]
}

/** Pushes and opens the request; says so (and what could not be set) in toasts. Returns the refusal, or null. */
export async function createRequest(threadId: string, f: CreateFields): Promise<string | null> {
  try {
    const r = await request('pr/create', { threadId, ...f, base: f.base.trim() || undefined })
    usePr.getState().put(threadId, r.status)
    const noun = requestNoun(r.status.provider)
    const open = { label: `Open on ${serviceName(r.status.provider)}`, run: () => openOnSite(r.status.url) }
    if (r.existed)
      notifySuccess(
        `This branch already has ${requestRef(r.status)}`,
        `${r.status.title}. Skein shows it instead of opening a second ${noun}.`,
        open
      )
    else notifySuccess(`Opened ${noun} ${requestRef(r.status)}`, r.status.title, open)
    for (const w of r.warnings) notifyWarning(`${requestRef(r.status)} was opened, but not everything was set`, w)
    return null
  } catch (e) {
    return errorMessage(e)
  }
}

/** Reads the thread's request now. */
export async function refreshRequest(threadId: string): Promise<void> {
  try {
    usePr.getState().put(threadId, (await request('pr/refresh', { threadId })).status)
  } catch (e) {
    notifyError(`Could not read the ${requestNounOf(threadId)}`, e)
  }
}

/**
 * Merges the request through the service's API, only if its head is still `expectHead`; with `whenReady`,
 * the service's own auto-merge is turned on instead while only its checks or a required review are missing.
 */
export async function mergeRequest(
  threadId: string,
  method: PrMergeMethod,
  expectHead: string | null,
  whenReady = false
): Promise<boolean> {
  try {
    const status = await request('pr/merge', {
      threadId,
      method,
      ...(expectHead ? { expectHead } : {}),
      ...(whenReady ? { whenReady } : {})
    })
    usePr.getState().put(threadId, status)
    if (status.state === 'merged') notifySuccess(`Merged ${requestRef(status)}`, status.title)
    else
      notifySuccess(`Auto-merge on for ${requestRef(status)}`, `${serviceName(status.provider)} merges it when its requirements are met.`)
    return true
  } catch (e) {
    notifyError(`Could not merge the ${requestNounOf(threadId)}`, e)
    return false
  }
}

/** Turns the service's own auto-merge off. */
export async function cancelAutoMerge(threadId: string): Promise<void> {
  try {
    const status = await request('pr/cancelAutoMerge', { threadId })
    usePr.getState().put(threadId, status)
    notifySuccess(`Auto-merge off for ${requestRef(status)}`, 'It is merged only when someone merges it.')
  } catch (e) {
    notifyError('Could not turn auto-merge off', e)
  }
}

/** "alice, bob" or "alice bob" as a list of names. */
export const splitList = (text: string): string[] =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean)

/** Labels are split on commas only: a label may hold spaces. */
export const splitLabels = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
