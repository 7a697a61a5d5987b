import type { Thread } from '../../../shared/models'
import { useDialogs } from '../../state/dialogs-store'
import { useNavigation } from '../../state/navigation-store'
import { copyText } from '../../ui/clipboard'
import { openMenu, type MenuEntry } from '../../ui/menu-store'
import { continueInCli, copyContinueCommand, forkThread, sourceLabel } from '../handoff'
import { requestMenuEntry } from '../pr'
import { notifyError, notifyInfo } from '../../state/notify'
import { archiveThread, restoreThread } from '../../state/thread-actions'
import { canRecreateWorktree, isArchived, workingCopy } from '../../state/threads-store'

async function copy(label: string, text: string): Promise<void> {
  try {
    await copyText(text)
    notifyInfo(`Copied ${label}`, text)
  } catch (e) {
    notifyError(`Could not copy ${label}`, e)
  }
}

/** The actions offered for a thread, in the context menu and the "…" button. */
export function threadMenuEntries(thread: Thread): MenuEntry[] {
  const dialogs = useDialogs.getState()
  const archived = isArchived(thread)
  const entries: MenuEntry[] = [
    { label: 'Open', icon: 'open', onSelect: () => useNavigation.getState().selectThread(thread.id) },
    { label: 'Rename…', icon: 'pencil', onSelect: () => dialogs.open({ kind: 'rename-thread', threadId: thread.id }) },
    archived
      ? { label: 'Restore', icon: 'restore', onSelect: () => void restoreThread(thread) }
      : { label: 'Archive', icon: 'archive', onSelect: () => void archiveThread(thread) },
    ...(canRecreateWorktree(thread)
      ? [{ label: 'Recreate worktree', icon: 'restore', onSelect: () => void restoreThread(thread) } satisfies MenuEntry]
      : []),
    { kind: 'separator' },
    { label: 'Continue in terminal', icon: 'terminal', onSelect: () => void copyContinueCommand(thread) }
  ]
  const imported = thread.imported
  if (imported && !archived)
    entries.push({ label: `Continue in ${sourceLabel(imported.source)}`, icon: 'open', onSelect: () => void continueInCli(thread) })
  if (!archived) entries.push({ label: 'Fork into worktree', icon: 'fork', onSelect: () => void forkThread(thread) })
  const request = requestMenuEntry(thread)
  if (request) entries.push(request)
  entries.push({ kind: 'separator' })
  const where = workingCopy(thread)
  if (where.path) {
    const path = where.path
    const what = `${where.label.toLowerCase()} path`
    entries.push({ label: `Copy ${what}`, icon: 'copy', onSelect: () => void copy(what, path) })
  }
  if (thread.branch) {
    const branch = thread.branch
    entries.push({ label: 'Copy branch name', icon: 'branch', onSelect: () => void copy('branch name', branch) })
  }
  entries.push(
    { kind: 'separator' },
    { label: 'Delete…', icon: 'trash', danger: true, onSelect: () => dialogs.open({ kind: 'delete-thread', threadId: thread.id }) }
  )
  return entries
}

/** Opens the thread menu at the pointer or under a "…" button. */
export function openThreadMenu(
  thread: Thread,
  at: { anchor: HTMLElement } | { x: number; y: number },
  returnFocus?: HTMLElement | null
): void {
  openMenu(`Actions for ${thread.title}`, threadMenuEntries(thread), at, returnFocus)
}
