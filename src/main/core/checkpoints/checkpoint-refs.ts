import type { Checkpoint } from '../../../shared/checkpoints'
import type { GitRunner } from '../git/git-runner'
import { spawnGitOk } from '../git/spawn-git'
import { parseCheckpointBody, toCheckpoint } from './checkpoint-meta'

// Checkpoint refs live in the repository's shared ref store (refs/ outside refs/worktree/ is common
// to all worktrees), so the main checkout or any of its worktrees can list, write and delete them.

const PREFIX = 'refs/skein/checkpoints'

/** The newest checkpoints a thread keeps whatever the count and age limits say. */
export const ALWAYS_KEPT = 10

/** The ref of a thread's checkpoint number `n`. Throws on a thread id that cannot be part of a ref name (a bug). */
export function checkpointRef(threadId: string, n: number): string {
  if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(threadId) || threadId.includes('..') || threadId.endsWith('.lock')) {
    throw new Error(`thread id ${JSON.stringify(threadId)} cannot name a ref`)
  }
  if (!Number.isInteger(n) || n < 1) throw new Error(`checkpoint number ${n} is not a positive integer`)
  return `${PREFIX}/${threadId}/${n}`
}

/** A thread's checkpoint ref names with their numbers (whatever their commits hold), in number order. */
async function threadRefs(git: GitRunner, repoRoot: string, threadId: string): Promise<Array<{ n: number; ref: string }>> {
  const prefix = checkpointRef(threadId, 1).slice(0, -1)
  const out = await spawnGitOk(git, repoRoot, ['for-each-ref', '--format=%(refname)', prefix.slice(0, -1)])
  return out
    .split('\n')
    .filter(Boolean)
    .map((ref) => ({ ref, n: refNumber(ref, prefix) }))
    .filter((r): r is { ref: string; n: number } => r.n !== null)
    .sort((a, b) => a.n - b.n)
}

function refNumber(ref: string, prefix: string): number | null {
  const tail = ref.slice(prefix.length)
  return ref.startsWith(prefix) && /^[1-9]\d*$/.test(tail) ? Number(tail) : null
}

/**
 * A thread's checkpoints, oldest first, from one `for-each-ref` (name, commit and message body).
 * A ref whose commit does not carry checkpoint meta is skipped.
 */
export async function listCheckpoints(git: GitRunner, repoRoot: string, threadId: string): Promise<Checkpoint[]> {
  const prefix = checkpointRef(threadId, 1).slice(0, -1)
  const format = '--format=%(refname)%00%(objectname)%00%(contents:body)%00'
  // Without its slash the pattern matches the thread's folder of refs, not a longer thread id.
  const out = await spawnGitOk(git, repoRoot, ['for-each-ref', format, prefix.slice(0, -1)])
  const fields = out.split('\0')
  const list: Checkpoint[] = []
  for (let i = 0; i + 2 < fields.length; i += 3) {
    // Each record ends with NUL and for-each-ref's newline, which starts the next name.
    const ref = fields[i]!.replace(/^\n/, '')
    const n = refNumber(ref, prefix)
    const meta = parseCheckpointBody(fields[i + 2]!)
    if (n === null || !meta) continue
    list.push(toCheckpoint(threadId, n, ref, fields[i + 1]!, meta))
  }
  return list.sort((a, b) => a.n - b.n)
}

/**
 * The number for a thread's next checkpoint: one past the highest ref. Pruning always keeps the
 * newest, so numbers are not reused; deleting the newest by hand would free its number again.
 */
export async function nextCheckpointNumber(git: GitRunner, repoRoot: string, threadId: string): Promise<number> {
  const refs = await threadRefs(git, repoRoot, threadId)
  return (refs.at(-1)?.n ?? 0) + 1
}

/** Deletes a thread's checkpoints `ns` (all of them when omitted) in one ref transaction; returns the numbers removed. */
export async function deleteCheckpoints(git: GitRunner, repoRoot: string, threadId: string, ns?: readonly number[]): Promise<number[]> {
  const wanted = ns ? new Set(ns) : null
  const doomed = (await threadRefs(git, repoRoot, threadId)).filter((r) => !wanted || wanted.has(r.n))
  if (doomed.length === 0) return []
  const input = Buffer.from(doomed.map((r) => `delete ${r.ref}\n`).join(''))
  const out = await git.withInput(repoRoot, ['update-ref', '--stdin'], input)
  if (out.exitCode !== 0) throw new Error(`git update-ref --stdin failed in ${repoRoot}: ${out.stderr.trim()}`)
  return doomed.map((r) => r.n)
}

/** How many checkpoints a thread keeps and for how long, as of `now` (ms). */
export interface PruneRule {
  maxPerThread: number
  maxAgeDays: number
  now: number
}

/**
 * Removes a thread's checkpoints beyond the newest `maxPerThread` and those older than
 * `maxAgeDays`, but never the newest ten. Returns the numbers removed, ascending.
 */
export async function pruneCheckpoints(git: GitRunner, repoRoot: string, threadId: string, rule: PruneRule): Promise<number[]> {
  const newestFirst = (await listCheckpoints(git, repoRoot, threadId)).reverse()
  const cutoff = rule.now - rule.maxAgeDays * 86_400_000
  const doomed = newestFirst
    .filter((c, i) => i >= ALWAYS_KEPT && (i >= rule.maxPerThread || c.createdAt < cutoff))
    .map((c) => c.n)
    .sort((a, b) => a - b)
  if (doomed.length === 0) return []
  return deleteCheckpoints(git, repoRoot, threadId, doomed)
}
