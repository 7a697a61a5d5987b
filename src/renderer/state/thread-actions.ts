import type { Thread } from '../../shared/models'
import { errorMessage, request } from './rpc'
import { useNavigation } from './navigation-store'
import { leftOutLines } from '../../shared/archive-report'
import { notifyError, notifyInfo, notifySuccess, notifyWarning } from './notify'
import { useThreads } from './threads-store'

const quoted = (t: Thread) => `“${t.title}”`

/**
 * Renames a thread; returns the core's error message on failure, null on success.
 * Failures are toasted unless the caller shows them inline (`{ inline: true }`, as the rename dialog does).
 */
export async function renameThread(thread: Thread, title: string, o: { inline?: boolean } = {}): Promise<string | null> {
  const next = title.trim()
  if (!next || next === thread.title) return null
  try {
    useThreads.getState().upsert(await request('thread/rename', { threadId: thread.id, title: next }))
    return null
  } catch (e) {
    if (!o.inline) notifyError(`Could not rename ${quoted(thread)}`, e)
    return errorMessage(e)
  }
}

/** Archives a thread (the core snapshots its work first) and offers an undo. */
export async function archiveThread(thread: Thread): Promise<void> {
  try {
    const archived = await request('thread/archive', { threadId: thread.id })
    useThreads.getState().upsert(archived)
    const undo = { label: 'Undo', run: () => void restoreThread(thread) }
    const leftOut = archived.archiveReport ? leftOutLines(archived.archiveReport) : []
    if (leftOut.length) notifyWarning(`Archived ${quoted(thread)}, leaving out what can be regenerated`, leftOut.join('\n'), undo)
    else notifySuccess(`Archived ${quoted(thread)}`, undefined, undo)
  } catch (e) {
    notifyError(`Could not archive ${quoted(thread)}`, e)
  }
}

/** Brings an archived thread back to the live list. */
export async function restoreThread(thread: Thread): Promise<void> {
  try {
    const restored = await request('thread/restore', { threadId: thread.id })
    useThreads.getState().upsert(restored)
    notifySuccess(`Restored ${quoted(thread)}`)
    if (restored.status === 'error' && restored.statusMessage) {
      notifyError(`${quoted(thread)} needs attention`, new Error(restored.statusMessage))
    }
  } catch (e) {
    notifyError(`Could not restore ${quoted(thread)}`, e)
  }
}

/** Deletes a thread (the core saves uncommitted work to a snapshot ref first). Returns true on success. */
export async function deleteThread(thread: Thread): Promise<boolean> {
  try {
    await request('thread/delete', { threadId: thread.id })
    useThreads.getState().remove(thread.id)
    useNavigation.getState().forgetThread(thread.id)
    notifyInfo(`Deleted ${quoted(thread)}`)
    return true
  } catch (e) {
    notifyError(`Could not delete ${quoted(thread)}`, e)
    return false
  }
}
