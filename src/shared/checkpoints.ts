import { z } from 'zod'
import { ChangedFile } from './review'

/** Why a checkpoint was taken. */
export const CheckpointTrigger = z.enum([
  /** Before a turn of the built-in agent. */
  'turn',
  /** A CLI agent started working after waiting for the person. */
  'agent-start',
  /** A prompt or review was sent from Skein to a CLI agent. */
  'prompt',
  /** The person asked for one (button, shortcut, `skein checkpoint`). */
  'manual',
  /** The state just before a rewind, so the rewind can be undone. */
  'rewind',
  /** The state a fork started from, when no earlier checkpoint held it. */
  'fork'
])
/** Why a checkpoint was taken. */
export type CheckpointTrigger = z.infer<typeof CheckpointTrigger>

/** Where a CLI agent's own session stood when a checkpoint was taken (what a fork from it resumes). */
export const SessionPoint = z.object({
  source: z.enum(['claude', 'codex']),
  sessionId: z.string(),
  /** The last message of the session at that moment (Claude: a message uuid; Codex: the count of its turns), null when empty. */
  at: z.string().nullable()
})
/** Where a CLI agent's session stood. */
export type SessionPoint = z.infer<typeof SessionPoint>

/** A file a checkpoint did not save (a large untracked artifact), with why. Never silent. */
export const LeftOutFile = z.object({ path: z.string(), bytes: z.number(), files: z.number(), reason: z.string() })
/** A file a checkpoint did not save. */
export type LeftOutFile = z.infer<typeof LeftOutFile>

/** One saved state of a thread's worktree (and where its conversation stood), under `refs/skein/checkpoints/<thread>/<n>`. */
export const Checkpoint = z.object({
  threadId: z.string(),
  /** 1, 2, 3… in the order they were taken; never reused within a thread. */
  n: z.number(),
  ref: z.string(),
  commit: z.string(),
  createdAt: z.number(),
  trigger: CheckpointTrigger,
  /** What it was taken before, for people: `Before turn 3: "fix the login bug"`. */
  label: z.string(),
  /** The built-in agent's turn it was taken just before (trigger 'turn'); null otherwise. */
  turnId: z.string().nullable(),
  /** The built-in agent's turns in the conversation at that moment: what a conversation rewind to it keeps. */
  turnIds: z.array(z.string()),
  /** HEAD's commit and branch then. */
  head: z.string().nullable(),
  branch: z.string().nullable(),
  /** Uncommitted files (staged, unstaged, untracked) it holds beyond HEAD. */
  dirtyFiles: z.number(),
  leftOut: z.array(LeftOutFile),
  session: SessionPoint.nullable()
})
/** One saved state of a thread's worktree. */
export type Checkpoint = z.infer<typeof Checkpoint>

/** What `thread/rewind` restores: the files, the built-in agent's conversation, or both. */
export const RewindScope = z.enum(['code', 'conversation', 'both'])
/** What a rewind restores. */
export type RewindScope = z.infer<typeof RewindScope>

/** What rewinding the code to a checkpoint would change in the worktree, file by file (current → checkpoint). */
export const CheckpointDiff = z.object({
  checkpoint: Checkpoint,
  files: z.array(ChangedFile),
  /** Whether the index (staged state) or HEAD would change too. */
  indexChanges: z.boolean(),
  headChanges: z.boolean(),
  /** Present files a rewind cannot restore or must not touch (git-ignored, or too large to have been saved). */
  blocked: z.array(z.object({ path: z.string(), reason: z.string() }))
})
/** What rewinding the code to a checkpoint would change. */
export type CheckpointDiff = z.infer<typeof CheckpointDiff>

/** Pruning settings: how many checkpoints a thread keeps and for how long. */
export const CheckpointSettings = z.object({
  maxPerThread: z.number().int().min(10).max(10_000),
  maxAgeDays: z.number().int().min(1).max(3650)
})
/** Pruning settings. */
export type CheckpointSettings = z.infer<typeof CheckpointSettings>

/** The defaults: 200 checkpoints per thread, kept 30 days (the newest 10 are always kept). */
export const DEFAULT_CHECKPOINT_SETTINGS: CheckpointSettings = { maxPerThread: 200, maxAgeDays: 30 }
