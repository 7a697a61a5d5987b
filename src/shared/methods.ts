import { z } from 'zod'
import { CiLog, CiProviderOverride, CiStatus, LocalRun, SuggestedCheck } from './ci'
import { AutopilotPatch, AutopilotState, GiveUpReason } from './autopilot'
import { Checkpoint, CheckpointDiff, CheckpointSettings, RewindScope } from './checkpoints'
import { BudgetCheck, CleanupCandidate, RepoDisk } from './disk'
import { BranchCommit, ChangedFile, ChangeScope, ChangeSet, FileDiff, LineSpan, MergePlanView, ReviewComment } from './review'
import { DetectedImport, Environment, EnvironmentSource, ImportFormat } from './environment'
import {
  AgentProfile,
  DeliveryOutcome,
  ImportReport,
  Item,
  TruncatedField,
  PermissionMode,
  ProfileId,
  PtyInfo,
  Repo,
  Thread,
  ThreadMode,
  ThreadSummary
} from './models'
import { MAX_PORTS_PER_THREAD, PortSettings, RunConfig, RunStatus } from './run'
import { PrDraft, PrMergeMethod, PrStatus } from './pr'
import { RemoteThreads } from './pr-threads'
import { SearchPage, SearchParams, SearchState } from './search'
import { threadStateNames } from './thread-state'

/** What a thread or repository id looks like (`t<time><random>`, `<slug>-<hash>`): never a path, never `..`. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/
/** What a terminal id looks like: `<threadId>.p<random>` (an id without the suffix is simply not found). */
export const PTY_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}(\.p[A-Za-z0-9]{1,32})?$/
const idOf = (what: string, pattern = ID_PATTERN) =>
  z
    .string()
    .min(1, `${what} is required`)
    .max(200, `${what} is too long to be a Skein id`)
    .regex(pattern, `${what} is not a Skein id (letters, digits, _ and - only)`)
/** A thread id, as every method takes it. */
export const ThreadIdSchema = idOf('threadId')
/** A repository id, as every method takes it. */
export const RepoIdSchema = idOf('repoId')
/** A terminal id, as every method takes it. */
export const PtyIdSchema = idOf('ptyId', PTY_ID_PATTERN)
/** An opaque id that is only looked up in memory (item, check, run, comment): bounded, no control characters. */
export const OpaqueIdSchema = (what: string) =>
  z
    .string()
    .min(1, `${what} is required`)
    .max(512, `${what} is at most 512 characters`)
    .regex(/^[^\u0000-\u001f]+$/, `${what} has control characters`)
const threadId = ThreadIdSchema
const repoId = RepoIdSchema
const title = z.string().trim().min(1, 'A title is required').max(200, 'A title is at most 200 characters')
const Ok = z.object({ ok: z.literal(true) })
/** One repository's thread counts: `states` counts live threads by derived state, and `archived` again under its state. */
const ThreadCounts = z.object({
  repoId: z.string(),
  live: z.number().int(),
  archived: z.number().int(),
  states: z.record(z.enum(threadStateNames), z.number().int())
})
const SessionSource = z.enum(['claude', 'codex'])
const SessionSummary = z.object({
  source: SessionSource,
  sessionId: z.string(),
  path: z.string(),
  cwd: z.string(),
  firstPrompt: z.string(),
  startedAt: z.number(),
  updatedAt: z.number(),
  sizeBytes: z.number(),
  /** The thread it was imported into, if it was. */
  threadId: z.string().nullable()
})
const ptyId = PtyIdSchema
const ResolvedEnvironment = z.object({
  source: EnvironmentSource,
  /** The environment in effect (with .worktreeinclude's patterns added). */
  environment: Environment,
  file: Environment.nullable(),
  settings: Environment.nullable(),
  /** Why a source could not be used, naming the bad field. */
  problem: z.string().nullable()
})
const size = (what: string) =>
  z.number().int(`${what} must be a whole number`).min(1, `${what} must be at least 1`).max(2000, `${what} must be at most 2000`)

/** Every request method: its params and result schemas. The core validates params against these. */
export const methods = {
  'core/hello': {
    /** A window (app or browser) says 'ui', so the core knows whether anyone can be shown a thread. */
    params: z.object({ client: z.enum(['ui', 'cli']).optional() }).default({}),
    result: z.object({
      version: z.string(),
      home: z.string(),
      platform: z.string(),
      capabilities: z.object({ pickFolder: z.boolean() }),
      /** The browser-mode address with its token, when this core serves one. */
      webUrl: z.string().nullable(),
      /** The core's process id (the CLI reports it, tests stop a background core with it). */
      pid: z.number(),
      /** What this core cleaned up at start after the last run stopped unexpectedly (shown once per core). */
      notices: z.array(z.string()).default([])
    })
  },
  /** Brings a thread (or repository) to the front in every open window; says how many windows there are. */
  'app/focus': {
    params: z.object({ threadId: threadId.optional(), repoId: repoId.optional() }),
    result: z.object({ windows: z.number() })
  },
  'dialog/pickFolder': {
    params: z.object({ title: z.string().optional() }).default({}),
    result: z.object({ path: z.string().nullable() })
  },
  'repo/add': {
    params: z.object({ path: z.string().trim().min(1, 'A path is required') }),
    result: Repo
  },
  'repo/list': {
    params: z.object({}).default({}),
    result: z.object({ repos: z.array(Repo) })
  },
  'repo/remove': {
    params: z.object({ repoId }),
    result: Ok
  },
  'repo/branches': {
    params: z.object({ repoId }),
    result: z.object({ current: z.string().nullable(), branches: z.array(z.string()) })
  },
  'thread/create': {
    params: z.object({
      repoId,
      title,
      baseRef: z.string().trim().min(1).optional(),
      mode: ThreadMode.default('worktree'),
      /** Start this CLI agent profile in the thread's terminal; omitted: the thread's agent is Skein's built-in one. */
      profileId: ProfileId.optional(),
      /** The first prompt: the built-in agent's first user turn, or passed to a CLI agent the way it accepts one (never to a shell). */
      prompt: z.string().max(100_000).optional(),
      /** The built-in agent's permission mode (default ask). */
      permissionMode: PermissionMode.optional()
    }),
    result: Thread
  },
  /**
   * Threads, most recently active first (by `lastActivityAt`, then `createdAt`, then id). With `limit`, one page:
   * after `cursor`, just before `before`, or around `anchor`; `next` continues after its last thread and `previous`
   * before its first (null at either end). Cursors are positions (`threadCursor`), so pages stay stable as threads
   * move. Later changes arrive as `thread/updated`, never by listing again. `archived: 'only'` lists the archived
   * ones, loaded on demand. `states` keeps the threads whose derived state (`threadStateOf`, CI included) is one of them.
   */
  'thread/list': {
    params: z
      .object({
        repoId: repoId.optional(),
        includeArchived: z.boolean().default(false),
        archived: z.enum(['exclude', 'include', 'only']).optional(),
        states: z.array(z.enum(threadStateNames)).min(1).max(10).optional(),
        limit: z.number().int().min(1).max(5000).optional(),
        cursor: z.string().max(500).optional(),
        /** The `limit` threads just before this cursor (still most recent first). */
        before: z.string().max(500).optional(),
        /** A page with this thread in it, centred where it can be. */
        anchor: z.object({ threadId }).optional(),
        /** Only the threads forked from this thread (it may be gone); archived ones too unless `archived` says otherwise. */
        forkedFrom: threadId.optional()
      })
      .default({ includeArchived: false }),
    result: z.object({
      threads: z.array(Thread),
      /** The cursor for the next page; null when this page reaches the end (always null without `limit`). */
      next: z.string().nullable().default(null),
      /** The cursor (for `before`) of the threads before this page; null when it starts the list. */
      previous: z.string().nullable().default(null),
      /** How many threads match the filter in all (every page together). */
      total: z.number().int().default(0)
    })
  },
  /** Thread counts of each known repository (or one): live, archived, and per derived state (CI included); `all` sums them. */
  'thread/counts': {
    params: z.object({ repoId: repoId.optional() }).default({}),
    result: z.object({ repos: z.array(ThreadCounts), all: ThreadCounts.omit({ repoId: true }) })
  },
  'thread/get': { params: z.object({ threadId }), result: Thread },
  /**
   * New worktree threads that start from one of this thread's checkpoints (`fromCheckpoint`), from the end of a
   * built-in turn (`fromTurnId`), or from its state now: files exactly as saved, uncommitted changes included, the
   * conversation up to that point, a CLI agent's session forked at that point. One thread per prompt (1 to 8, each
   * sent as its fork's first prompt), or one without a prompt.
   */
  'thread/fork': {
    params: z.object({
      threadId,
      fromCheckpoint: z.number().int().min(1).optional(),
      fromTurnId: OpaqueIdSchema('fromTurnId').optional(),
      title: title.optional(),
      prompts: z.array(z.string().trim().min(1).max(100_000)).max(8).default([])
    }),
    result: z.object({ threads: z.array(Thread) })
  },
  /**
   * Puts a thread back to a checkpoint (or the end of a built-in turn): its files, its built-in conversation, or both.
   * The state before is checkpointed first (`undo`), so a rewind can itself be rewound.
   */
  'thread/rewind': {
    params: z.object({
      threadId,
      checkpoint: z.number().int().min(1).optional(),
      turnId: OpaqueIdSchema('turnId').optional(),
      restore: RewindScope.default('both')
    }),
    result: z.object({
      thread: Thread,
      /** The checkpoint of the state just before the rewind. */
      undo: Checkpoint.nullable(),
      /** Files written or removed. */
      files: z.number(),
      /** The text of the first rewound user turn, to put back in the composer. */
      prompt: z.string().nullable()
    })
  },
  /** The thread's checkpoints, oldest first. */
  'checkpoint/list': { params: z.object({ threadId }), result: z.object({ checkpoints: z.array(Checkpoint) }) },
  /** Checkpoints the thread's worktree now (the button and shortcut). */
  'checkpoint/create': { params: z.object({ threadId, label: z.string().trim().max(200).optional() }), result: Checkpoint },
  /** What rewinding the code to a checkpoint would change, file by file. Changes nothing. */
  'checkpoint/diff': { params: z.object({ threadId, checkpoint: z.number().int().min(1) }), result: CheckpointDiff },
  /** One file now (original) and in the checkpoint (modified), for the rewind preview. */
  'checkpoint/file': {
    params: z.object({ threadId, checkpoint: z.number().int().min(1), path: z.string().min(1), force: z.boolean().default(false) }),
    result: FileDiff
  },
  'checkpoint/settings': { params: z.object({}).default({}), result: CheckpointSettings },
  /** Sets how many checkpoints a thread keeps and for how long (older ones are pruned, the newest 10 always kept). */
  'checkpoint/configure': { params: CheckpointSettings.partial(), result: CheckpointSettings },
  'thread/rename': { params: z.object({ threadId, title }), result: Thread },
  'thread/archive': { params: z.object({ threadId }), result: Thread },
  'thread/restore': { params: z.object({ threadId }), result: Thread },
  'thread/delete': { params: z.object({ threadId }), result: Ok },
  /** Which thread this client shows (null: none); a viewed thread is never marked unread. */
  'thread/setViewing': { params: z.object({ threadId: threadId.nullable() }), result: Ok },
  'thread/markRead': { params: z.object({ threadId }), result: Thread },
  /**
   * What the dashboard shows of these threads' work (last line, +/- counts, pending approval). Answers at once
   * with what is known; a count not measured yet follows as `thread/summary`, as does every later change.
   */
  'thread/summaries': {
    params: z.object({ threadIds: z.array(threadId).max(5000) }),
    result: z.object({ summaries: z.array(ThreadSummary) })
  },

  'pty/open': {
    params: z.object({
      threadId,
      kind: z.enum(['agent', 'shell']).default('shell'),
      profileId: ProfileId.optional(),
      prompt: z.string().max(100_000).optional(),
      cols: size('cols').default(80),
      rows: size('rows').default(24)
    }),
    result: PtyInfo
  },
  'pty/list': { params: z.object({ threadId }), result: z.object({ ptys: z.array(PtyInfo) }) },
  /** Starts sending this pty's output to the caller; returns the scrollback to show first. */
  'pty/attach': { params: z.object({ ptyId }), result: z.object({ pty: PtyInfo, scrollback: z.string() }) },
  'pty/detach': { params: z.object({ ptyId }), result: Ok },
  'pty/write': { params: z.object({ ptyId, data: z.string().max(1_000_000) }), result: Ok },
  'pty/resize': { params: z.object({ ptyId, cols: size('cols'), rows: size('rows') }), result: Ok },
  /** The caller has rendered this many more characters of the pty's output (flow control). */
  'pty/ack': { params: z.object({ ptyId, chars: z.number().int().min(0) }), result: Ok },
  'pty/close': { params: z.object({ ptyId }), result: Ok },

  /** Sends a message to the built-in agent; `attachments` are worktree-relative files to include. */
  'turn/start': {
    params: z.object({
      threadId,
      text: z.string().trim().min(1, 'A message is required').max(200_000),
      attachments: z.array(z.string()).max(20).default([])
    }),
    result: z.object({ turnId: z.string() })
  },
  /** Stops the stream and any running command at once. */
  'turn/interrupt': { params: z.object({ threadId }), result: Ok },
  /** Queues a message that the agent sees at its next step. */
  'turn/steer': { params: z.object({ threadId, text: z.string().trim().min(1).max(200_000) }), result: Ok },
  /** Retries the last turn that ended in an error. */
  'turn/retry': { params: z.object({ threadId }), result: z.object({ turnId: z.string() }) },
  /**
   * A window of a thread's items, in conversation order. Around `anchor` (the end by default, the start, or the item
   * `itemId`, which the window then holds), or continuing from a cursor: `before` gives the `limit` items just
   * before it, `after` those from it on. Positions are stable while the thread grows, so paging never skips or
   * repeats an item. Cursors are positions (shared/item-cursor.ts). Bulky fields come truncated (see
   * `Item.truncated`); `item/output` reads them whole.
   */
  'item/list': {
    params: z.object({
      threadId,
      anchor: z.union([z.enum(['end', 'start']), z.object({ itemId: OpaqueIdSchema('itemId') })]).default('end'),
      before: z.string().max(100).optional(),
      after: z.string().max(100).optional(),
      limit: z.number().int().min(1).max(1000).default(200)
    }),
    result: z.object({
      items: z.array(Item),
      /** The position of `items[0]` in the conversation (0-based). */
      start: z.number().int(),
      /** How many items the conversation holds now. */
      total: z.number().int(),
      /** Cursor for the items before this window; null when it starts at the beginning. */
      before: z.string().nullable(),
      /** Cursor for the items after this window; null when it reaches the end. */
      after: z.string().nullable()
    })
  },
  /** A slice of one field of an item that `item/list` sent truncated, read from the log on demand. */
  'item/output': {
    params: z.object({
      threadId,
      itemId: OpaqueIdSchema('itemId'),
      field: TruncatedField,
      offset: z.number().int().min(0).default(0),
      length: z.number().int().min(1).max(4_000_000).default(1_000_000)
    }),
    result: z.object({ text: z.string(), offset: z.number().int(), total: z.number().int() })
  },
  'approval/respond': {
    params: z.object({
      threadId,
      itemId: OpaqueIdSchema('itemId'),
      decision: z.enum(['once', 'session', 'deny']),
      message: z.string().max(10_000).optional()
    }),
    result: Ok
  },
  /** Changes the built-in agent's model or permission mode for a thread. */
  'thread/configure': {
    params: z.object({
      threadId,
      model: z.string().min(1).optional(),
      permissionMode: PermissionMode.optional(),
      sandbox: z.boolean().optional(),
      network: z.boolean().optional()
    }),
    result: Thread
  },
  /** Starts several investigation threads from one prompt. */
  'fanout/start': {
    params: z.object({
      repoId,
      prompt: z.string().trim().min(1).max(200_000),
      investigations: z
        .array(z.object({ title, focus: z.string().trim().min(1).max(2000) }))
        .min(1)
        .max(12),
      mode: ThreadMode.default('local'),
      permissionMode: PermissionMode.default('plan')
    }),
    result: z.object({ threads: z.array(Thread) })
  },
  /** Where the API key comes from and how a stored one is kept. */
  'settings/get': {
    params: z.object({}).default({}),
    result: z.object({
      apiKey: z.object({
        source: z.enum(['env', 'stored', 'session']).nullable(),
        storage: z.enum(['safeStorage', 'plaintext', 'memory']),
        warning: z.string().nullable()
      }),
      baseUrl: z.string().nullable(),
      models: z.array(z.object({ id: z.string(), label: z.string() })),
      defaultModel: z.string(),
      /** The OS sandbox agent commands run in here, or why there is none. */
      sandbox: z.object({ kind: z.enum(['bwrap', 'seatbelt', 'none']), reason: z.string().nullable() })
    })
  },
  /** Stores (or with null, forgets) the API key entered in Settings. Never logged. */
  'settings/setApiKey': { params: z.object({ apiKey: z.string().trim().min(1).max(500).nullable() }), result: Ok },

  /** What a thread changed: against the merge-base with its base ref, or uncommitted only. */
  'review/changes': { params: z.object({ threadId, scope: ChangeScope.default('base') }), result: ChangeSet },
  /**
   * Keeps this client's change set of a thread live: answers the current one, then sends
   * review/changed (debounced, computed in the core) whenever the worktree's changes differ. One per client and thread.
   */
  'review/watch': { params: z.object({ threadId, scope: ChangeScope.default('base') }), result: ChangeSet },
  'review/unwatch': { params: z.object({ threadId }), result: Ok },
  /** Both sides of one changed file, or a notice (binary, not UTF-8, over the size guard unless `force`). */
  'review/file': {
    params: z.object({
      threadId,
      path: z.string().min(1),
      oldPath: z.string().nullable().default(null),
      scope: ChangeScope.default('base'),
      force: z.boolean().default(false)
    }),
    result: FileDiff
  },
  /** Puts one hunk of a file back as it is on the scope's base side; refused if the file no longer has `expected` there. */
  'review/revertHunk': {
    params: z.object({
      threadId,
      path: z.string().min(1),
      oldPath: z.string().nullable().default(null),
      scope: ChangeScope.default('base'),
      original: LineSpan,
      modified: LineSpan,
      expected: z.string()
    }),
    result: Ok
  },

  /** The thread's review comments, re-anchored to the files as they are now. */
  'review/comments': { params: z.object({ threadId }), result: z.object({ comments: z.array(ReviewComment) }) },
  'review/comment': {
    params: z.object({
      threadId,
      path: z.string().min(1),
      startLine: z.number().int().min(1),
      endLine: z.number().int().min(1),
      body: z.string().trim().min(1, 'A comment needs text').max(20_000)
    }),
    result: ReviewComment
  },
  'review/editComment': {
    params: z.object({ threadId, commentId: OpaqueIdSchema('commentId'), body: z.string().trim().min(1).max(20_000) }),
    result: ReviewComment
  },
  'review/deleteComment': { params: z.object({ threadId, commentId: OpaqueIdSchema('commentId') }), result: Ok },
  /** The branch's own commits (`base..HEAD`), newest first: the first 200, and how many more there are. */
  'review/commits': { params: z.object({ threadId }), result: z.object({ commits: z.array(BranchCommit), more: z.number() }) },
  /** The files one commit of the thread changed (against its first parent), with line counts. */
  'review/commitFiles': {
    params: z.object({ threadId, sha: z.string().regex(/^[0-9a-f]{7,64}$/, 'A commit id is hexadecimal') }),
    result: z.object({ files: z.array(ChangedFile) })
  },
  /** What *Merge into base* would do: commits, files, fast-forward, conflicts, and the checkout holding the base (with local changes in the way). Changes nothing. */
  'review/mergePreview': { params: z.object({ threadId }), result: MergePlanView },
  /**
   * Merges the thread's commits into its base branch: refs only when the base is not checked out, else git's own
   * merge in the checkout that has it (`checkout`), after merge-tree proves no conflict. `expect` is the confirmed preview's base/head.
   */
  'review/mergeIntoBase': {
    params: z.object({
      threadId,
      expect: z.object({ base: z.string().regex(/^[0-9a-f]{40,64}$/), head: z.string().regex(/^[0-9a-f]{40,64}$/) }).optional()
    }),
    result: z.object({
      outcome: z.enum(['fast-forward', 'merged', 'up-to-date']),
      commit: z.string().nullable(),
      checkout: z.string().nullable()
    })
  },
  'review/commit': {
    params: z.object({ threadId, message: z.string().trim().min(1, 'A commit message is required').max(20_000) }),
    result: z.object({ commit: z.string() })
  },
  /** Puts a file back as HEAD (uncommitted scope) or the base (base scope) has it; a rename goes back to its old path. */
  'review/revertFile': {
    params: z.object({
      threadId,
      path: z.string().min(1),
      oldPath: z.string().min(1).nullable().default(null),
      scope: ChangeScope.default('uncommitted')
    }),
    result: z.object({ outcome: z.enum(['reverted', 'removed']) })
  },
  'review/push': { params: z.object({ threadId }), result: z.object({ remote: z.string() }) },
  'review/rebase': { params: z.object({ threadId }), result: z.object({ outcome: z.enum(['rebased', 'up-to-date']) }) },
  /** Sends all pending comments to the thread's agent as one message. */
  'review/submit': { params: z.object({ threadId }), result: z.object({ sent: z.number(), delivery: DeliveryOutcome }) },

  /** Claude Code and Codex sessions found on this machine (in `dir` or below), newest first. */
  'handoff/sessions': {
    params: z.object({ dir: z.string().min(1).optional(), source: SessionSource.optional() }).default({}),
    result: z.object({ sessions: z.array(SessionSummary) })
  },
  'handoff/preview': {
    params: z.object({ source: SessionSource, path: z.string().min(1) }),
    result: z.object({ title: z.string(), items: z.array(Item), total: z.number(), report: ImportReport })
  },
  /** Imports a session as a local thread of the repository it ran in; importing it again updates that thread. */
  'handoff/import': {
    params: z.object({
      source: SessionSource.optional(),
      sessionId: z.string().min(1).optional(),
      path: z.string().min(1).optional(),
      last: z.boolean().default(false),
      cwd: z.string().min(1).optional()
    }),
    result: z.object({
      thread: Thread,
      created: z.boolean(),
      items: z.number(),
      added: z.number(),
      malformed: z.number(),
      report: ImportReport
    })
  },
  /** Resumes an imported session in its own CLI (`claude --resume` / `codex resume`) in the thread's terminal. */
  'handoff/continue': { params: z.object({ threadId, cols: size('cols').default(100), rows: size('rows').default(30) }), result: PtyInfo },

  /** The CI status of every followed thread (for the sidebar dots and `skein list`). */
  'ci/statuses': { params: z.object({}).default({}), result: z.object({ statuses: z.array(CiStatus) }) },
  /** Polls a thread's CI now. */
  'ci/refresh': { params: z.object({ threadId }), result: CiStatus },
  /** A check's log: whole when small, else the first error's context and the tail. */
  'ci/log': { params: z.object({ threadId, checkId: OpaqueIdSchema('checkId') }), result: CiLog },
  /** Sends a failed check's name, commit and log excerpt to the thread's agent as one message. */
  'ci/sendFailure': {
    params: z.object({ threadId, checkId: OpaqueIdSchema('checkId') }),
    result: z.object({ delivery: DeliveryOutcome, text: z.string() })
  },
  /** The repository's check commands, those found in its files, and the thread's local runs. */
  'ci/checks': {
    params: z.object({ threadId }),
    result: z.object({
      configured: z.array(z.string()),
      suggestions: z.array(SuggestedCheck),
      runs: z.array(LocalRun),
      override: CiProviderOverride.nullable()
    })
  },
  'ci/runLocal': { params: z.object({ threadId, command: z.string().trim().min(1, 'A command is required').max(4000) }), result: LocalRun },
  'ci/cancelLocal': { params: z.object({ runId: OpaqueIdSchema('runId') }), result: LocalRun },
  /** A repository's CI service (when the remote does not say) and its check commands. */
  'ci/configure': {
    params: z.object({
      repoId,
      override: CiProviderOverride.nullable().optional(),
      checks: z.array(z.string().max(4000)).max(50).optional()
    }),
    result: Ok
  },

  /** Every known pull (GitHub) or merge (GitLab) request of a thread (for the sidebar and dashboard badges). */
  'pr/statuses': { params: z.object({}).default({}), result: z.object({ statuses: z.array(PrStatus) }) },
  /** The thread's request as last read; null when it has none. */
  'pr/status': { params: z.object({ threadId }), result: z.object({ status: PrStatus.nullable() }) },
  /** Reads the thread's request now (one opened elsewhere is found). */
  'pr/refresh': { params: z.object({ threadId }), result: z.object({ status: PrStatus.nullable() }) },
  /** A drafted title and body (the prompt, the agent's summary, the commits), the base, and whether one can be created or exists. */
  'pr/draft': { params: z.object({ threadId }), result: PrDraft },
  /** Pushes the branch and opens its request; an open one is shown instead (`existed`), never duplicated. */
  'pr/create': {
    params: z.object({
      threadId,
      title: z.string().trim().min(1, 'A title is required').max(256, 'A title is at most 256 characters'),
      body: z.string().max(65_000, 'The description is at most 65,000 characters').default(''),
      draft: z.boolean().default(false),
      reviewers: z
        .array(
          z
            .string()
            .trim()
            .regex(/^@?[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/, 'A reviewer is a user name (or org/team)')
        )
        .max(20)
        .default([]),
      labels: z
        .array(
          z
            .string()
            .trim()
            .min(1)
            .max(100)
            .regex(/^[^,\u0000-\u001f]+$/, 'A label has no commas')
        )
        .max(20)
        .default([]),
      base: z.string().trim().min(1).max(255).optional()
    }),
    result: z.object({ status: PrStatus, existed: z.boolean(), warnings: z.array(z.string()) })
  },
  /**
   * Merges the thread's open request through the service's API, only if its head is still `expectHead` (never forced).
   * `whenReady`: only when nothing blocks it; while only checks or a required review are missing, the service's own
   * auto-merge is turned on for that head instead (the result's `autoMerge`).
   */
  'pr/merge': {
    params: z.object({
      threadId,
      method: PrMergeMethod.default('merge'),
      expectHead: z
        .string()
        .regex(/^[0-9a-f]{40,64}$/)
        .optional(),
      whenReady: z.boolean().optional()
    }),
    result: PrStatus
  },
  /** Turns the service's own auto-merge of the thread's request off (GitHub's auto-merge, GitLab's merge when the pipeline succeeds). */
  'pr/cancelAutoMerge': { params: z.object({ threadId }), result: PrStatus },
  /** The request's review threads from GitHub or GitLab, on the lines of the files as they are now (read again unless just read). */
  /** `refresh`: read them from the service now (otherwise the core's copy, kept current by polling, placed on the files). */
  'pr/threads': { params: z.object({ threadId, refresh: z.boolean().optional() }), result: RemoteThreads },
  /** Replies to a review thread on the service. */
  'pr/reply': {
    params: z.object({
      threadId,
      remoteThreadId: OpaqueIdSchema('remoteThreadId'),
      body: z.string().trim().min(1, 'A reply needs text').max(65_000, 'A reply is at most 65,000 characters')
    }),
    result: RemoteThreads
  },
  /** Resolves (or reopens) a review thread on the service. */
  'pr/resolve': {
    params: z.object({ threadId, remoteThreadId: OpaqueIdSchema('remoteThreadId'), resolved: z.boolean() }),
    result: RemoteThreads
  },
  /** Sends every unresolved review thread to the thread's agent as one message (never typed into a shell). */
  'pr/sendThreads': { params: z.object({ threadId }), result: z.object({ sent: z.number(), delivery: DeliveryOutcome }) },

  /** Full-text search over every thread's title and items, best matches first, with filters and a cursor. */
  'search/query': { params: SearchParams, result: SearchPage },
  /** What the search index is doing (ready, rebuilding from the logs, unavailable). */
  'search/status': { params: z.object({}).default({}), result: SearchState },

  /** A repository's environment: the one in effect, its file and settings versions, and the other tools' setups found. */
  'environment/get': {
    params: z.object({ repoId }),
    result: ResolvedEnvironment.extend({
      detected: z.array(z.union([DetectedImport, z.object({ format: ImportFormat, files: z.array(z.string()), error: z.string() })]))
    })
  },
  /** Saves an environment to `.skein/environment.json` or to Skein's settings (null removes it from settings). Checked field by field. */
  'environment/save': {
    params: z.object({ repoId, target: z.enum(['file', 'settings']), environment: z.unknown().nullable() }),
    result: ResolvedEnvironment
  },
  /** Each repository's disk use as last measured (worktrees, shared folders once, leftovers); measured in the background. */
  'disk/usage': { params: z.object({}).default({}), result: z.object({ repos: z.array(RepoDisk) }) },
  /** Measures a repository (or all) again now. */
  'disk/refresh': { params: z.object({ repoId: repoId.optional() }).default({}), result: z.object({ repos: z.array(RepoDisk) }) },
  /** Whether one more worktree fits the repository's disk budget, with the numbers. */
  'disk/check': { params: z.object({ repoId }), result: BudgetCheck },
  /** Sets (or with null, clears) a repository's disk budget in bytes. */
  'disk/setBudget': {
    params: z.object({
      repoId,
      budgetBytes: z
        .number()
        .int()
        .positive()
        .max(2 ** 53)
        .nullable()
    }),
    result: RepoDisk
  },
  /** Leftover worktree folders and stale shared folders, each with whether it may be removed and why. Changes nothing. */
  'disk/cleanupPlan': {
    params: z.object({ repoId: repoId.optional() }).default({}),
    result: z.object({ candidates: z.array(CleanupCandidate) })
  },
  /** Removes the given folders, each only if checked again and still removable (a verified snapshot holds it all). */
  'disk/cleanup': {
    params: z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(1000) }),
    result: z.object({
      removed: z.array(z.object({ path: z.string(), bytes: z.number() })),
      kept: z.array(z.object({ path: z.string(), reason: z.string() }))
    })
  },
  /** The thread's ports and run command (its dev server), and its latest run. */
  'run/status': { params: z.object({ threadId }), result: RunStatus },
  /** Starts the thread's run command in its "Run" terminal; a running one is returned as is. */
  'run/start': { params: z.object({ threadId, cols: size('cols').default(120), rows: size('rows').default(30) }), result: PtyInfo },
  /** Stops the run command and every process it started; its output stays in the Run terminal. */
  'run/stop': { params: z.object({ threadId }), result: Ok },
  /** Sets (null: clears) a repository's run command in Skein's settings, for repositories whose files cannot carry one. */
  'run/configure': { params: z.object({ repoId, config: RunConfig.nullable() }), result: Ok },
  /** How many ports each thread gets, and the span they come from. */
  'ports/settings': { params: z.object({}).default({}), result: PortSettings },
  /** Sets how many ports each new thread gets (threads keep the range they hold). */
  'ports/configure': {
    params: z.object({
      count: z
        .number()
        .int('The port count must be a whole number')
        .min(1, 'A thread needs at least 1 port')
        .max(MAX_PORTS_PER_THREAD, `A thread gets at most ${MAX_PORTS_PER_THREAD} ports`)
    }),
    result: PortSettings
  },

  /** A thread's autopilot: settings, what it does now, and the attempts at its latest failure. */
  'autopilot/get': { params: z.object({ threadId }), result: AutopilotState },
  /** The autopilot of every thread that has one on, or attempts to show. */
  'autopilot/list': { params: z.object({}).default({}), result: z.object({ states: z.array(AutopilotState) }) },
  /** Turns a thread's autopilot on or off and sets its limits; on while CI fails, it starts at once. */
  'autopilot/configure': { params: AutopilotPatch.extend({ threadId }), result: AutopilotState },

  'profile/list': {
    params: z.object({ repoId: repoId.optional() }).default({}),
    result: z.object({ profiles: z.array(AgentProfile), defaultProfile: ProfileId })
  },
  /** Sets the default profile and custom command, globally or for one repository. */
  'profile/configure': {
    params: z.object({
      repoId: repoId.optional(),
      defaultProfile: ProfileId.optional(),
      customCommand: z.string().max(4000).nullable().optional(),
      /** The custom command takes review comments, CI failures and first prompts (default false). */
      customAcceptsPrompt: z.boolean().optional()
    }),
    result: z.object({ profiles: z.array(AgentProfile), defaultProfile: ProfileId })
  }
} as const

/** Every notification the core pushes: its params schema. */
export const notifications = {
  'repo/updated': z.object({ repo: Repo }),
  /** Show this thread or repository (from `skein open`, `skein new`, `skein handoff`). */
  'app/focus': z.object({ threadId: z.string().nullable(), repoId: z.string().nullable() }),
  'repo/removed': z.object({ repoId: z.string() }),
  'thread/updated': z.object({ thread: Thread }),
  'thread/removed': z.object({ threadId: z.string(), repoId: z.string() }),
  /** A checkpoint was taken. */
  'checkpoint/created': z.object({ checkpoint: Checkpoint }),
  /** Checkpoints were pruned (or went with their thread). */
  'checkpoint/removed': z.object({ threadId: z.string(), ns: z.array(z.number()) }),
  /** A thread was rewound (its items follow as item/completed with `rewound` set or cleared). */
  'thread/rewound': z.object({ threadId: z.string(), checkpoint: z.number(), restore: RewindScope, undo: z.number().nullable() }),
  /** Threads were forked from a thread. */
  'thread/forked': z.object({ threadId: z.string(), forks: z.array(z.string()) }),
  /** A thread's dashboard summary changed (throttled per thread). */
  'thread/summary': z.object({ summary: ThreadSummary }),
  /** Output of a pty, sent only to clients attached to it. */
  'pty/data': z.object({ ptyId: z.string(), data: z.string() }),
  'pty/exit': z.object({ ptyId: z.string(), threadId: z.string(), exitCode: z.number().nullable(), signal: z.number().nullable() }),
  /** A pty was opened or changed state; every client gets it (for terminal tabs). */
  'pty/updated': z.object({ pty: PtyInfo }),
  /** A new item of a built-in turn began (it joins the end of the conversation; deltas and a completion follow). */
  'item/started': z.object({ item: Item }),
  'item/delta': z.object({ threadId: z.string(), itemId: z.string(), delta: z.string() }),
  /**
   * An item finished or changed. `added`: true when it is new to the conversation (it joins the end), false when it
   * was there already (a rewind marks it, an import updates it); absent when the sender does not say.
   */
  'item/completed': z.object({ item: Item, added: z.boolean().optional() }),
  /** An approval card waits for the person (also sent as item/started). */
  'approval/requested': z.object({ item: Item }),
  /** An ended pty was closed: its tab and scrollback are gone. */
  'pty/removed': z.object({ ptyId: z.string(), threadId: z.string() }),
  'ci/updated': z.object({ status: CiStatus }),
  /** A repository's disk use was measured again (or its budget changed). */
  'disk/updated': z.object({ repo: RepoDisk }),
  /** A thread's pull or merge request changed; null: it has none (any more). */
  'pr/updated': z.object({ threadId: z.string(), status: PrStatus.nullable() }),
  /** A thread's request's review threads changed (read again by polling, a reply or a resolve). */
  'pr/threadsUpdated': RemoteThreads,
  /** A thread's CI turned failed (news only: not the state found at start-up). */
  'ci/failed': z.object({ threadId: z.string(), checks: z.array(z.string()) }),
  /** Output of a local check run, as it prints. */
  'ci/localOutput': z.object({ threadId: z.string(), runId: z.string(), chunk: z.string() }),
  /** A watched change set differs from the last one sent (only to clients watching that thread). */
  'review/changed': z.object({ threadId: z.string(), scope: ChangeScope, changes: ChangeSet }),
  /** A thread's autopilot changed (an attempt moved on, settings, a merge). */
  'autopilot/updated': z.object({ state: AutopilotState }),
  /** A thread's autopilot gave up, and why (news: for a toast and an OS notification). */
  'autopilot/gaveUp': z.object({ threadId: z.string(), reason: GiveUpReason, message: z.string() }),
  /** The search index is being built from the logs (it was missing, unreadable, or of an older version): a notice. */
  'search/rebuilding': SearchState,
  /** The search index caught up with the logs. */
  'search/ready': SearchState
} as const

/** Name of a request method. */
export type MethodName = keyof typeof methods
/** Params a caller passes to a method (defaults may be omitted). */
export type ParamsOf<M extends MethodName> = z.input<(typeof methods)[M]['params']>
/** Params a handler receives after validation. */
export type ParsedParamsOf<M extends MethodName> = z.output<(typeof methods)[M]['params']>
/** What a method resolves to. */
export type ResultOf<M extends MethodName> = z.output<(typeof methods)[M]['result']>
/** Name of a notification. */
export type NotificationName = keyof typeof notifications
/** Params of a notification. */
export type NotificationOf<N extends NotificationName> = z.output<(typeof notifications)[N]>

/** True when `name` is a known request method. */
export const isMethodName = (name: string): name is MethodName => Object.prototype.hasOwnProperty.call(methods, name)
