import { create } from 'zustand'
import type { Repo } from '../../shared/models'
import { without } from '../lib/record'

interface ReposState {
  /** Every repository the core knows, by id. */
  byId: Record<string, Repo>
  /** True once the first `repo/list` arrived. */
  loaded: boolean
  replaceAll: (repos: Repo[]) => void
  upsert: (repo: Repo) => void
  remove: (repoId: string) => void
}

/** Repositories, fed by `repo/list` and the `repo/updated` / `repo/removed` notifications. */
export const useRepos = create<ReposState>()((set) => ({
  byId: {},
  loaded: false,
  replaceAll: (repos) => set({ byId: Object.fromEntries(repos.map((r) => [r.id, r])), loaded: true }),
  upsert: (repo) => set((s) => ({ byId: { ...s.byId, [repo.id]: repo } })),
  remove: (repoId) =>
    set((s) => {
      const byId = without(s.byId, repoId)
      return byId === s.byId ? s : { byId }
    })
}))

/** Repositories in sidebar order: by name, then by when they were added. */
export function sortRepos(byId: Record<string, Repo>): Repo[] {
  return Object.values(byId).sort(
    (a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true }) || a.addedAt - b.addedAt
  )
}
