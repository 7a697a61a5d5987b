import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { PermissionMode } from '../../../shared/models'
import { writeFileAtomicSync } from '../store/atomic-write'

/** What a `thread/create` in progress has done so far: written before each step, removed once the thread is saved. */
export interface CreateIntent {
  threadId: string
  repoId: string
  title: string
  baseRef: string
  permissionMode?: PermissionMode
  /** The worktree folder and branch being made (the latest attempt). */
  path?: string
  branch?: string
  startedAt: number
}

/**
 * Records of thread creations in flight (SKEIN_HOME/run/creating/<threadId>.json), so a start-up
 * after a crash knows which worktrees and branches a create left behind. Synchronous writes: the
 * record is on disk before git makes anything.
 */
export class CreateIntents {
  constructor(private readonly dir: string) {}

  /** Writes or replaces a create's record. */
  write(intent: CreateIntent): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 })
    writeFileAtomicSync(join(this.dir, `${intent.threadId}.json`), JSON.stringify(intent))
  }

  /** Forgets a create that finished (or was cleaned up). */
  end(threadId: string): void {
    rmSync(join(this.dir, `${threadId}.json`), { force: true })
  }

  /** Every create that did not finish; unreadable records are skipped. */
  list(): CreateIntent[] {
    let names: string[]
    try {
      names = readdirSync(this.dir).filter((n) => n.endsWith('.json'))
    } catch {
      return []
    }
    const out: CreateIntent[] = []
    for (const name of names) {
      try {
        const v = JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as CreateIntent
        if (v && typeof v.threadId === 'string' && typeof v.repoId === 'string') out.push(v)
      } catch {
        // A record torn by the crash: the folder scan still finds what it made.
      }
    }
    return out
  }
}

/**
 * Test-only: when SKEIN_TEST_PAUSE_CREATE names this point, says so on stderr and never returns,
 * so a test can kill -9 the core at a known step of `thread/create`. Unset in normal use.
 */
export async function pauseForTest(point: string, detail: string): Promise<void> {
  if (process.env.SKEIN_TEST_PAUSE_CREATE !== point) return
  process.stderr.write(`SKEIN_TEST_PAUSED ${point} ${detail}\n`)
  await new Promise<never>(() => undefined)
}
