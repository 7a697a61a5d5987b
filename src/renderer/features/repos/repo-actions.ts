import type { Repo } from '../../../shared/models'
import { request } from '../../state/rpc'
import { useDialogs } from '../../state/dialogs-store'
import { copyText } from '../../ui/clipboard'
import { openMenu, type MenuEntry } from '../../ui/menu-store'
import { notifyError, notifyInfo, notifySuccess } from '../../state/notify'
import { useThreads } from '../../state/threads-store'
import { useRepos } from '../../state/repos-store'

/** Adds a repository by path; rejects with the core's error (shown inline by the dialog). */
export async function addRepo(path: string): Promise<Repo> {
  const repo = await request('repo/add', { path })
  useRepos.getState().upsert(repo)
  return repo
}

/** Removes a repository from Skein (files on disk are untouched); the core refuses while it has threads. */
export async function removeRepo(repo: Repo): Promise<void> {
  try {
    await request('repo/remove', { repoId: repo.id })
    useRepos.getState().remove(repo.id)
    useThreads.getState().removeByRepo(repo.id)
    notifySuccess(`Removed ${repo.name}`, 'The folder on disk was not touched.', {
      label: 'Undo',
      run: () => {
        addRepo(repo.path).catch((e) => notifyError(`Could not add ${repo.name} back`, e))
      }
    })
  } catch (e) {
    notifyError(`Could not remove ${repo.name}`, e)
  }
}

/** The actions offered on a repository header. */
export function repoMenuEntries(repo: Repo): MenuEntry[] {
  return [
    { label: 'New thread here…', icon: 'plus', onSelect: () => useDialogs.getState().open({ kind: 'new-thread', repoId: repo.id }) },
    {
      label: 'Import sessions…',
      icon: 'download',
      onSelect: () => useDialogs.getState().open({ kind: 'import-sessions', repoId: repo.id })
    },
    {
      label: 'Copy path',
      icon: 'copy',
      onSelect: () => {
        copyText(repo.path).then(
          () => notifyInfo('Copied path', repo.path),
          (e) => notifyError('Could not copy the path', e)
        )
      }
    },
    { label: 'Agent settings…', icon: 'terminal', onSelect: () => useDialogs.getState().open({ kind: 'agent-settings', repoId: repo.id }) },
    { label: 'Environment…', icon: 'settings', onSelect: () => useDialogs.getState().open({ kind: 'environment', repoId: repo.id }) },
    { label: 'Disk use and clean up…', icon: 'folder', onSelect: () => useDialogs.getState().open({ kind: 'disk', repoId: repo.id }) },
    { kind: 'separator' },
    { label: 'Remove repository', icon: 'trash', danger: true, onSelect: () => void removeRepo(repo) }
  ]
}

/** Opens the repository menu at the pointer or under a "…" button. */
export function openRepoMenu(repo: Repo, at: { anchor: HTMLElement } | { x: number; y: number }, returnFocus?: HTMLElement | null): void {
  openMenu(`Actions for ${repo.name}`, repoMenuEntries(repo), at, returnFocus)
}
