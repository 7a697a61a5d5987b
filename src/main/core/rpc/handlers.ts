import { err, ok } from '../../../shared/result'
import type { AgentService } from '../agent/agent-service'
import type { AgentDelivery } from '../agent/send-to-agent'
import type { SecretCipher } from '../agent/api-key-store'
import type { ProfileService } from '../agents/profile-service'
import type { PtyHost } from '../pty/pty-host'
import { DEFAULT_PORTS_PER_THREAD, type PortRanges } from '../ports/port-ranges'
import type { RunService } from '../run/run-service'
import type { SettingsStore } from '../store/settings-store'
import type { RepoService } from '../repos/repo-service'
import type { HandoffService } from '../handoff/handoff-service'
import type { CiHost } from '../ci/ci-host'
import type { DiskService } from '../disk/disk-service'
import { planCleanup, runCleanup, type CleanupDeps } from '../disk/disk-cleanup'
import type { Transcript } from '../agent/transcript'
import type { ThreadStore } from '../store/thread-store'
import type { CheckpointService } from '../checkpoints/checkpoint-service'
import type { ForkRequest } from '../checkpoints/fork'
import type { RewindOutcome, RewindRequest } from '../checkpoints/rewind'
import type { Result } from '../../../shared/result'
import type { Thread } from '../../../shared/models'
import type { ChangeWatchService } from '../review/change-watch'
import type { ReviewService } from '../review/review-service'
import type { SummaryService } from '../summary/summary-service'
import type { ThreadService } from '../threads/thread-service'
import { archivedFilter, lazyCiFailed, type ThreadPageQuery } from '../threads/thread-pages'
import type { EnvironmentService } from '../environment/environment-service'
import type { NotificationBus } from '../notification-bus'
import { appError, ErrorCode } from '../../../shared/errors'
import type { MethodName } from '../../../shared/methods'
import type { EnvironmentInput } from '../../../shared/environment'
import type { Handler, RpcServer } from './rpc-server'

/** What the process hosting the core can do beyond the core itself (Electron adds a folder picker). */
export interface CoreHost {
  pickFolder?: (title?: string) => Promise<string | null>
  /** Protects an API key entered in Settings (Electron's safeStorage). */
  secrets?: SecretCipher
}

/** Everything the handlers reach. */
export interface HandlerDeps {
  version: string
  home: string
  repos: RepoService
  threads: ThreadService
  ptys: PtyHost
  ports: PortRanges
  run: RunService
  settings: SettingsStore
  profiles: ProfileService
  agent: AgentService
  /** How text reaches a thread's agent (the built-in agent's first prompt goes this way). */
  delivery: AgentDelivery
  review: ReviewService
  reviewWatch: ChangeWatchService
  summaries: SummaryService
  handoff: HandoffService
  ci: CiHost
  disk: DiskService
  /** What cleanup reaches (the disk service's folders and the threads). */
  cleanup: CleanupDeps
  transcript: Transcript
  host: CoreHost
  /** The browser-mode address, once a server listens. */
  webUrl: () => string | null
  /** What the core cleaned up at start (processes, interrupted creates), for every window to show once. */
  notices: () => string[]
  bus: NotificationBus
  environment: EnvironmentService
  checkpoints: CheckpointService
  fork(o: ForkRequest): Promise<Result<{ threads: Thread[] }>>
  rewind(o: RewindRequest): Promise<Result<RewindOutcome>>
  /** Whether the archived threads are loaded yet (they load just after the start), and a wait for them. */
  store: Pick<ThreadStore, 'complete' | 'whenComplete'>
}

const done = <E>(r: { ok: true } | { ok: false; error: E }) => (r.ok ? ok({ ok: true as const }) : r)

// Releasing a thread that is gone is not an error (a window closes a thread's view after it was deleted).
const RELEASES: ReadonlySet<MethodName> = new Set<MethodName>(['thread/setViewing', 'review/unwatch'])
// Listing filtered by a repository that is gone is just an empty or default answer.
const REPO_FILTERS: ReadonlySet<MethodName> = new Set<MethodName>(['thread/list', 'thread/counts', 'profile/list'])
// What a window asks first answers before the archived threads are loaded; everything else waits for them.
const EARLY: ReadonlySet<MethodName> = new Set<MethodName>(['core/hello', 'repo/list'])
const early = (method: MethodName, p: unknown): boolean =>
  EARLY.has(method) || (method === 'thread/list' && archivedFilter(p as ThreadPageQuery) === 'exclude')

/** Wires every protocol method to its service. */
export function registerHandlers(rpc: RpcServer, d: HandlerDeps): void {
  // Ids reach the store as folder names, so only ids of threads the store holds get past here.
  const handle = <M extends MethodName>(method: M, handler: Handler<M>): void =>
    rpc.handle(method, async (p, c) => {
      if (!d.store.complete && !early(method, p)) await d.store.whenComplete()
      const threadId = (p as { threadId?: unknown }).threadId
      if (typeof threadId === 'string' && !RELEASES.has(method)) {
        const found = d.threads.find(threadId)
        if (!found.ok) return found
      }
      // Settings are keyed by repository id: an unknown one would be stored for nothing, without end.
      const repoId = (p as { repoId?: unknown }).repoId
      if (typeof repoId === 'string' && !REPO_FILTERS.has(method)) {
        const found = d.repos.get(repoId)
        if (!found.ok) return found
      }
      return handler(p, c)
    })
  const viewerHooked = new Set<string>()
  const windows = new Set<string>()
  handle('core/hello', (p, c) => {
    if (p.client === 'ui' && !windows.has(c.id)) {
      windows.add(c.id)
      c.onClose(() => windows.delete(c.id))
    }
    return ok({
      version: d.version,
      home: d.home,
      platform: process.platform,
      capabilities: { pickFolder: Boolean(d.host.pickFolder) },
      webUrl: d.webUrl(),
      pid: process.pid,
      notices: d.notices()
    })
  })
  handle('app/focus', async (p) => {
    if (p.threadId) {
      const t = await d.threads.get(p.threadId)
      if (!t.ok) return t
      d.bus.publish('app/focus', { threadId: t.value.id, repoId: t.value.repoId })
    } else if (p.repoId) {
      if (!d.repos.list().some((r) => r.id === p.repoId)) return err(appError(ErrorCode.RepoNotFound, `No repository with id ${p.repoId}.`))
      d.bus.publish('app/focus', { threadId: null, repoId: p.repoId })
    } else {
      d.bus.publish('app/focus', { threadId: null, repoId: null })
    }
    return ok({ windows: windows.size })
  })
  const pickFolder = d.host.pickFolder
  if (pickFolder) handle('dialog/pickFolder', async (p) => ok({ path: await pickFolder(p.title) }))
  else rpc.markUnavailable('dialog/pickFolder', 'the native folder picker exists only in the desktop app; type the path instead')

  handle('repo/add', (p) => d.repos.add(p.path))
  handle('repo/list', () => ok({ repos: d.repos.list() }))
  handle('repo/remove', async (p) => done(await d.repos.remove(p.repoId)))
  handle('repo/branches', (p) => d.repos.branches(p.repoId))

  handle('thread/create', async (p) => {
    const created = await d.threads.create(p)
    // A thread with no CLI agent belongs to the built-in agent: its prompt is the first user turn.
    if (!created.ok || p.profileId || !p.prompt?.trim() || created.value.status === 'error') return created
    const sent = await d.delivery.deliver(created.value, p.prompt.trim())
    if (!sent.ok)
      return err(
        appError(
          sent.error.code,
          `The thread "${created.value.title}" was created, but its first prompt was not sent: ${sent.error.message}`
        )
      )
    return d.threads.get(created.value.id)
  })
  // Which threads' CI failed, read once per request and only when a state or a count needs it.
  const ciFailed = () => lazyCiFailed(() => d.ci.statuses().flatMap((s) => (s.overall === 'failed' ? [s.threadId] : [])))
  handle('thread/list', (p) => d.threads.page(p, ciFailed()))
  handle('thread/counts', (p) =>
    ok(d.threads.counts(p.repoId ? d.repos.list().filter((r) => r.id === p.repoId) : d.repos.list(), ciFailed()))
  )
  handle('thread/get', (p) => d.threads.get(p.threadId))
  handle('thread/fork', (p) => d.fork(p))
  handle('thread/rewind', (p) => d.rewind(p))
  handle('checkpoint/list', async (p) => {
    const r = await d.checkpoints.list(p.threadId)
    return r.ok ? ok({ checkpoints: r.value }) : r
  })
  handle('checkpoint/create', (p) => d.checkpoints.take(p.threadId, { trigger: 'manual', label: p.label || 'Saved by hand' }))
  handle('checkpoint/diff', (p) => d.checkpoints.diff(p.threadId, p.checkpoint))
  handle('checkpoint/file', (p) => d.checkpoints.file(p.threadId, p.checkpoint, p.path, p.force))
  handle('checkpoint/settings', () => ok(d.settings.checkpoints()))
  handle('checkpoint/configure', async (p) => {
    const saved = await d.settings.updateCheckpoints(p)
    return saved.ok ? ok(d.settings.checkpoints()) : saved
  })
  handle('thread/rename', (p) => d.threads.rename(p.threadId, p.title))
  handle('thread/archive', (p) => d.threads.archive(p.threadId))
  handle('thread/restore', (p) => d.threads.restore(p.threadId))
  handle('thread/delete', async (p) => done(await d.threads.delete(p.threadId)))
  handle('thread/setViewing', async (p, c) => {
    if (!viewerHooked.has(c.id)) {
      viewerHooked.add(c.id)
      c.onClose(() => {
        viewerHooked.delete(c.id)
        d.threads.forgetViewer(c.id)
      })
    }
    await d.threads.setViewing(c.id, p.threadId)
    return ok({ ok: true as const })
  })
  handle('thread/markRead', (p) => d.threads.markRead(p.threadId))

  handle('disk/usage', () => ok({ repos: d.disk.usage() }))
  handle('disk/refresh', async (p) => ok({ repos: await d.disk.refresh(p.repoId) }))
  handle('disk/check', async (p) => ok(await d.disk.check(p.repoId)))
  handle('disk/setBudget', (p) => d.disk.setBudget(p.repoId, p.budgetBytes))
  handle('disk/cleanupPlan', async (p) => ok({ candidates: await planCleanup(d.cleanup, p.repoId) }))
  handle('disk/cleanup', async (p) => {
    const outcome = await runCleanup(d.cleanup, p.paths)
    // Only the repositories that lost a folder are walked again.
    const dir = d.cleanup.dataDir
    const touched = d.repos
      .list()
      .filter((r) =>
        outcome.removed.some((x) => x.path.startsWith(`${dir.repoWorktrees(r.id)}/`) || x.path.startsWith(`${dir.repoShared(r.id)}/`))
      )
    for (const r of touched) await d.disk.refresh(r.id)
    return ok(outcome)
  })

  handle('pty/open', (p) => d.ptys.open(p.threadId, p))
  handle('pty/list', async (p) => ok({ ptys: await d.ptys.list(p.threadId) }))
  handle('pty/attach', (p, c) => d.ptys.attach(p.ptyId, c))
  handle('pty/detach', (p, c) => {
    d.ptys.detach(p.ptyId, c)
    return ok({ ok: true as const })
  })
  handle('pty/write', (p) => done(d.ptys.write(p.ptyId, p.data)))
  handle('pty/resize', (p) => done(d.ptys.resize(p.ptyId, p.cols, p.rows)))
  handle('pty/ack', (p, c) => done(d.ptys.ack(p.ptyId, c, p.chars)))
  handle('pty/close', async (p) => done(await d.ptys.close(p.ptyId)))

  handle('turn/start', (p) => d.agent.startTurn(p.threadId, p.text, p.attachments))
  handle('turn/interrupt', (p) => done(d.agent.interrupt(p.threadId)))
  handle('turn/steer', async (p) => done(await d.agent.steer(p.threadId, p.text)))
  handle('turn/retry', (p) => d.agent.retry(p.threadId))
  handle('item/list', (p) => d.agent.window(p))
  handle('item/output', (p) => d.agent.output(p))
  handle('approval/respond', async (p) => done(await d.agent.respond(p.threadId, p.itemId, p.decision, p.message)))
  handle('thread/configure', (p) => d.agent.configure(p.threadId, p))
  handle('fanout/start', (p) => d.agent.fanout(p))
  handle('settings/get', async () => ok(await d.agent.settings()))
  handle('settings/setApiKey', async (p) => {
    await d.agent.setApiKey(p.apiKey)
    return ok({ ok: true as const })
  })

  handle('ci/statuses', () => ok({ statuses: d.ci.statuses() }))
  handle('ci/refresh', (p) => d.ci.refresh(p.threadId))
  handle('ci/log', (p) => d.ci.log(p.threadId, p.checkId))
  handle('ci/sendFailure', (p) => d.ci.sendFailure(p.threadId, p.checkId))
  handle('ci/checks', (p) => d.ci.checks(p.threadId))
  handle('ci/runLocal', (p) => d.ci.runLocal(p.threadId, p.command))
  handle('ci/cancelLocal', (p) => d.ci.cancelLocal(p.runId))
  handle('ci/configure', async (p) => done(await d.ci.configure(p.repoId, p)))

  handle('handoff/sessions', async (p) => ok({ sessions: await d.handoff.list(p) }))
  handle('handoff/preview', (p) => d.handoff.preview(p.source, p.path))
  handle('handoff/import', (p) => d.handoff.import(p))
  handle('handoff/continue', (p) => d.handoff.continueInCli(p.threadId, p))

  handle('thread/summaries', async (p) => ok({ summaries: await d.summaries.summaries(p.threadIds) }))
  handle('review/changes', (p) => d.review.changes(p.threadId, p.scope))
  handle('review/watch', (p, c) => d.reviewWatch.watch(p.threadId, p.scope, c))
  handle('review/unwatch', (p, c) => {
    d.reviewWatch.unwatch(p.threadId, c)
    return ok({ ok: true as const })
  })
  handle('review/file', (p) => d.review.file(p.threadId, p))
  handle('review/revertHunk', async (p) => done(await d.review.revertHunk(p.threadId, p)))
  handle('review/comments', async (p) => {
    const r = await d.review.list(p.threadId)
    return r.ok ? ok({ comments: r.value }) : r
  })
  handle('review/comment', (p) => d.review.add(p.threadId, p))
  handle('review/editComment', (p) => d.review.edit(p.threadId, p.commentId, p.body))
  handle('review/deleteComment', async (p) => done(await d.review.remove(p.threadId, p.commentId)))
  handle('review/submit', (p) => d.review.submit(p.threadId))
  handle('review/commits', (p) => d.review.commits(p.threadId))
  handle('review/commitFiles', (p) => d.review.commitFiles(p.threadId, p.sha))
  handle('review/mergePreview', (p) => d.review.mergePreview(p.threadId))
  handle('review/mergeIntoBase', (p) => d.review.mergeIntoBase(p.threadId, p.expect))
  handle('review/commit', (p) => d.review.commit(p.threadId, p.message))
  handle('review/revertFile', (p) => d.review.revertFile(p.threadId, p.path, p))
  handle('review/push', async (p) => {
    const r = await d.review.push(p.threadId)
    // A push from Skein is news for CI: checks are about to start on the new commit.
    if (r.ok) void d.ci.pushed(p.threadId)
    return r
  })
  handle('review/rebase', (p) => d.review.rebase(p.threadId))

  handle('environment/get', async (p) => {
    const resolved = await d.environment.resolve(p.repoId)
    if (!resolved.ok) return resolved
    const detected = await d.environment.detect(p.repoId)
    return ok({ ...resolved.value, detected: detected.ok ? detected.value : [] })
  })
  handle('environment/save', (p) => d.environment.save(p.repoId, p.target, p.environment as EnvironmentInput | null))
  handle('run/status', (p) => d.run.status(p.threadId))
  handle('run/start', (p) => d.run.start(p.threadId, p))
  handle('run/stop', async (p) => done(await d.run.stop(p.threadId)))
  handle('run/configure', async (p) => done(await d.settings.updateRun(p.repoId, p.config)))
  const portSettings = () => ({ count: d.settings.portsPerThread() ?? DEFAULT_PORTS_PER_THREAD, first: d.ports.first, last: d.ports.last })
  handle('ports/settings', () => ok(portSettings()))
  handle('ports/configure', async (p) => {
    const saved = await d.settings.updatePortsPerThread(p.count)
    return saved.ok ? ok(portSettings()) : saved
  })

  handle('profile/list', async (p) => ok(await d.profiles.list(p.repoId)))
  handle('profile/configure', (p) =>
    d.profiles.configure(p.repoId, {
      defaultProfile: p.defaultProfile,
      customCommand: p.customCommand,
      customAcceptsPrompt: p.customAcceptsPrompt
    })
  )
}
