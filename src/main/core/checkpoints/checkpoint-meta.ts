import { z } from 'zod'
import { Checkpoint, type CheckpointTrigger, type SessionPoint } from '../../../shared/checkpoints'
import type { GitRunner } from '../git/git-runner'
import { readCommits } from '../git/read-commits'

/** What the caller says about a checkpoint; the rest (head, branch, dirty files, left out) is read from the worktree. */
export interface CheckpointMeta {
  trigger: CheckpointTrigger
  label: string
  turnId: string | null
  turnIds: string[]
  session: SessionPoint | null
  createdAt: number
}

/** The JSON body of a checkpoint commit: everything needed to list and restore it without other records. */
export const StoredMeta = Checkpoint.pick({
  trigger: true,
  label: true,
  turnId: true,
  turnIds: true,
  head: true,
  branch: true,
  dirtyFiles: true,
  leftOut: true,
  session: true,
  createdAt: true
}).extend({
  format: z.literal('skein-checkpoint'),
  version: z.literal(1),
  /** The raw index blob when the index had unmerged entries (the index commit's tree then holds it). */
  indexBlob: z.string().nullable(),
  /** Paths marked intent-to-add, which the index tree cannot show. */
  intentToAdd: z.array(z.string())
})
/** The JSON body of a checkpoint commit. */
export type StoredMeta = z.infer<typeof StoredMeta>

/** The message of a checkpoint commit: the label as its subject for people, then the meta as one JSON line. */
export function checkpointMessage(meta: StoredMeta): string {
  const subject = meta.label.split('\n')[0]!.trim().slice(0, 200) || 'Checkpoint'
  return `${subject}\n\n${JSON.stringify(meta)}\n`
}

/** The meta of a commit body (the message without its subject); null when the body is not a checkpoint's. */
export function parseCheckpointBody(body: string): StoredMeta | null {
  const line = body
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.startsWith('{'))
  if (!line) return null
  try {
    const parsed = StoredMeta.safeParse(JSON.parse(line))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

/** A checkpoint commit read back: the trees it holds, HEAD then, and its meta. */
export interface CheckpointParts {
  commit: string
  indexCommit: string
  worktreeTree: string
  indexTree: string
  head: string | null
  meta: StoredMeta
}

/** Reads checkpoint commits (one `cat-file` for all); null where one is missing or not a checkpoint. */
export async function readCheckpoints(git: GitRunner, cwd: string, commits: readonly string[]): Promise<Array<CheckpointParts | null>> {
  const read = await readCommits(
    git,
    cwd,
    commits.flatMap((c) => [c, `${c}^1`])
  )
  return commits.map((_, i) => {
    const c = read[2 * i]
    const x = read[2 * i + 1]
    if (!c || !x) return null
    const body = c.message.slice(c.message.indexOf('\n') + 1)
    const meta = parseCheckpointBody(body)
    if (!meta) return null
    return { commit: c.id, indexCommit: x.id, worktreeTree: c.tree, indexTree: x.tree, head: x.parents[0] ?? null, meta }
  })
}

/** The `Checkpoint` a client sees, from its ref name parts, commit and meta. */
export function toCheckpoint(threadId: string, n: number, ref: string, commit: string, meta: StoredMeta): Checkpoint {
  return {
    threadId,
    n,
    ref,
    commit,
    createdAt: meta.createdAt,
    trigger: meta.trigger,
    label: meta.label,
    turnId: meta.turnId,
    turnIds: meta.turnIds,
    head: meta.head,
    branch: meta.branch,
    dirtyFiles: meta.dirtyFiles,
    leftOut: meta.leftOut,
    session: meta.session
  }
}
