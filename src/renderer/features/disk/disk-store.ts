import { create } from 'zustand'
import type { RepoDisk, WorktreeDisk } from '../../../shared/disk'

interface DiskState {
  /** Each repository's disk use as last measured, by repository id. */
  byRepo: Record<string, RepoDisk>
  replaceAll: (repos: RepoDisk[]) => void
  put: (repo: RepoDisk) => void
}

/** Disk use by repository, fed by `disk/usage` on connect and `disk/updated` after. */
export const useDisk = create<DiskState>()((set) => ({
  byRepo: {},
  replaceAll: (repos) => set({ byRepo: Object.fromEntries(repos.map((r) => [r.repoId, r])) }),
  put: (repo) => set((s) => ({ byRepo: { ...s.byRepo, [repo.repoId]: repo } }))
}))

/** A repository's disk use, or undefined before the first figures arrive. */
export const useRepoDisk = (repoId: string): RepoDisk | undefined => useDisk((s) => s.byRepo[repoId])

/** One thread's worktree figures, or undefined while it has none (not measured yet, local, archived). */
export const useWorktreeDisk = (repoId: string, threadId: string): WorktreeDisk | undefined =>
  useDisk((s) => s.byRepo[repoId]?.worktrees.find((w) => w.threadId === threadId))
