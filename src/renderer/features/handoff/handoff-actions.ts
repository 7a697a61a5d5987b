import type { Repo, Thread } from '../../../shared/models'
import { useDialogs } from '../../state/dialogs-store'
import { useNavigation } from '../../state/navigation-store'
import { errorMessage, request } from '../../state/rpc'
import { copyText } from '../../ui/clipboard'
import { useDashboard } from '../../state/dashboard-store'
import { loadPtys, roughSize, focusTerminal, useTerminals } from '../terminal'
import { useThreadView } from '../../state/thread-view-store'
import { useThreads } from '../../state/threads-store'
import { reportLine } from '../../../shared/import-report'
import { notifyError, notifyInfo, notifySuccess, notifyWarning } from '../../state/notify'
import { continueCommandFor, shortSessionId, sourceLabel } from './handoff-format'
import { previewKey, sessionKey, useHandoff, type SessionSummary } from './handoff-store'

const quoted = (title: string) => `“${title}”`

/** Opens the Import sessions view on a repository: the one given, else the open thread's, else the dashboard's filter. */
export function openImportSessions(repoId?: string): void {
  const nav = useNavigation.getState()
  const shown = nav.view === 'thread' && nav.selectedThreadId ? useThreads.getState().byId[nav.selectedThreadId]?.repoId : undefined
  useDialogs.getState().open({ kind: 'import-sessions', repoId: repoId ?? shown ?? useDashboard.getState().repoId ?? undefined })
}

/** Lists the Claude Code and Codex sessions that ran in a repository's folder (or below it). */
export async function loadSessions(repo: Repo): Promise<void> {
  const { setListing } = useHandoff.getState()
  setListing(repo.id, { loading: true, error: null })
  try {
    const { sessions } = await request('handoff/sessions', { dir: repo.path })
    useHandoff.getState().setListing(repo.id, { sessions, loading: false, error: null })
  } catch (e) {
    useHandoff.getState().setListing(repo.id, { loading: false, error: errorMessage(e) })
  }
}

/** Reads the head of a session for the preview pane, once per version of its file. */
export async function loadPreview(session: SessionSummary): Promise<void> {
  const key = previewKey(session)
  const known = useHandoff.getState().previews[key]
  if (known && known.status !== 'error') return
  useHandoff.getState().setPreview(key, { status: 'loading' })
  try {
    const { title, items, total, report } = await request('handoff/preview', { source: session.source, path: session.path })
    useHandoff.getState().setPreview(key, { status: 'ready', title, items, total, report })
  } catch (e) {
    useHandoff.getState().setPreview(key, { status: 'error', message: errorMessage(e) })
  }
}

/**
 * Imports a session as a thread (or updates the thread it was imported into), then shows that
 * thread's conversation. Returns the core's message when it refused, null on success.
 */
export async function importSession(repoId: string, session: SessionSummary): Promise<string | null> {
  const key = sessionKey(session)
  if (useHandoff.getState().importing) return 'Another session is being imported. Try again in a moment.'
  useHandoff.getState().setImporting(key)
  try {
    const r = await request('handoff/import', { source: session.source, path: session.path })
    const listing = useHandoff.getState().byRepo[repoId]
    if (listing) {
      const sessions = listing.sessions.map((s) => (sessionKey(s) === key ? { ...s, threadId: r.thread.id } : s))
      useHandoff.getState().setListing(repoId, { sessions })
    }
    useThreads.getState().upsert(r.thread)
    useThreadView.getState().setTab(r.thread.id, 'conversation')
    useNavigation.getState().selectThread(r.thread.id)
    const from = `${sourceLabel(session.source)} session ${shortSessionId(session.sessionId)}`
    const what = `${r.created ? 'Imported' : 'Updated'} ${quoted(r.thread.title)}`
    const line = r.created
      ? `${reportLine(r.report)}, from ${from}.`
      : `${r.added} new or changed of ${r.items} items from ${from}: ${reportLine(r.report)}.`
    // Less than the file holds is never a plain success.
    if (r.report.warnings.length) notifyWarning(`${what}, with warnings`, `${line} ${r.report.warnings.join(' ')}`)
    else notifySuccess(what, line)
    return null
  } catch (e) {
    return errorMessage(e)
  } finally {
    useHandoff.getState().setImporting(null)
  }
}

/** Resumes an imported session in its own CLI as the thread's agent terminal, and shows that terminal. */
export async function continueInCli(thread: Thread): Promise<void> {
  const imported = thread.imported
  if (!imported) return
  try {
    const pty = await request('handoff/continue', { threadId: thread.id, ...roughSize() })
    if (!useTerminals.getState().ptysByThread[thread.id]) await loadPtys(thread.id)
    useTerminals.getState().upsert(pty)
    useTerminals.getState().setActive(thread.id, pty.id)
    useNavigation.getState().selectThread(thread.id)
    useThreadView.getState().setTab(thread.id, 'terminal')
    focusTerminal(pty.id)
  } catch (e) {
    notifyError(`Could not continue in ${sourceLabel(imported.source)}`, e)
  }
}

/** Forks a thread into a new worktree thread with a copy of its conversation, and opens the fork. */
export async function forkThread(thread: Thread): Promise<void> {
  try {
    const fork = (await request('thread/fork', { threadId: thread.id })).threads[0]!
    useThreads.getState().upsert(fork)
    useThreadView.getState().setTab(fork.id, 'conversation')
    useNavigation.getState().selectThread(fork.id)
    if (fork.status === 'error')
      notifyError(`${quoted(fork.title)} needs attention`, new Error(fork.statusMessage ?? 'Its worktree could not be created.'))
    else
      notifySuccess(
        `Forked into ${quoted(fork.title)}`,
        `${fork.branch ? `Branch ${fork.branch}, in its own worktree` : 'In its own worktree'}, with a copy of the conversation.`
      )
  } catch (e) {
    notifyError(`Could not fork ${quoted(thread.title)}`, e)
  }
}

/** Copies the command that continues a thread from a terminal, and shows it in a toast. */
export async function copyContinueCommand(thread: Thread): Promise<void> {
  const command = continueCommandFor(thread)
  try {
    await copyText(command)
    notifyInfo('Copied: paste it in a terminal', command)
  } catch (e) {
    notifyError('Could not copy the command', e)
  }
}
