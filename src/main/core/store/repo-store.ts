import { rename } from 'node:fs/promises'
import { readFile } from 'node:fs/promises'
import type { Repo } from '../../../shared/models'
import { err, ok, type Result } from '../../../shared/result'
import type { Logger } from '../logger'
import { writeFileAtomic } from './atomic-write'
import type { DataDir } from './data-dir'
import { storageError } from './fs-error'

interface ReposFile {
  version: 1
  repos: Repo[]
}

/** repos.json: the repositories the user added, written atomically. */
export class RepoStore {
  private repos: Repo[] = []

  private constructor(
    private readonly dir: DataDir,
    private readonly logger: Logger
  ) {}

  /** Loads repos.json; a corrupt file is kept aside and the list recovered from `recover`. */
  static async open(dir: DataDir, logger: Logger, recover: () => Promise<Repo[]>): Promise<RepoStore> {
    const store = new RepoStore(dir, logger)
    let text: string | null = null
    try {
      text = await readFile(dir.reposFile, 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') logger.warn(`Could not read ${dir.reposFile}: ${String(e)}`)
    }
    if (text !== null) {
      try {
        const parsed = JSON.parse(text) as ReposFile
        if (!Array.isArray(parsed?.repos)) throw new Error('unexpected shape')
        store.repos = parsed.repos.filter((r) => r && typeof r.id === 'string' && typeof r.path === 'string')
        return store
      } catch (e) {
        const aside = `${dir.reposFile}.corrupt-${Date.now()}`
        await rename(dir.reposFile, aside).catch(() => undefined)
        logger.warn(
          `${dir.reposFile} is corrupt (${(e as Error).message}); kept it as ${aside} and recovered the list from the thread logs.`
        )
      }
    }
    const recovered = await recover()
    if (recovered.length > 0) {
      store.repos = recovered
      await store.save()
    }
    return store
  }

  /** Every repository, in the order added. */
  list(): Repo[] {
    return [...this.repos]
  }

  /** One repository, or undefined. */
  get(id: string): Repo | undefined {
    return this.repos.find((r) => r.id === id)
  }

  /** Adds a repository and saves the file. */
  async add(repo: Repo): Promise<Result<Repo>> {
    const next = [...this.repos.filter((r) => r.id !== repo.id), repo]
    const saved = await this.write(next)
    return saved.ok ? ok(repo) : saved
  }

  /** Removes a repository and saves the file. */
  async remove(id: string): Promise<Result<void>> {
    return this.write(this.repos.filter((r) => r.id !== id))
  }

  private async write(next: Repo[]): Promise<Result<void>> {
    try {
      await writeFileAtomic(this.dir.reposFile, JSON.stringify({ version: 1, repos: next } satisfies ReposFile, null, 2))
      this.repos = next
      return ok(undefined)
    } catch (e) {
      return err(storageError(e, this.dir.reposFile, 'save the repository list'))
    }
  }

  private async save(): Promise<void> {
    const r = await this.write(this.repos)
    if (!r.ok) this.logger.warn(r.error.message)
  }
}
