import { existsSync } from 'node:fs'
import { appError, ErrorCode } from '../../../shared/errors'
import type { Item, PermissionMode, Thread, ThreadMode } from '../../../shared/models'
import { DEFAULT_MODEL, MODELS } from '../../../shared/pricing'
import { err, ok, type Result } from '../../../shared/result'
import type { Logger } from '../logger'
import type { SandboxService } from '../sandbox/sandbox-service'
import type { NotificationBus } from '../notification-bus'
import type { ThreadService } from '../threads/thread-service'
import { Turn } from './agent-runner'
import type { ApiKeyStore } from './api-key-store'
import { loadInstructions } from './instructions'
import { loadAnthropic } from './model-call'
import { readInside } from './worktree-fs'
import type { Tool } from './tools/tool-types'
import type { Transcript } from './transcript'
import type { ItemWindow, ItemWindowRequest } from './item-window'
import type { ParsedParamsOf, ResultOf } from '../../../shared/methods'

const ATTACHMENT_CAP = 100_000

/** What the agent service needs. */
export interface AgentDeps {
  threads: ThreadService
  thread(id: string): Thread | undefined
  transcript: Transcript
  tools: Map<string, Tool>
  keys: ApiKeyStore
  bus: NotificationBus
  logger: Logger
  sandbox: SandboxService
  env?: NodeJS.ProcessEnv
  /** Resolves once a thread's environment setup has ended (at once when none runs). */
  setupDone?: (threadId: string) => Promise<void>
  /** Checkpoints the worktree before a turn; resolves with why it could not, or null. */
  beforeTurn?: (threadId: string, turnId: string, text: string) => Promise<string | null>
}

/** Skein's built-in Claude agent: turns, steering, interrupts, approvals, fan-out and settings. */
export class AgentService {
  private readonly running = new Map<string, Turn>()
  private readonly steers = new Map<string, string[]>()
  private readonly sessionAllowed = new Map<string, Set<string>>()
  private readonly instructionsShown = new Set<string>()
  /** Threads whose new turn is being set up (checkpointed, its message saved). */
  private readonly starting = new Set<string>()
  /** Threads whose saved approval is being answered (a turn is being set up for it). */
  private readonly resuming = new Set<string>()

  constructor(private readonly deps: AgentDeps) {}

  /** The thread's whole transcript. */
  items(threadId: string): Promise<Item[]> {
    return this.deps.transcript.items(threadId)
  }

  /** `item/list`: a window of the thread's items, bulky fields truncated. */
  window(req: ItemWindowRequest): Promise<Result<ItemWindow>> {
    if (!this.deps.thread(req.threadId))
      return Promise.resolve(err(appError(ErrorCode.ThreadNotFound, `No thread with id ${req.threadId}.`)))
    return this.deps.transcript.window(req)
  }

  /** `item/output`: a slice of one field of an item, read whole from the log. */
  output(req: ParsedParamsOf<'item/output'>): Promise<Result<ResultOf<'item/output'>>> {
    if (!this.deps.thread(req.threadId))
      return Promise.resolve(err(appError(ErrorCode.ThreadNotFound, `No thread with id ${req.threadId}.`)))
    return this.deps.transcript.output(req)
  }

  /** Sends a message and starts a turn; it runs in the background and streams items. */
  async startTurn(threadId: string, text: string, attachments: string[] = []): Promise<Result<{ turnId: string }>> {
    const t = this.usable(threadId)
    if (!t.ok) return t
    // A new worktree's setup runs first (unless its environment says parallel): the turn starts on a ready worktree.
    await this.deps.setupDone?.(threadId)
    if (this.running.has(threadId))
      return err(
        appError(ErrorCode.InvalidThreadState, 'The agent is still working on this thread. Steer it with a message, or stop it first.')
      )
    const files: string[] = []
    let modelText = text
    for (const a of attachments) {
      // Read the way the agent's own tools read, so an attachment cannot reach outside the worktree either.
      const p = await readInside(t.value.worktreePath, a)
      if (!p.ok)
        return err(
          appError(
            ErrorCode.InvalidParams,
            `Cannot attach ${a}: ${p.kind === 'outside' || p.kind === 'invalid' ? p.reason : 'it is not a readable file in the worktree'}.`
          )
        )
      const content = p.text
      files.push(p.relative)
      modelText += `\n\n<file path="${p.relative}">\n${content.length > ATTACHMENT_CAP ? `${content.slice(0, ATTACHMENT_CAP)}\n[truncated at ${ATTACHMENT_CAP} characters]` : content}\n</file>`
    }
    if (this.resuming.has(threadId))
      return err(
        appError(
          ErrorCode.InvalidThreadState,
          'The agent is resuming this thread after an approval. Steer it with a message, or stop it first.'
        )
      )
    // The checkpoint before a turn takes a moment: a second message meanwhile must not start a second turn.
    if (this.starting.has(threadId)) return err(appError(ErrorCode.InvalidThreadState, 'The agent is starting a turn on this thread.'))
    this.starting.add(threadId)
    try {
      const turn = await this.makeTurn(t.value)
      await this.dropWaitingApprovals(threadId, turn)
      const unsaved = await this.deps.beforeTurn?.(threadId, turn.id, text)
      await turn.save(turn.item('user', { text, status: 'completed', ...(files.length ? { modelText, attachments: files } : {}) }))
      // Said in the conversation, never silent: this turn cannot be rewound to.
      if (unsaved) await turn.save(turn.item('notice', { text: `No checkpoint before this turn: ${unsaved}`, status: 'completed' }))
      return await this.launch(t.value, turn)
    } finally {
      this.starting.delete(threadId)
    }
  }

  /** Runs the last turn again after it failed (the history already holds the person's message). */
  async retry(threadId: string): Promise<Result<{ turnId: string }>> {
    const t = this.usable(threadId)
    if (!t.ok) return t
    if (this.running.has(threadId)) return err(appError(ErrorCode.InvalidThreadState, 'The agent is already working on this thread.'))
    const items = await this.deps.transcript.items(threadId)
    if (!items.some((i) => i.kind === 'user'))
      return err(appError(ErrorCode.InvalidThreadState, 'There is nothing to retry yet: send a message first.'))
    const turn = await this.makeTurn(t.value)
    await this.dropWaitingApprovals(threadId, turn)
    return this.launch(t.value, turn)
  }

  /** Stops the running turn at once: the stream, any command and any wait for approval. */
  interrupt(threadId: string): Result<void> {
    const turn = this.running.get(threadId)
    if (!turn) return err(appError(ErrorCode.InvalidThreadState, 'The agent is not running on this thread.'))
    turn.interrupt()
    return ok(undefined)
  }

  /** Queues a message the agent sees at its next step; with no turn running, starts one. */
  async steer(threadId: string, text: string): Promise<Result<void>> {
    if (!this.running.has(threadId)) {
      const started = await this.startTurn(threadId, text)
      return started.ok ? ok(undefined) : started
    }
    const queue = this.steers.get(threadId) ?? []
    queue.push(text)
    this.steers.set(threadId, queue)
    return ok(undefined)
  }

  /**
   * Answers an approval card. With its turn still running, the turn goes on; an approval saved before
   * a restart starts a new turn that runs (or denies) the call and continues from the logged history.
   */
  async respond(threadId: string, itemId: string, decision: 'once' | 'session' | 'deny', message?: string): Promise<Result<void>> {
    const gone = () =>
      err(appError(ErrorCode.InvalidThreadState, 'That approval is no longer waiting (the turn ended or was interrupted).'))
    const turn = this.running.get(threadId)
    if (turn) return turn.respond(itemId, decision, message) ? ok(undefined) : gone()
    if (this.resuming.has(threadId)) return gone()
    this.resuming.add(threadId)
    try {
      const items = await this.deps.transcript.items(threadId)
      const approval = items.find((i) => i.id === itemId && i.kind === 'approval' && i.status === 'pending' && i.approval)
      const toolItem = approval && items.find((i) => i.id === approval.approval!.toolItemId && i.kind === 'tool' && i.tool)
      if (!approval || !toolItem || this.running.has(threadId)) return gone()
      const t = this.usable(threadId)
      if (!t.ok) return t
      const resumed = await this.makeTurn(t.value)
      const launched = await this.launch(t.value, resumed, () => resumed.resume(approval, toolItem, { decision, message }))
      return launched.ok ? ok(undefined) : launched
    } finally {
      this.resuming.delete(threadId)
    }
  }

  /** Whether the thread has an approval saved before a restart that still waits for an answer. */
  async hasWaitingApproval(threadId: string): Promise<boolean> {
    if (this.running.has(threadId)) return false
    return this.deps.transcript.hasPendingApproval(threadId)
  }

  /** Changes the model, permission mode, sandbox or network access; takes effect at the next step. */
  async configure(
    threadId: string,
    o: { model?: string; permissionMode?: PermissionMode; sandbox?: boolean; network?: boolean }
  ): Promise<Result<Thread>> {
    const t = this.deps.thread(threadId)
    if (!t) return err(appError(ErrorCode.ThreadNotFound, `No thread with id ${threadId}.`))
    const patch: Partial<Thread['conversation']> = {}
    if (o.model) patch.model = o.model
    if (o.permissionMode) patch.permissionMode = o.permissionMode
    if (o.sandbox !== undefined) patch.sandbox = o.sandbox
    if (o.network !== undefined) patch.network = o.network
    const updated = await this.deps.threads.updateConversation(threadId, patch, null)
    return updated ? ok(updated) : err(appError(ErrorCode.ThreadNotFound, `No thread with id ${threadId}.`))
  }

  /** Starts one investigation thread per focus line, each with the shared prompt. */
  async fanout(o: {
    repoId: string
    prompt: string
    investigations: { title: string; focus: string }[]
    mode: ThreadMode
    permissionMode: PermissionMode
  }): Promise<Result<{ threads: Thread[] }>> {
    const made: Thread[] = []
    for (const inv of o.investigations) {
      const t = await this.deps.threads.create({
        repoId: o.repoId,
        title: inv.title,
        mode: o.mode,
        permissionMode: o.permissionMode,
        focus: inv.focus
      })
      if (!t.ok) return made.length ? ok({ threads: made }) : t
      const started = await this.startTurn(t.value.id, `${o.prompt}\n\nYour focus in this thread: ${inv.focus}`)
      if (!started.ok) this.deps.logger.warn(`Fan-out thread ${t.value.title} did not start: ${started.error.message}`)
      made.push(this.deps.thread(t.value.id) ?? t.value)
    }
    return ok({ threads: made })
  }

  /** Where the key comes from, how an entered one is kept, the endpoint and the models. */
  async settings() {
    const env = this.deps.env ?? process.env
    const support = await this.deps.sandbox.detect()
    return {
      sandbox: support.kind === 'none' ? { kind: support.kind, reason: support.reason } : { kind: support.kind, reason: null },
      apiKey: { source: this.deps.keys.source(), ...this.deps.keys.storage() },
      baseUrl: env.ANTHROPIC_BASE_URL?.trim() || null,
      models: MODELS.map(({ id, label }) => ({ id, label })),
      defaultModel: DEFAULT_MODEL
    }
  }

  /** Stores or forgets the key entered in Settings. */
  setApiKey(key: string | null): Promise<void> {
    return this.deps.keys.set(key)
  }

  /** Stops a thread's turn (archive, delete) and forgets its session approvals. */
  async stopThread(threadId: string): Promise<void> {
    this.running.get(threadId)?.interrupt()
    this.sessionAllowed.delete(threadId)
  }

  /** Stops every turn (quit); approvals still waiting stay pending, to be answered after the restart. */
  dispose(): void {
    for (const t of this.running.values()) t.shutdown()
  }

  private usable(threadId: string): Result<Thread> {
    const t = this.deps.thread(threadId)
    if (!t) return err(appError(ErrorCode.ThreadNotFound, `No thread with id ${threadId}.`))
    if (t.status === 'archived')
      return err(appError(ErrorCode.InvalidThreadState, `"${t.title}" is archived. Restore it to continue the conversation.`))
    if (!existsSync(t.worktreePath) || (t.mode === 'worktree' && !t.branch)) {
      return err(
        appError(
          ErrorCode.WorktreeMissing,
          `The agent cannot work in "${t.title}": its folder ${t.worktreePath} is missing. Restore the thread first.`
        )
      )
    }
    return ok(t)
  }

  private async makeTurn(thread: Thread): Promise<Turn> {
    const instructions = await loadInstructions(thread.worktreePath, thread.worktreePath)
    const allowed = this.sessionAllowed.get(thread.id) ?? new Set<string>()
    this.sessionAllowed.set(thread.id, allowed)
    const env = this.deps.env ?? process.env
    const key = this.deps.keys.key()
    const Anthropic = await loadAnthropic()
    return new Turn({
      client: new Anthropic({
        apiKey: key ?? 'missing',
        baseURL: env.ANTHROPIC_BASE_URL?.trim() || undefined,
        maxRetries: 0,
        timeout: 10 * 60_000
      }),
      transcript: this.deps.transcript,
      bus: this.deps.bus,
      tools: this.deps.tools,
      system: systemPrompt(thread, instructions.text),
      instructionFiles: instructions.truncated ? [...instructions.files, '(cut to 32,000 characters)'] : instructions.files,
      thread: () => this.deps.thread(thread.id),
      setPhase: async (phase, patch) => {
        await this.deps.threads.updateConversation(thread.id, { ...patch }, phase)
      },
      sessionAllowed: allowed,
      hasSteers: () => (this.steers.get(thread.id)?.length ?? 0) > 0,
      sandboxSupport: () => this.deps.sandbox.detect(),
      takeSteers: () => {
        const q = this.steers.get(thread.id) ?? []
        this.steers.delete(thread.id)
        return q
      }
    })
  }

  /** A new message or a retry passes over approvals left from before a restart: they are closed, not left pending. */
  private async dropWaitingApprovals(threadId: string, turn: Turn): Promise<void> {
    const items = await this.deps.transcript.items(threadId)
    for (const approval of items.filter((i) => i.kind === 'approval' && i.status === 'pending' && i.approval)) {
      await turn.save({ ...approval, status: 'interrupted' })
      const tool = items.find((i) => i.id === approval.approval!.toolItemId && i.kind === 'tool' && i.tool)
      if (tool)
        await turn.save({
          ...tool,
          status: 'interrupted',
          tool: { ...tool.tool!, output: 'Not run: the person sent a new message instead of answering the approval.', isError: true }
        })
    }
  }

  private async launch(
    thread: Thread,
    turn: Turn,
    body: () => Promise<'done' | 'interrupted' | 'failed'> = () => turn.run()
  ): Promise<Result<{ turnId: string }>> {
    if (!this.deps.keys.key()) {
      await turn.save(
        turn.item('error', {
          text: 'No Anthropic API key is set. Add one in Settings (or set ANTHROPIC_API_KEY), then choose Retry.',
          retryable: true
        })
      )
      return ok({ turnId: turn.id })
    }
    if (!this.instructionsShown.has(thread.id)) {
      this.instructionsShown.add(thread.id)
      const files = turn.instructionFiles
      await turn.save(
        turn.item('notice', {
          text: files.length ? `Loaded project instructions: ${files.join(', ')}` : 'No AGENTS.md or CLAUDE.md found in this checkout.'
        })
      )
    }
    this.running.set(thread.id, turn)
    await this.deps.threads.updateConversation(thread.id, { busy: true }, 'running')
    void body()
      .then(async (outcome) => {
        if (outcome === 'interrupted') await turn.save(turn.item('notice', { text: 'Interrupted', status: 'interrupted' }))
      })
      .catch(async (e) => {
        this.deps.logger.error(`Turn ${turn.id} failed`, e)
        await turn
          .save(turn.item('error', { text: `The agent stopped on an internal error: ${(e as Error).message}`, retryable: true }))
          .catch(() => undefined)
      })
      .finally(async () => {
        this.running.delete(thread.id)
        await this.deps.threads.updateConversation(thread.id, { busy: false }, 'done')
      })
    return ok({ turnId: turn.id })
  }
}

function systemPrompt(t: Thread, instructions: string): string {
  const mode = {
    plan: "plan (read-only: edits are refused, and commands other than read-only ones need the person's approval)",
    ask: "ask (every edit and command needs the person's approval)",
    'accept-edits': 'accept-edits (edits run; commands need approval)',
    auto: 'auto (everything runs)'
  }[t.conversation.permissionMode]
  return [
    `You are Skein's built-in coding agent. You work in ${t.worktreePath}${t.branch ? ` on branch ${t.branch}` : ''}; every path you use is relative to it and must stay inside it.`,
    `Tools: read_file, list_files, search (git grep), edit_file (exact unique replacement), write_file, and bash (a persistent shell the person watches live).`,
    `Permission mode: ${mode}. If a tool call is refused or denied, adapt instead of retrying the same call.`,
    'Be concise. When you investigate, report findings with file paths and line numbers.',
    instructions ? `\nProject instructions:\n${instructions}` : ''
  ].join('\n')
}
