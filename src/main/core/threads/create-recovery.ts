import { existsSync } from 'node:fs'
import { readdir, rmdir } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { defaultConversation, type Repo, type Thread } from '../../../shared/models'
import { DEFAULT_MODEL } from '../../../shared/pricing'
import type { Result } from '../../../shared/result'
import type { GitRunner } from '../git/git-runner'
import { pruneWorktrees } from '../git/worktree-remove'
import type { Logger } from '../logger'
import type { DataDir } from '../store/data-dir'
import type { CreateIntent, CreateIntents } from './create-intents'
import type { WorktreeManager } from './worktree-manager'

/** What clean-up after an interrupted `thread/create` needs. */
export interface CreateRecoveryDeps {
  git: GitRunner
  dir: DataDir
  intents: CreateIntents
  worktrees: WorktreeManager
  threads: { list(): Thread[]; create(thread: Thread, repo: Repo): Promise<Result<Thread>> }
  repos: { get(id: string): Result<Repo> }
  logger: Logger
}

/** What was done with one leftover, for the log and for tests. */
export type RecoveryOutcome =
  | { kind: 'removed'; path: string | null; branch: string | null }
  | { kind: 'kept'; thread: Thread }
  | { kind: 'left'; path: string; reason: string }

interface Leftover {
  threadId: string
  repoId: string
  path: string | null
  branch: string | null
  intent: CreateIntent | null
}

/**
 * At start-up, finishes what a `thread/create` cut off by a crash left: a worktree folder and a
 * `skein/<slug>` branch with no thread. Nothing was acknowledged to a client, so an untouched one is
 * removed (after a snapshot, as every removal). One with changes or commits of its own is kept and
 * becomes a thread in `error` whose status message says what happened.
 */
export async function recoverInterruptedCreates(d: CreateRecoveryDeps): Promise<RecoveryOutcome[]> {
  const threads = d.threads.list()
  const known = new Set(threads.map((t) => t.id))
  const usedPaths = new Set(threads.filter((t) => t.mode === 'worktree').map((t) => t.worktreePath))
  const leftovers = new Map<string, Leftover>()
  for (const intent of d.intents.list()) {
    if (known.has(intent.threadId) || !intent.path) {
      d.intents.end(intent.threadId)
      continue
    }
    leftovers.set(intent.path, {
      threadId: intent.threadId,
      repoId: intent.repoId,
      path: intent.path,
      branch: intent.branch ?? null,
      intent
    })
  }
  // Creates from before intents were recorded: a marked Skein worktree whose thread was never saved.
  for (const repoId of await readdir(d.dir.worktreesDir).catch(() => [] as string[])) {
    for (const slug of await readdir(join(d.dir.worktreesDir, repoId)).catch(() => [] as string[])) {
      const path = join(d.dir.worktreesDir, repoId, slug)
      if (usedPaths.has(path) || leftovers.has(path)) continue
      const owner = await d.worktrees.ownerOf(path)
      // A thread whose log exists but could not be read is not a leftover: its worktree is left alone.
      if (!owner || known.has(owner) || existsSync(d.dir.threadDir(owner))) continue
      leftovers.set(path, { threadId: owner, repoId, path, branch: `skein/${slug}`, intent: null })
    }
  }
  const outcomes: RecoveryOutcome[] = []
  for (const leftover of leftovers.values()) {
    try {
      outcomes.push(await recoverOne(d, leftover))
      d.intents.end(leftover.threadId)
    } catch (e) {
      d.logger.warn(
        `Could not clean up after an interrupted thread creation (${leftover.path}): ${(e as Error).message}. It is left as it is.`
      )
    }
  }
  return outcomes
}

async function recoverOne(d: CreateRecoveryDeps, l: Leftover): Promise<RecoveryOutcome> {
  const repo = d.repos.get(l.repoId)
  if (!repo.ok) {
    d.logger.warn(`A thread creation was interrupted in a repository Skein no longer knows (${l.repoId}); ${l.path} is left as it is.`)
    return { kind: 'left', path: l.path ?? '', reason: 'unknown repository' }
  }
  const root = repo.value.path
  const path = l.path!
  const branch = l.branch
  const guard = { inUse: new Set(d.threads.list().flatMap((t) => (t.branch ? [t.branch] : []))), notBefore: l.intent?.startedAt }
  const isWorktree = existsSync(join(path, '.git'))
  if (existsSync(path) && !isWorktree) {
    // git stopped before the folder became a worktree: an empty folder goes, anything else stays.
    const empty = (await readdir(path).catch(() => ['?'])).length === 0
    if (empty) await rmdir(path)
    else
      d.logger.warn(
        `Skein stopped while creating a worktree at ${path}; it is not a git worktree and is not empty, so it was left for you to check.`
      )
    await deleteBranchIfEmpty(d.git, root, branch, guard)
    return empty ? { kind: 'removed', path, branch } : { kind: 'left', path, reason: 'not a worktree' }
  }
  if (!existsSync(path)) {
    await pruneWorktrees(d.git, root).catch(() => undefined)
    const deleted = await deleteBranchIfEmpty(d.git, root, branch, guard)
    if (deleted)
      d.logger.warn(`Removed branch ${branch} left by a thread creation that Skein did not finish (it had no commits of its own).`)
    return { kind: 'removed', path: null, branch: deleted ? branch : null }
  }
  await d.worktrees.adopt(path, l.threadId)
  const status = await d.git.exec(path, ['status', '--porcelain', '--untracked-files=all'])
  const head = (await d.git.exec(path, ['symbolic-ref', '--short', '-q', 'HEAD'])).stdout.trim() || branch
  const own = head ? await ownCommits(d.git, root, head) : 1
  const changed = status.exitCode !== 0 || status.stdout.trim() !== '' || own !== 0
  if (changed) {
    const message = `Skein stopped while creating this thread. Its worktree ${path} already had changes, so it was kept as this thread: check them, then go on or delete the thread (its work is saved first).`
    const now = Date.now()
    const thread: Thread = {
      id: l.threadId,
      repoId: l.repoId,
      title: l.intent?.title || basename(path),
      slug: basename(path),
      mode: 'worktree',
      branch: head ?? null,
      baseRef: l.intent?.baseRef ?? 'HEAD',
      worktreePath: path,
      status: 'error',
      statusMessage: message,
      createdAt: l.intent?.startedAt ?? now,
      lastActivityAt: now,
      archivedAt: null,
      snapshotRef: null,
      agent: null,
      unread: true,
      conversation: defaultConversation(DEFAULT_MODEL, l.intent?.permissionMode),
      imported: null
    }
    const saved = await d.threads.create(thread, repo.value)
    if (!saved.ok) throw new Error(saved.error.message)
    d.logger.warn(`${message} (thread ${l.threadId})`)
    return { kind: 'kept', thread: saved.value }
  }
  const removed = await d.worktrees.saveAndRemove(root, path, l.threadId, 'interrupted-create')
  if (!removed.ok) throw new Error(removed.error.message)
  const deleted = await deleteBranchIfEmpty(d.git, root, head, guard)
  d.logger.warn(
    `Removed the worktree ${path}${deleted ? ` and branch ${head}` : ''} left by a thread creation that Skein did not finish; nothing had been done in it.`
  )
  // The repository's folder under worktrees/ goes too when this was its only entry.
  await rmdir(dirname(path)).catch(() => undefined)
  return { kind: 'removed', path, branch: deleted ? head : null }
}

/** How many commits `branch` has that no other branch, tag or remote branch has (1 when it cannot tell: keep). */
async function ownCommits(git: GitRunner, root: string, branch: string): Promise<number> {
  const short = branch.replace(/^refs\/heads\//, '')
  const out = await git.exec(root, [
    'rev-list',
    '--count',
    `refs/heads/${short}`,
    '--not',
    `--exclude=${short}`,
    '--branches',
    '--tags',
    '--remotes'
  ])
  const n = Number(out.stdout.trim())
  return out.exitCode === 0 && Number.isInteger(n) ? n : 1
}

/**
 * Deletes a leftover branch only when it is Skein's (skein/…, no thread names it), made no earlier
 * than the interrupted create (`notBefore`, from its reflog), no commit would be lost, and no
 * worktree has it checked out.
 */
async function deleteBranchIfEmpty(
  git: GitRunner,
  root: string,
  branch: string | null,
  guard: { inUse: Set<string>; notBefore?: number }
): Promise<boolean> {
  if (!branch || !branch.startsWith('skein/') || guard.inUse.has(branch)) return false
  const exists = await git.exec(root, ['show-ref', '--verify', '--quiet', `refs/heads/${branch}`])
  if (exists.exitCode !== 0) return false
  if (guard.notBefore !== undefined) {
    // A branch that already existed (a create that found skein/<slug> taken tried it, then died) is not ours to delete.
    const log = await git.exec(root, ['reflog', 'show', '--date=unix', '--format=%gd', `refs/heads/${branch}`])
    const created = Number(/@\{(\d+)\}\s*$/.exec(log.stdout.trim())?.[1])
    if (log.exitCode !== 0 || !Number.isFinite(created) || created * 1000 < guard.notBefore - 2000) return false
  }
  if ((await ownCommits(git, root, branch)) !== 0) return false
  // Even -D refuses a branch that some worktree has checked out.
  const out = await git.exec(root, ['branch', '-D', '--', branch])
  return out.exitCode === 0
}
