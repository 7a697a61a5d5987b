import { createHash } from 'node:crypto'
import { realpath, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { basename, resolve } from 'node:path'
import { appError, ErrorCode } from '../../../shared/errors'
import type { Repo } from '../../../shared/models'
import { err, ok, type Result } from '../../../shared/result'
import { listBranches } from '../git/branches'
import type { GitRunner } from '../git/git-runner'
import { readHeadBranch } from '../git/head-branch'
import { readRepoInfo } from '../git/repo-info'
import type { NotificationBus } from '../notification-bus'
import type { RepoStore } from '../store/repo-store'
import { slugify } from '../threads/slug'

/** Expands `~` and makes a path absolute. */
export function normalizeUserPath(input: string): string {
  const trimmed = input.trim()
  if (trimmed === '~') return homedir()
  if (trimmed.startsWith('~/')) return resolve(homedir(), trimmed.slice(2))
  return resolve(trimmed)
}

/** A stable id for a repository: readable name plus a hash of its real path. */
export function repoIdFor(root: string): string {
  return `${slugify(basename(root), 'repo')}-${createHash('sha256').update(root).digest('hex').slice(0, 8)}`
}

/** Adds, lists and removes repositories. */
export class RepoService {
  constructor(
    private readonly git: GitRunner,
    private readonly store: RepoStore,
    private readonly bus: NotificationBus,
    private readonly liveThreadCount: (repoId: string) => number
  ) {}

  /** Every repository. */
  list(): Repo[] {
    return this.store.list()
  }

  /** One repository by id, or a RepoNotFound error. */
  get(id: string): Result<Repo> {
    const repo = this.store.get(id)
    return repo ? ok(repo) : err(appError(ErrorCode.RepoNotFound, `No repository with id ${id}. It may have been removed.`))
  }

  /** Adds the repository holding `input`; the same repository reached another way yields the same repo. */
  async add(input: string): Promise<Result<Repo>> {
    const path = normalizeUserPath(input)
    let isDir: boolean
    try {
      isDir = (await stat(path)).isDirectory()
    } catch {
      return err(appError(ErrorCode.PathNotFound, `No folder exists at ${path}. Check the path and try again.`, { path }))
    }
    if (!isDir) {
      return err(appError(ErrorCode.NotADirectory, `${path} is a file, not a folder. Choose the repository's folder.`, { path }))
    }
    const real = await realpath(path)
    const info = await readRepoInfo(this.git, real)
    if (info.kind === 'bare') {
      return err(
        appError(
          ErrorCode.BareRepository,
          `${path} is a bare repository: it has no working files to run agents in. Add a regular clone of it instead.`,
          { path }
        )
      )
    }
    if (info.kind === 'not-a-repo') {
      const hint = /dubious ownership/.test(info.detail)
        ? ` Git refused it: ${info.detail}`
        : ' Run `git init` there first, or choose the folder of a clone.'
      return err(appError(ErrorCode.NotAGitRepository, `${path} is not a git repository.${hint}`, { path }))
    }
    const root = await realpath(info.root)
    const id = repoIdFor(root)
    const existing = this.store.get(id)
    if (existing) return ok(existing)
    const repo: Repo = { id, name: basename(root), path: root, addedAt: Date.now() }
    const saved = await this.store.add(repo)
    if (saved.ok) this.bus.publish('repo/updated', { repo })
    return saved
  }

  /** Removes a repository from Skein (never touches its files); refused while it has live threads. */
  async remove(id: string): Promise<Result<void>> {
    const repo = this.get(id)
    if (!repo.ok) return repo
    const live = this.liveThreadCount(id)
    if (live > 0) {
      return err(
        appError(
          ErrorCode.RepoHasThreads,
          `${repo.value.name} still has ${live} active thread${live === 1 ? '' : 's'}. Archive or delete ${live === 1 ? 'it' : 'them'} first.`
        )
      )
    }
    const removed = await this.store.remove(id)
    if (removed.ok) this.bus.publish('repo/removed', { repoId: id })
    return removed
  }

  /** Branch names for base-ref completion, and the branch the checkout is on. */
  async branches(id: string): Promise<Result<{ current: string | null; branches: string[] }>> {
    const repo = this.get(id)
    if (!repo.ok) return repo
    try {
      const info = await readRepoInfo(this.git, repo.value.path)
      if (info.kind !== 'repo') return err(appError(ErrorCode.NotAGitRepository, `${repo.value.path} is no longer a git repository.`))
      const [current, branches] = await Promise.all([
        readHeadBranch(this.git, info.root, info.commonDir),
        listBranches(this.git, info.root)
      ])
      return ok({ current, branches })
    } catch (e) {
      return err(appError(ErrorCode.GitFailed, `Could not list branches of ${repo.value.name}: ${(e as Error).message}`))
    }
  }
}
