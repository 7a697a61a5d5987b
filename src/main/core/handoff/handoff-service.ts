import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { appError, ErrorCode } from '../../../shared/errors'
import type { ImportReport, Item, PtyInfo, Thread, Usage } from '../../../shared/models'
import { err, ok, type Result } from '../../../shared/result'
import type { Transcript } from '../agent/transcript'
import type { NotificationBus } from '../notification-bus'
import type { PtyHost } from '../pty/pty-host'
import type { RepoService } from '../repos/repo-service'
import type { ThreadService } from '../threads/thread-service'
import { continueArgv, continueCommand } from './continue-command'
import { sourceLabel, type SessionSource } from './import-types'
import { lastSession, listSessions, sessionFiles, sessionsInDirectory, type SessionSummary } from './session-discovery'
import { importSession } from './session-import'

/** A session on disk, and the thread it was imported into (null when it was not). */
export type ListedSession = SessionSummary & { threadId: string | null }

/** Which session to import: a file, an id, or the latest one that ran in a folder. */
export interface ImportRequest {
  source?: SessionSource
  sessionId?: string
  path?: string
  /** The latest session that ran in `cwd` (or below it). */
  last?: boolean
  cwd?: string
}

/** What the handoff needs from the rest of the core. */
export interface HandoffDeps {
  repos: RepoService
  threads: ThreadService
  transcript: Transcript
  ptys: PtyHost
  bus: NotificationBus
  /** Where ~/.claude and ~/.codex are; the environment for CLAUDE_CONFIG_DIR and CODEX_HOME. */
  home?: string
  env?: NodeJS.ProcessEnv
}

const PREVIEW_ITEMS = 40

/**
 * Brings Claude Code and Codex CLI sessions into Skein: lists them, imports one as a local thread
 * in the repository it ran in (again: the same thread, updated), and continues it in its CLI.
 */
export class HandoffService {
  constructor(private readonly deps: HandoffDeps) {}

  private discovery(sources?: readonly SessionSource[]) {
    return { home: this.deps.home ?? homedir(), env: this.deps.env ?? process.env, sources }
  }

  private threadFor(source: SessionSource, sessionId: string): Thread | undefined {
    return this.deps.threads
      .list({ includeArchived: true })
      .find((t) => t.imported?.source === source && t.imported.sessionId === sessionId)
  }

  /** The sessions on disk (in `dir` or below when given), newest first, marked when already imported. */
  async list(o: { dir?: string; source?: SessionSource } = {}): Promise<ListedSession[]> {
    let sessions = await listSessions(this.discovery(o.source ? [o.source] : undefined))
    if (o.dir) sessions = await sessionsInDirectory(sessions, o.dir)
    const imported = new Map<string, string>()
    for (const t of this.deps.threads.list({ includeArchived: true }))
      if (t.imported) imported.set(`${t.imported.source}:${t.imported.sessionId}`, t.id)
    return sessions.map((s) => ({ ...s, threadId: imported.get(`${s.source}:${s.sessionId}`) ?? null }))
  }

  /** The first items of a session, to look at before importing it. */
  async preview(
    source: SessionSource,
    path: string
  ): Promise<Result<{ title: string; items: Item[]; total: number; report: ImportReport }>> {
    const r = await importSession(source, path, { threadId: 'preview' })
    if (!r.ok) return r
    return ok({ title: r.value.title, items: r.value.items.slice(0, PREVIEW_ITEMS), total: r.value.items.length, report: r.value.report })
  }

  private async resolve(req: ImportRequest): Promise<Result<{ source: SessionSource; path: string; sessionId: string | null }>> {
    if (req.path) {
      const source = req.source ?? (/[\\/]rollout-[^\\/]*\.jsonl$/.test(req.path) ? 'codex' : 'claude')
      return ok({ source, path: req.path, sessionId: null })
    }
    const sessions = await this.list({ source: req.source })
    if (req.sessionId) {
      const s = sessions.find((x) => x.sessionId === req.sessionId)
      // A file with that id that lists as nothing (a summary only, no folder) is still that session:
      // importing it says what it holds, rather than that it does not exist.
      const file = s
        ? null
        : (await sessionFiles(this.discovery(req.source ? [req.source] : undefined))).find((f) => sessionIdOfFile(f.path) === req.sessionId)
      if (file) return ok({ source: file.source, path: file.path, sessionId: req.sessionId })
      if (!s)
        return err(
          appError(
            ErrorCode.SessionNotFound,
            `No ${req.source ? sourceLabel(req.source) : 'Claude Code or Codex'} session with id ${req.sessionId} was found on this machine.`
          )
        )
      return ok({ source: s.source, path: s.path, sessionId: s.sessionId })
    }
    if (!req.cwd) return err(appError(ErrorCode.InvalidParams, 'Say which session: a session id, a file, or "last" with a folder.'))
    const s = await lastSession(sessions, req.cwd)
    if (!s)
      return err(
        appError(
          ErrorCode.SessionNotFound,
          `No ${req.source ? sourceLabel(req.source) : 'Claude Code or Codex'} session ran in ${req.cwd} (looked in ~/.claude/projects and ~/.codex/sessions).`
        )
      )
    return ok({ source: s.source, path: s.path, sessionId: s.sessionId })
  }

  /** Imports a session as a local thread of its repository, or updates the thread it was imported into before. */
  async import(
    req: ImportRequest
  ): Promise<Result<{ thread: Thread; created: boolean; items: number; added: number; malformed: number; report: ImportReport }>> {
    const found = await this.resolve(req)
    if (!found.ok) return found
    const { source, path } = found.value
    // Items are read before the thread exists; their threadId is filled in once it does.
    const read = await importSession(source, path, { threadId: '' })
    if (!read.ok) return read
    const session = read.value
    const cwd = session.cwd ?? req.cwd
    if (!cwd)
      return err(
        appError(
          ErrorCode.Unsupported,
          `The ${sourceLabel(source)} session in ${path} does not say which folder it ran in, so it cannot be tied to a repository.`
        )
      )
    if (!existsSync(cwd))
      return err(
        appError(
          ErrorCode.PathNotFound,
          `The ${sourceLabel(source)} session ran in ${cwd}, which does not exist any more. Restore that folder (or clone the repository there) and import again.`
        )
      )
    const repo = await this.deps.repos.add(cwd)
    if (!repo.ok) return err(appError(repo.error.code, `The session ran in ${cwd}: ${repo.error.message}`))
    const imported = {
      source,
      sessionId: session.sessionId,
      cwd,
      path,
      importedAt: Date.now(),
      resumeCommand: continueCommand(source, session.sessionId, cwd),
      report: session.report,
      ...(session.usage ? { usage: session.usage } : {})
    }
    let thread = this.threadFor(source, session.sessionId)
    const created = !thread
    if (!thread) {
      const made = await this.deps.threads.create({ repoId: repo.value.id, title: session.title, mode: 'local', imported })
      if (!made.ok) return made
      thread = made.value
    }
    const known = new Map((await this.deps.transcript.items(thread.id)).map((i) => [i.id, JSON.stringify(i)]))
    let added = 0
    for (const raw of session.items) {
      const item: Item = { ...raw, threadId: thread.id, imported: true }
      if (known.get(item.id) === JSON.stringify(item)) continue
      await this.deps.transcript.save(item)
      this.deps.bus.publish('item/completed', { item, added: !known.has(item.id) })
      added++
    }
    // A session of hundreds of MB is indexed while importing, not at the first open of its thread.
    // A log that cannot be indexed now says so when its thread is opened.
    if (added > 0) await this.deps.transcript.indexNow(thread.id).catch(() => undefined)
    if (!created && thread.title !== session.title && session.title) {
      const renamed = await this.deps.threads.rename(thread.id, session.title)
      if (renamed.ok) thread = renamed.value
    }
    const before = thread.imported?.usage
    if (!created) {
      // The thread keeps the latest import's report, so the app shows what this import brought in.
      const updated = await this.deps.threads.setImported(thread.id, imported)
      if (updated.ok) thread = updated.value
    }
    // The thread's usage counts the session's (what was imported before is replaced, not added twice).
    const usage = withImportedUsage(thread.conversation.usage, created ? undefined : before, session.usage)
    if (usage) thread = (await this.deps.threads.updateConversation(thread.id, { usage }, null)) ?? thread
    return ok({ thread, created, items: session.items.length, added, malformed: session.stats.malformed, report: session.report })
  }

  /** Continues an imported session in its own CLI, in the thread's terminal, where the session ran. */
  async continueInCli(threadId: string, size: { cols: number; rows: number }): Promise<Result<PtyInfo>> {
    const found = await this.deps.threads.get(threadId)
    if (!found.ok) return found
    const t = found.value
    if (!t.imported)
      return err(
        appError(
          ErrorCode.InvalidThreadState,
          `"${t.title}" was not imported from a CLI session; open a terminal or an agent in it instead.`
        )
      )
    const { args, cwd } = continueArgv(t.imported.source, t.imported.sessionId, t.imported.cwd)
    return this.deps.ptys.open(threadId, { kind: 'agent', profileId: t.imported.source, resume: { args, cwd }, ...size })
  }
}

/** The session id a session file is named for: `<id>.jsonl` (Claude Code) or `rollout-<time>-<id>.jsonl` (Codex). */
function sessionIdOfFile(path: string): string {
  const name = path
    .split(/[\\/]/)
    .pop()!
    .replace(/\.jsonl$/, '')
  return /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(name)?.[1] ?? name
}

/** A thread's usage with the imported session's in place of what an earlier import counted; null when nothing changes. */
function withImportedUsage(current: Usage, before: Usage | undefined, now: Usage | undefined): Usage | null {
  if (!now && !before) return null
  const minus = before ?? { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, costUsd: 0 }
  const plus = now ?? { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, costUsd: 0 }
  const cost =
    current.costUsd === null || minus.costUsd === null || plus.costUsd === null ? null : current.costUsd - minus.costUsd + plus.costUsd
  return {
    input: current.input - minus.input + plus.input,
    output: current.output - minus.output + plus.output,
    cacheRead: current.cacheRead - minus.cacheRead + plus.cacheRead,
    cacheWrite: current.cacheWrite - minus.cacheWrite + plus.cacheWrite,
    costUsd: cost
  }
}
