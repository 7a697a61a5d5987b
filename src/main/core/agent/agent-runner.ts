import type Anthropic from '@anthropic-ai/sdk'
import { randomBytes } from 'node:crypto'
import type { Item, PermissionMode, Thread } from '../../../shared/models'
import { addUsage, estimateCost, NO_USAGE, type TokenUsage } from '../../../shared/pricing'
import type { NotificationBus } from '../notification-bus'
import type { SandboxLevel, SandboxSupport } from '../sandbox/sandbox-types'
import { buildMessages } from './history'
import { streamStep } from './model-call'
import { toolDefinitions } from './tool-set'
import { isReadOnlyCommand } from './tools/read-only-commands'
import { permissionFor, type Tool } from './tools/tool-types'
import type { Transcript } from './transcript'

const newId = (prefix: string) => `${prefix}${Date.now().toString(36)}${randomBytes(4).toString('hex')}`

/** What one running turn needs from the rest of the core. */
export interface TurnDeps {
  client: Anthropic
  transcript: Transcript
  bus: NotificationBus
  tools: Map<string, Tool>
  system: string
  /** The AGENTS.md / CLAUDE.md files in the system prompt, for the transcript. */
  instructionFiles: string[]
  thread(): Thread | undefined
  /** Status and usage go to the thread (running, waiting for approval, done). */
  setPhase(phase: 'running' | 'approval', patch?: Partial<Thread['conversation']>): Promise<void>
  /** Session-wide approvals ("approve for this session") for this thread. */
  sessionAllowed: Set<string>
  /** Messages queued with turn/steer, taken at the next step. */
  takeSteers(): string[]
  /** Whether steer messages wait: a turn that would end goes on to answer them. */
  hasSteers(): boolean
  /** Which OS sandbox this machine has for commands. */
  sandboxSupport(): Promise<SandboxSupport>
}

/** A pending approval: resolved by approval/respond or by an interrupt. */
export interface PendingApproval {
  item: Item
  resolve(decision: { decision: 'once' | 'session' | 'deny'; message?: string } | null): void
}

/** Runs one turn of the built-in agent: model steps and tool calls until the model is done. */
export class Turn {
  readonly id = newId('turn')
  readonly abort = new AbortController()
  readonly approvals = new Map<string, PendingApproval>()
  usage: TokenUsage = NO_USAGE
  private sandboxNoticeShown = false

  constructor(private readonly deps: TurnDeps) {}

  /** The project instruction files this turn's system prompt includes. */
  get instructionFiles(): string[] {
    return this.deps.instructionFiles
  }

  /** Runs to the end; resolves with how it ended. Never throws for expected failures. */
  async run(): Promise<'done' | 'interrupted' | 'failed'> {
    const maxSteps = 100
    for (let step = 0; step < maxSteps; step++) {
      for (const text of this.deps.takeSteers()) await this.save(this.item('user', { text, status: 'completed' }))
      const thread = this.deps.thread()
      if (!thread) return 'failed'
      const stepId = newId('step')
      let assistant: Item | null = null
      let attemptSeen = 1
      const result = await streamStep(
        this.deps.client,
        {
          model: thread.conversation.model,
          system: this.deps.system,
          messages: buildMessages(await this.deps.transcript.items(thread.id)),
          tools: toolDefinitions(this.deps.tools),
          maxTokens: 16_000
        },
        this.abort.signal,
        {
          onText: (delta, attempt) => {
            if (attempt !== attemptSeen) attemptSeen = attempt
            if (!assistant) {
              assistant = this.item('assistant', { text: '', status: 'streaming', stepId })
              void this.deps.transcript.put(assistant)
              this.deps.bus.publish('item/started', { item: assistant })
            }
            assistant.text += delta
            this.deps.bus.publish('item/delta', { threadId: thread.id, itemId: assistant.id, delta })
          },
          onRetry: (notice, _attempt, partial) => {
            if (assistant && partial) {
              // What the failed attempt streamed stays visible; the retry starts a fresh item.
              void this.save({ ...assistant, status: 'failed', text: `${assistant.text}\n\n[the connection dropped here; retrying]` })
            }
            assistant = null
            void this.save(this.item('notice', { text: notice, status: 'completed' }))
          }
        }
      )
      if (!result.ok) {
        const current = assistant as Item | null
        if (current) await this.save({ ...current, status: result.error.kind === 'interrupted' ? 'interrupted' : 'failed' })
        if (result.error.kind === 'interrupted') return 'interrupted'
        await this.save(
          this.item('error', {
            text: result.error.message,
            status: 'completed',
            retryable: result.error.kind === 'fatal' ? result.error.retryable : true
          })
        )
        return 'failed'
      }
      const r = result.value
      this.usage = addUsage(this.usage, r.usage)
      const usage = { ...r.usage, costUsd: estimateCost(thread.conversation.model, r.usage) }
      const current = assistant as Item | null
      if (current) await this.save({ ...current, status: 'completed', text: r.text, usage })
      else if (r.toolUses.length === 0) await this.save(this.item('assistant', { text: r.text, status: 'completed', stepId, usage }))
      await this.addThreadUsage(r.usage)
      for (const use of r.toolUses) {
        const outcome = await this.runTool(stepId, use)
        if (outcome === 'interrupted') return 'interrupted'
      }
      if (r.toolUses.length === 0 && r.stopReason !== 'tool_use' && !this.deps.hasSteers()) return 'done'
    }
    await this.save(
      this.item('error', {
        text: 'The agent took 100 steps in one turn and was stopped. Send a message to continue.',
        status: 'completed',
        retryable: false
      })
    )
    return 'failed'
  }

  /** Answers a pending approval. */
  respond(itemId: string, decision: 'once' | 'session' | 'deny', message?: string): boolean {
    const p = this.approvals.get(itemId)
    if (!p) return false
    p.resolve({ decision, message })
    return true
  }

  /** Stops the stream, the running command and any wait for approval. */
  interrupt(): void {
    this.abort.abort()
    for (const p of this.approvals.values()) p.resolve(null)
  }

  /**
   * Skein is quitting: stops the stream and the running command, but leaves a card waiting for an
   * answer as it is on disk (pending), so it can be answered after the restart.
   */
  shutdown(): void {
    this.approvals.clear()
    this.abort.abort()
  }

  private async runTool(stepId: string, use: { id: string; name: string; input: Record<string, unknown> }): Promise<'ok' | 'interrupted'> {
    const thread = this.deps.thread()!
    const tool = this.deps.tools.get(use.name)
    const item = this.item('tool', { status: 'running', stepId, tool: { useId: use.id, name: use.name, input: use.input } })
    await this.deps.transcript.put(item)
    this.deps.bus.publish('item/started', { item })
    if (!tool) {
      await this.finishTool(item, `There is no tool named ${use.name}.`, true)
      return 'ok'
    }
    const mode: PermissionMode = thread.conversation.permissionMode
    const sandbox = tool.category === 'command' ? await this.sandboxFor(thread) : null
    const ctx = {
      worktree: thread.worktreePath,
      threadId: thread.id,
      signal: this.abort.signal,
      sandbox,
      progress: (t: string) => this.deps.bus.publish('item/delta', { threadId: thread.id, itemId: item.id, delta: t })
    }
    let permission = permissionFor(mode, tool, use.input, isReadOnlyCommand)
    // "For this session" holds under the mode and sandbox it was given in: approving commands in
    // Plan mode's read-only sandbox says nothing about running them unsandboxed in Ask mode.
    const sessionKey = `${mode}/${sandbox ?? 'none'}/${tool.category}`
    if (permission === 'ask' && this.deps.sessionAllowed.has(sessionKey)) permission = 'allow'
    if (permission === 'refuse') {
      await this.finishTool(
        item,
        `Refused: this thread is in plan mode, which is read-only. ${tool.name} was not run. Describe the change instead, or ask the person to switch the permission mode.`,
        true
      )
      return 'ok'
    }
    if (permission === 'ask') {
      // Logged now, so the approval card still has its tool call if Skein stops before the answer.
      await this.deps.transcript.save(item)
      const decision = await this.askApproval(item, tool, use.input, ctx, approvalNote(mode, tool, sandbox))
      if (decision === null) {
        await this.finishTool(item, 'Interrupted before the person answered.', true, {}, 'interrupted')
        return 'interrupted'
      }
      if (decision.decision === 'deny') {
        await this.finishTool(item, denialText(tool, decision.message), true)
        return 'ok'
      }
      if (decision.decision === 'session') this.deps.sessionAllowed.add(sessionKey)
    }
    return this.execute(item, tool, use.input, ctx)
  }

  /**
   * Answers an approval that outlived a restart: runs (or denies) its tool call under the thread's
   * current mode, then goes on as a new turn from the logged history, which now holds the result.
   */
  async resume(
    approval: Item,
    toolItem: Item,
    answer: { decision: 'once' | 'session' | 'deny'; message?: string }
  ): Promise<'done' | 'interrupted' | 'failed'> {
    const thread = this.deps.thread()
    if (!thread || !toolItem.tool) return 'failed'
    await this.save({
      ...approval,
      status: 'completed',
      approval: { ...approval.approval!, decision: answer.decision, message: answer.message }
    })
    const tool = this.deps.tools.get(toolItem.tool.name)
    const input = toolItem.tool.input
    if (!tool) {
      await this.finishTool(toolItem, `There is no tool named ${toolItem.tool.name}.`, true)
    } else if (answer.decision === 'deny') {
      await this.finishTool(toolItem, denialText(tool, answer.message), true)
    } else {
      const mode: PermissionMode = thread.conversation.permissionMode
      const sandbox = tool.category === 'command' ? await this.sandboxFor(thread) : null
      if (permissionFor(mode, tool, input, isReadOnlyCommand) === 'refuse') {
        // The mode changed to plan while the card waited: the approval does not outrank it.
        await this.finishTool(toolItem, `Refused: this thread is now in plan mode, which is read-only. ${tool.name} was not run.`, true)
      } else {
        if (answer.decision === 'session') this.deps.sessionAllowed.add(`${mode}/${sandbox ?? 'none'}/${tool.category}`)
        const ctx = {
          worktree: thread.worktreePath,
          threadId: thread.id,
          signal: this.abort.signal,
          sandbox,
          progress: (t: string) => this.deps.bus.publish('item/delta', { threadId: thread.id, itemId: toolItem.id, delta: t })
        }
        if ((await this.execute(toolItem, tool, input, ctx)) === 'interrupted') return 'interrupted'
      }
    }
    return this.run()
  }

  private async execute(
    item: Item,
    tool: Tool,
    input: Record<string, unknown>,
    ctx: Parameters<Tool['run']>[1]
  ): Promise<'ok' | 'interrupted'> {
    try {
      const out = await tool.run(input, ctx)
      if (this.abort.signal.aborted) {
        await this.finishTool(item, out.output, true, { exitCode: out.exitCode }, 'interrupted')
        return 'interrupted'
      }
      await this.finishTool(item, out.output, out.isError, { exitCode: out.exitCode, diff: out.diff })
    } catch (e) {
      await this.finishTool(item, `The tool failed: ${(e as Error).message}`, true)
    }
    return 'ok'
  }

  private async finishTool(
    item: Item,
    output: string,
    isError: boolean,
    extra: Partial<NonNullable<Item['tool']>> = {},
    status: Item['status'] = 'completed'
  ): Promise<void> {
    await this.save({ ...item, status, tool: { ...item.tool!, output, isError, ...extra } })
  }

  /**
   * The sandbox a command runs in: read-only in Plan mode, only the worktree writable in the other
   * modes when the thread keeps the sandbox on, none where this machine has no sandbox (said once
   * per turn in the transcript, so the person knows Plan mode now relies on asking).
   */
  private async sandboxFor(thread: Thread): Promise<SandboxLevel | null> {
    const { permissionMode, sandbox } = thread.conversation
    if (permissionMode !== 'plan' && !sandbox) return null
    const support = await this.deps.sandboxSupport()
    if (support.kind !== 'none') return permissionMode === 'plan' ? 'read-only' : 'worktree'
    if (!this.sandboxNoticeShown) {
      this.sandboxNoticeShown = true
      const text =
        permissionMode === 'plan'
          ? `No OS sandbox on this machine: ${support.reason}. Plan mode asks before every command that is not on its read-only list, and an approved command runs with your full access.`
          : `No OS sandbox on this machine: ${support.reason}. Commands run with your full access.`
      await this.save(this.item('notice', { text, status: 'completed' }))
    }
    return null
  }

  private async askApproval(
    toolItem: Item,
    tool: Tool,
    input: Record<string, unknown>,
    ctx: Parameters<NonNullable<Tool['preview']>>[1],
    note?: string
  ) {
    const preview = tool.preview ? await tool.preview(input, ctx) : {}
    const approval = this.item('approval', {
      status: 'pending',
      approval: {
        toolItemId: toolItem.id,
        summary: tool.summarize(input),
        command: tool.category === 'command' ? String(input.command ?? '') : undefined,
        path: preview.path,
        diff: preview.diff,
        decision: null,
        ...(note ? { note } : {})
      }
    })
    // Registered before anyone hears of it, so an answer can never arrive before the card is waiting.
    const answer = new Promise<{ decision: 'once' | 'session' | 'deny'; message?: string } | null>((resolve) => {
      this.approvals.set(approval.id, { item: approval, resolve })
      if (this.abort.signal.aborted) resolve(null)
    })
    await this.save(approval)
    this.deps.bus.publish('approval/requested', { item: approval })
    await this.deps.setPhase('approval')
    const decision = await answer
    this.approvals.delete(approval.id)
    await this.save({
      ...approval,
      status: decision ? 'completed' : 'interrupted',
      approval: { ...approval.approval!, decision: decision?.decision ?? null, message: decision?.message }
    })
    await this.deps.setPhase('running')
    return decision
  }

  private async addThreadUsage(u: TokenUsage): Promise<void> {
    const t = this.deps.thread()
    if (!t) return
    const prev = t.conversation.usage
    const total = addUsage({ input: prev.input, output: prev.output, cacheRead: prev.cacheRead, cacheWrite: prev.cacheWrite }, u)
    const stepCost = estimateCost(t.conversation.model, u)
    await this.deps.setPhase('running', {
      usage: { ...total, costUsd: prev.costUsd === null || stepCost === null ? null : prev.costUsd + stepCost }
    })
  }

  /** A new item of this turn. */
  item(kind: Item['kind'], fields: Partial<Item>): Item {
    return {
      id: newId('i'),
      threadId: this.deps.thread()!.id,
      turnId: this.id,
      kind,
      status: 'completed',
      createdAt: Date.now(),
      ...fields
    } as Item
  }

  /** Records an item and tells every client. */
  async save(item: Item): Promise<void> {
    await this.deps.transcript.save(item)
    this.deps.bus.publish('item/completed', { item })
  }
}

/** What the model is told when the person denies a call. */
function denialText(tool: Tool, message?: string): string {
  return `The person denied this ${tool.category === 'edit' ? 'edit' : 'command'}${message ? `: "${message}"` : '.'}`
}

/** What approving a command means under this mode and sandbox, for the approval card. */
function approvalNote(mode: PermissionMode, tool: Tool, sandbox: SandboxLevel | null): string | undefined {
  if (tool.category !== 'command') return undefined
  if (sandbox === 'read-only')
    return 'Plan mode: this command is not on the read-only list. If you approve, it runs in the read-only sandbox, where it cannot change any file or reach the network.'
  if (sandbox === 'worktree') return "Runs in the sandbox: it can write only inside this thread's worktree."
  if (mode === 'plan') return 'Plan mode, without a sandbox on this machine: if you approve, this command runs with your full access.'
  return 'Runs without a sandbox, with your full access.'
}
