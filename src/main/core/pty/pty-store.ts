import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { PtyInfo } from '../../../shared/models'
import { PtyInfo as PtyInfoSchema } from '../../../shared/models'
import { writeFileAtomic } from '../store/atomic-write'
import type { DataDir } from '../store/data-dir'

/** How many ended sessions a thread keeps on disk (the oldest go first). */
export const ENDED_SESSIONS_KEPT = 20

/** Terminal sessions on disk: threads/<thread>/ptys/<pty>.json (what it was) and .log (its scrollback). */
export class PtyStore {
  constructor(private readonly dir: DataDir) {}

  private folder(threadId: string): string {
    return join(this.dir.threadDir(threadId), 'ptys')
  }

  /** Records a session's description. */
  async saveInfo(info: PtyInfo): Promise<void> {
    await mkdir(this.folder(info.threadId), { recursive: true, mode: 0o700 })
    await writeFileAtomic(join(this.folder(info.threadId), `${info.id}.json`), JSON.stringify(info))
  }

  /** Replaces a session's saved scrollback. */
  async saveScrollback(threadId: string, ptyId: string, text: string): Promise<void> {
    await mkdir(this.folder(threadId), { recursive: true, mode: 0o700 })
    // Scrollback is a cache: no fsync, so a flooding terminal does not flood the disk with flushes.
    await writeFileAtomic(join(this.folder(threadId), `${ptyId}.log`), text, { durable: false })
  }

  /** The saved scrollback of a session, or '' when none was saved. */
  async readScrollback(threadId: string, ptyId: string): Promise<string> {
    return readFile(join(this.folder(threadId), `${ptyId}.log`), 'utf8').catch(() => '')
  }

  /** Every session of a thread recorded on disk, oldest first. Unreadable files are skipped. */
  async list(threadId: string): Promise<PtyInfo[]> {
    const names = await readdir(this.folder(threadId)).catch(() => [] as string[])
    const infos: PtyInfo[] = []
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      try {
        const parsed = PtyInfoSchema.safeParse(JSON.parse(await readFile(join(this.folder(threadId), name), 'utf8')))
        if (parsed.success) infos.push(parsed.data)
      } catch {
        // a torn file: the session is simply not listed
      }
    }
    return infos.sort((a, b) => a.startedAt - b.startedAt)
  }

  /** Drops the oldest ended sessions beyond the kept number. */
  async prune(threadId: string, liveIds: ReadonlySet<string>): Promise<void> {
    const ended = (await this.list(threadId)).filter((p) => !liveIds.has(p.id) && p.state === 'exited')
    for (const old of ended.slice(0, Math.max(0, ended.length - ENDED_SESSIONS_KEPT))) await this.remove(threadId, old.id)
  }

  /** Forgets an ended session: its description and scrollback. */
  async remove(threadId: string, ptyId: string): Promise<void> {
    await rm(join(this.folder(threadId), `${ptyId}.json`), { force: true })
    await rm(join(this.folder(threadId), `${ptyId}.log`), { force: true })
  }

  /** Marks a session that was running when Skein stopped as ended by the restart. */
  async markEndedByRestart(info: PtyInfo): Promise<PtyInfo> {
    const ended: PtyInfo = {
      ...info,
      state: 'exited',
      endedAt: info.endedAt ?? Date.now(),
      endedByRestart: true,
      pid: null,
      agentCommand: null
    }
    await writeFile(join(this.folder(info.threadId), `${info.id}.json`), JSON.stringify(ended), { mode: 0o600 }).catch(() => undefined)
    return ended
  }
}

/** The line shown under the output of a session that is no longer running. */
export function sessionEndedMarker(info: PtyInfo): string {
  const why = info.endedByRestart
    ? 'session ended when Skein quit'
    : info.signal
      ? `session ended (signal ${info.signal})`
      : `session ended (exit code ${info.exitCode ?? '?'})`
  return `\r\n\x1b[0m\x1b[2m──── ${why} ────\x1b[0m\r\n`
}
