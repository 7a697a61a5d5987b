import type { ImportedFrom, PermissionMode, ProfileId, Repo, Thread, ThreadMode } from '../../../shared/models'
import type { Result } from '../../../shared/result'
import type { GitRunner } from '../git/git-runner'
import type { Logger } from '../logger'
import type { NotificationBus } from '../notification-bus'
import type { ThreadStore } from '../store/thread-store'
import type { CreateIntents } from './create-intents'
import type { WorktreeManager } from './worktree-manager'

/** What a caller asks for when creating a thread. */
export interface CreateThreadInput {
  repoId: string
  title: string
  baseRef?: string
  mode: ThreadMode
  /** Start this agent profile in the new thread. */
  profileId?: ProfileId
  prompt?: string
  /** The built-in agent's permission mode (default ask). */
  permissionMode?: PermissionMode
  /** The CLI session an imported thread continues. */
  imported?: ImportedFrom
  /** An investigation's own question (`fanout/start`), shown on its card. */
  focus?: string
  /** A fork: the commit its branch starts at (else the base ref), and what it was forked from. */
  startPoint?: string
  forkedFrom?: NonNullable<Thread['forkedFrom']>
  /** Fills a new worktree before its setup and agent start (a fork's checkpoint); a failure puts the thread in error. */
  prepare?: (thread: Thread) => Promise<Result<void>>
  /** Start the agent profile with the arguments this gives for the new thread (a CLI session forked at a checkpoint). */
  agentArgs?: (thread: Thread) => Promise<Result<string[]>>
}

/** The terminals side of a thread, as the thread lifecycle needs it. */
export interface ThreadSessions {
  open(
    threadId: string,
    o: { kind: 'agent'; profileId: ProfileId; prompt?: string; cols: number; rows: number; resume?: { args: string[]; cwd: string } }
  ): Promise<Result<unknown>>
  closeThread(threadId: string): Promise<void>
}

/** The environment side of a new worktree: setup that runs after it is made, and the archive command. */
export interface WorktreeSetup {
  /** Starts the setup of a new worktree; `record` saves each state it goes through on the thread. */
  begin(
    thread: Thread,
    record: (setup: NonNullable<Thread['setup']>) => Promise<void>
  ): Promise<{ waitForSetup: boolean; done: Promise<unknown> } | null>
  /** Runs the archive command; resolves with a note when it failed (the archive goes on), else null. */
  beforeArchive(thread: Thread): Promise<string | null>
}

/** Checks that a profile can run before a thread is made for it. */
export interface ProfileCheck {
  plan(profileId: ProfileId, o: { repoId?: string }): Promise<Result<unknown>>
}

/** What a ThreadService needs. */
export interface ThreadServiceDeps {
  git: GitRunner
  store: ThreadStore
  worktrees: WorktreeManager
  bus: NotificationBus
  repos: { get(id: string): Result<Repo> }
  logger: Logger
  /** Opens a thread's agent terminal and closes all its terminals. */
  sessions: ThreadSessions
  profiles: ProfileCheck
  /** Where creates in flight are recorded, for clean-up after a crash (none: not recorded). */
  intents?: CreateIntents | null
  /** Copies files, shares folders and runs setup in new worktrees (none: bare worktrees). */
  environment?: WorktreeSetup | null
}
