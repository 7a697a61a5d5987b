import { ok } from '../../../shared/result'
import type { AgentService } from '../agent/agent-service'
import type { SecretCipher } from '../agent/api-key-store'
import type { ProfileService } from '../agents/profile-service'
import type { PtyHost } from '../pty/pty-host'
import type { RepoService } from '../repos/repo-service'
import type { HandoffService } from '../handoff/handoff-service'
import type { CiHost } from '../ci/ci-host'
import type { Transcript } from '../agent/transcript'
import { forkThread } from '../threads/thread-fork'
import type { ChangeWatchService } from '../review/change-watch'
import type { ReviewService } from '../review/review-service'
import type { ThreadService } from '../threads/thread-service'
import type { NotificationBus } from '../notification-bus'
import { appError, ErrorCode } from '../../../shared/errors'
import { err } from '../../../shared/result'
import type { RpcServer } from './rpc-server'

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
  profiles: ProfileService
  agent: AgentService
  review: ReviewService
  reviewWatch: ChangeWatchService
  handoff: HandoffService
  ci: CiHost
  transcript: Transcript
  host: CoreHost
  /** The browser-mode address, once a server listens. */
  webUrl: () => string | null
  bus: NotificationBus
}

const done = <E>(r: { ok: true } | { ok: false; error: E }) => (r.ok ? ok({ ok: true as const }) : r)

/** Wires every protocol method to its service. */
export function registerHandlers(rpc: RpcServer, d: HandlerDeps): void {
  const viewerHooked = new Set<string>()
  const windows = new Set<string>()
  rpc.handle('core/hello', (p, c) => {
    if (p.client === 'ui' && !windows.has(c.id)) {
      windows.add(c.id)
      c.onClose(() => windows.delete(c.id))
    }
    return ok({ version: d.version, home: d.home, platform: process.platform, capabilities: { pickFolder: Boolean(d.host.pickFolder) }, webUrl: d.webUrl(), pid: process.pid })
  })
  rpc.handle('app/focus', async (p) => {
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
  if (pickFolder) rpc.handle('dialog/pickFolder', async (p) => ok({ path: await pickFolder(p.title) }))
  else rpc.markUnavailable('dialog/pickFolder', 'the native folder picker exists only in the desktop app; type the path instead')

  rpc.handle('repo/add', (p) => d.repos.add(p.path))
  rpc.handle('repo/list', () => ok({ repos: d.repos.list() }))
  rpc.handle('repo/remove', async (p) => done(await d.repos.remove(p.repoId)))
  rpc.handle('repo/branches', (p) => d.repos.branches(p.repoId))

  rpc.handle('thread/create', (p) => d.threads.create(p))
  rpc.handle('thread/list', (p) => ok({ threads: d.threads.list(p) }))
  rpc.handle('thread/get', (p) => d.threads.get(p.threadId))
  rpc.handle('thread/fork', (p) => forkThread({ threads: d.threads, transcript: d.transcript }, p))
  rpc.handle('thread/rename', (p) => d.threads.rename(p.threadId, p.title))
  rpc.handle('thread/archive', (p) => d.threads.archive(p.threadId))
  rpc.handle('thread/restore', (p) => d.threads.restore(p.threadId))
  rpc.handle('thread/delete', async (p) => done(await d.threads.delete(p.threadId)))
  rpc.handle('thread/setViewing', async (p, c) => {
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
  rpc.handle('thread/markRead', (p) => d.threads.markRead(p.threadId))

  rpc.handle('pty/open', (p) => d.ptys.open(p.threadId, p))
  rpc.handle('pty/list', async (p) => ok({ ptys: await d.ptys.list(p.threadId) }))
  rpc.handle('pty/attach', (p, c) => d.ptys.attach(p.ptyId, c))
  rpc.handle('pty/detach', (p, c) => {
    d.ptys.detach(p.ptyId, c)
    return ok({ ok: true as const })
  })
  rpc.handle('pty/write', (p) => done(d.ptys.write(p.ptyId, p.data)))
  rpc.handle('pty/resize', (p) => done(d.ptys.resize(p.ptyId, p.cols, p.rows)))
  rpc.handle('pty/ack', (p, c) => done(d.ptys.ack(p.ptyId, c, p.chars)))
  rpc.handle('pty/close', async (p) => done(await d.ptys.close(p.ptyId)))

  rpc.handle('turn/start', (p) => d.agent.startTurn(p.threadId, p.text, p.attachments))
  rpc.handle('turn/interrupt', (p) => done(d.agent.interrupt(p.threadId)))
  rpc.handle('turn/steer', async (p) => done(await d.agent.steer(p.threadId, p.text)))
  rpc.handle('turn/retry', (p) => d.agent.retry(p.threadId))
  rpc.handle('item/list', async (p) => ok({ items: await d.agent.items(p.threadId) }))
  rpc.handle('approval/respond', async (p) => done(await d.agent.respond(p.threadId, p.itemId, p.decision, p.message)))
  rpc.handle('thread/configure', (p) => d.agent.configure(p.threadId, p))
  rpc.handle('fanout/start', (p) => d.agent.fanout(p))
  rpc.handle('settings/get', async () => ok(await d.agent.settings()))
  rpc.handle('settings/setApiKey', async (p) => {
    await d.agent.setApiKey(p.apiKey)
    return ok({ ok: true as const })
  })

  rpc.handle('ci/statuses', () => ok({ statuses: d.ci.statuses() }))
  rpc.handle('ci/refresh', (p) => d.ci.refresh(p.threadId))
  rpc.handle('ci/log', (p) => d.ci.log(p.threadId, p.checkId))
  rpc.handle('ci/sendFailure', (p) => d.ci.sendFailure(p.threadId, p.checkId))
  rpc.handle('ci/checks', (p) => d.ci.checks(p.threadId))
  rpc.handle('ci/runLocal', (p) => d.ci.runLocal(p.threadId, p.command))
  rpc.handle('ci/cancelLocal', (p) => d.ci.cancelLocal(p.runId))
  rpc.handle('ci/configure', async (p) => done(await d.ci.configure(p.repoId, p)))

  rpc.handle('handoff/sessions', async (p) => ok({ sessions: await d.handoff.list(p) }))
  rpc.handle('handoff/preview', (p) => d.handoff.preview(p.source, p.path))
  rpc.handle('handoff/import', (p) => d.handoff.import(p))
  rpc.handle('handoff/continue', (p) => d.handoff.continueInCli(p.threadId, p))

  rpc.handle('review/changes', (p) => d.review.changes(p.threadId, p.scope))
  rpc.handle('review/watch', (p, c) => d.reviewWatch.watch(p.threadId, p.scope, c))
  rpc.handle('review/unwatch', (p, c) => {
    d.reviewWatch.unwatch(p.threadId, c)
    return ok({ ok: true as const })
  })
  rpc.handle('review/file', (p) => d.review.file(p.threadId, p))
  rpc.handle('review/revertHunk', async (p) => done(await d.review.revertHunk(p.threadId, p)))
  rpc.handle('review/comments', async (p) => {
    const r = await d.review.list(p.threadId)
    return r.ok ? ok({ comments: r.value }) : r
  })
  rpc.handle('review/comment', (p) => d.review.add(p.threadId, p))
  rpc.handle('review/editComment', (p) => d.review.edit(p.threadId, p.commentId, p.body))
  rpc.handle('review/deleteComment', async (p) => done(await d.review.remove(p.threadId, p.commentId)))
  rpc.handle('review/submit', (p) => d.review.submit(p.threadId))
  rpc.handle('review/mergeIntoBase', (p) => d.review.mergeIntoBase(p.threadId))
  rpc.handle('review/commit', (p) => d.review.commit(p.threadId, p.message))
  rpc.handle('review/revertFile', (p) => d.review.revertFile(p.threadId, p.path, p))
  rpc.handle('review/push', async (p) => {
    const r = await d.review.push(p.threadId)
    // A push from Skein is news for CI: checks are about to start on the new commit.
    if (r.ok) void d.ci.pushed(p.threadId)
    return r
  })
  rpc.handle('review/rebase', (p) => d.review.rebase(p.threadId))

  rpc.handle('profile/list', async (p) => ok(await d.profiles.list(p.repoId)))
  rpc.handle('profile/configure', (p) => d.profiles.configure(p.repoId, { defaultProfile: p.defaultProfile, customCommand: p.customCommand }))
}

