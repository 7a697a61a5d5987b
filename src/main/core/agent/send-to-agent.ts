import { appError, ErrorCode } from '../../../shared/errors'
import type { Disposable } from '../../../shared/jsonrpc'
import type { DeliveryOutcome, ProfileId, Thread } from '../../../shared/models'
import { err, ok, type Result } from '../../../shared/result'
import { QUIET_MS } from '../pty/activity-tracker'
import { PROFILES } from '../agents/profiles'

/** What delivery needs from the rest of the core: the ptys, the built-in agent and the profile settings. */
export interface AgentTargets {
  writeToPty(ptyId: string, data: string): Result<void>
  sendToAgent(threadId: string, text: string): Promise<Result<void>>
  /** Calls `listener` with every chunk the pty prints until disposed. */
  tapPty(ptyId: string, listener: (text: string) => void): Disposable | null
  /** Whether the program in the pty has bracketed paste turned on. */
  bracketedPaste(ptyId: string): boolean
  /** Whether the profile may be given review comments, CI failures and prompts in this repository. */
  acceptsPrompt(profileId: ProfileId, repoId: string): boolean
  /** Runs just before text is typed into a CLI agent (a checkpoint of the worktree). */
  beforeDeliver?(threadId: string, text: string): Promise<void>
}

/** Who got a message: a live CLI agent in the thread's terminal, or Skein's built-in agent. */
export type AgentRecipient = 'cli-agent' | 'built-in-agent'

/** How long the pty must stay quiet after a paste before Enter is pressed. */
const PASTE_SETTLE_MS = 150
/** Longest wait for a CLI to show a paste or react to Enter; past it Skein goes on anyway. */
const REACT_MAX_MS = 5_000
/** Longest wait for Claude Code or Codex to draw its input box (turn bracketed paste on) after starting. */
const READY_MAX_MS = 20_000

interface PtyWatch {
  tap: Disposable
  lastOutputAt: number
  wake: Set<() => void>
}

/**
 * The one place that decides how text reaches a thread's agent. The built-in agent gets a user
 * turn. Claude Code and Codex get one bracketed paste once their input box is up, then Enter as a
 * separate write once the paste has been shown (Claude Code drops an Enter that arrives with the
 * first paste of a session). A custom command marked as taking prompts gets the text the way a
 * terminal pastes it: bracketed if it turned bracketed paste on, else typed line by line. While
 * the agent is busy, deliveries wait in a per-thread queue and go one at a time, each after the
 * previous was submitted and the agent went quiet, so two never merge into one prompt. A shell is
 * never typed into: it runs every line.
 */
export class AgentDelivery {
  private readonly queues = new Map<string, Promise<void>>()
  private readonly pending = new Map<string, number>()
  private readonly watches = new Map<string, PtyWatch>()

  constructor(
    private readonly targets: AgentTargets,
    private readonly log: (message: string) => void = () => undefined
  ) {}

  /** Gives `text` to the thread's agent, or says why it was not given. */
  async deliver(thread: Thread | undefined, text: string): Promise<Result<DeliveryOutcome>> {
    if (!thread) return err(appError(ErrorCode.ThreadNotFound, 'That thread does not exist any more.'))
    const cli = thread.agent && thread.agent.activity !== 'exited' ? thread.agent : null
    if (!cli) {
      const sent = await this.targets.sendToAgent(thread.id, text)
      return sent.ok ? ok({ delivered: true, to: 'built-in-agent', agent: 'the built-in agent', queued: false }) : sent
    }
    const label = PROFILES[cli.profileId].label
    if (cli.profileId === 'shell') {
      return ok({
        delivered: false,
        reason: 'shell',
        agent: label,
        message: "Not sent: this thread's terminal is a shell, which would run the text as commands.",
        text
      })
    }
    if (!this.targets.acceptsPrompt(cli.profileId, thread.repoId)) {
      return ok({
        delivered: false,
        reason: 'no-prompt',
        agent: label,
        message:
          'Not sent: the Custom CLI is not set to take prompts and reviews. Turn on “Send prompts and reviews to this CLI as typed input” in Agent settings.',
        text
      })
    }
    // Before Skein watched this pty, its activity says whether it printed lately.
    const watch = this.watch(cli.ptyId, cli.activity === 'running' ? Date.now() : 0)
    const busy = (this.pending.get(thread.id) ?? 0) > 0 || (watch !== null && Date.now() - watch.lastOutputAt < QUIET_MS)
    this.pending.set(thread.id, (this.pending.get(thread.id) ?? 0) + 1)
    const previous = this.queues.get(thread.id) ?? Promise.resolve()
    const done = previous.then(async () => {
      await this.targets.beforeDeliver?.(thread.id, text)
      return this.pasteAndSubmit(cli.ptyId, text, cli.profileId !== 'custom')
    })
    const settled = done.then(
      () => undefined,
      () => undefined
    )
    this.queues.set(thread.id, settled)
    void settled.then(() => {
      const left = (this.pending.get(thread.id) ?? 1) - 1
      if (left > 0) this.pending.set(thread.id, left)
      else {
        this.pending.delete(thread.id)
        if (this.queues.get(thread.id) === settled) this.queues.delete(thread.id)
      }
    })
    if (busy) {
      done.catch((e: Error) => this.log(`A queued message for ${label} in thread ${thread.id} was not delivered: ${e.message}`))
      return ok({ delivered: true, to: 'cli-agent', agent: label, queued: true })
    }
    try {
      await done
    } catch (e) {
      return err(appError(ErrorCode.PtyExited, `Could not type into ${label}'s terminal: ${(e as Error).message}`))
    }
    return ok({ delivered: true, to: 'cli-agent', agent: label, queued: false })
  }

  /** Stops watching every terminal. */
  dispose(): void {
    for (const w of this.watches.values()) w.tap.dispose()
    this.watches.clear()
  }

  private async pasteAndSubmit(ptyId: string, text: string, drawsInputBox: boolean): Promise<void> {
    await this.quiet(ptyId, QUIET_MS, Infinity)
    // A CLI still starting (slow on a busy machine) may be quiet before its input box exists.
    if (drawsInputBox && !this.targets.bracketedPaste(ptyId)) {
      await this.until(ptyId, () => this.targets.bracketedPaste(ptyId), READY_MAX_MS)
      await this.quiet(ptyId, QUIET_MS, READY_MAX_MS)
    }
    // Like a terminal: no ESC from the text, so it cannot end the paste early and type keys.
    const clean = text.replace(/\x1b/g, '')
    const bracketed = drawsInputBox || this.targets.bracketedPaste(ptyId)
    const since = Date.now()
    this.write(ptyId, bracketed ? `\x1b[200~${clean}\x1b[201~` : clean.replace(/\r?\n/g, '\r'))
    await this.outputAfter(ptyId, since, REACT_MAX_MS)
    await this.quiet(ptyId, PASTE_SETTLE_MS, REACT_MAX_MS)
    const entered = Date.now()
    this.write(ptyId, '\r')
    // Submitted once the CLI reacts to Enter; the next delivery then waits for the turn to go quiet.
    await this.outputAfter(ptyId, entered, REACT_MAX_MS)
  }

  private write(ptyId: string, data: string): void {
    const r = this.targets.writeToPty(ptyId, data)
    if (!r.ok) throw new Error(r.error.message)
  }

  private watch(ptyId: string, lastOutputAt: number): PtyWatch | null {
    const known = this.watches.get(ptyId)
    if (known) return known
    const w: PtyWatch = { tap: { dispose: () => undefined }, lastOutputAt, wake: new Set() }
    const tap = this.targets.tapPty(ptyId, () => {
      w.lastOutputAt = Date.now()
      for (const wake of [...w.wake]) wake()
    })
    if (!tap) return null
    w.tap = tap
    this.watches.set(ptyId, w)
    return w
  }

  /** Resolves once `ready()` holds (checked after each output), or after `maxMs`. */
  private until(ptyId: string, ready: () => boolean, maxMs: number): Promise<void> {
    const w = this.watches.get(ptyId)
    if (!w || ready()) return Promise.resolve()
    return new Promise((resolve) => {
      const check = () => {
        if (!ready()) return
        clearTimeout(timer)
        w.wake.delete(check)
        resolve()
      }
      const timer = setTimeout(() => {
        w.wake.delete(check)
        resolve()
      }, maxMs)
      w.wake.add(check)
    })
  }

  /** Resolves once the pty printed something after `since`, or after `maxMs`. */
  private outputAfter(ptyId: string, since: number, maxMs: number): Promise<void> {
    const w = this.watches.get(ptyId)
    if (!w || w.lastOutputAt > since) return Promise.resolve()
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer)
        w.wake.delete(finish)
        resolve()
      }
      const timer = setTimeout(finish, maxMs)
      w.wake.add(finish)
    })
  }

  /** Resolves once the pty printed nothing for `quietMs`, or after `maxMs`. */
  private quiet(ptyId: string, quietMs: number, maxMs: number): Promise<void> {
    const w = this.watches.get(ptyId)
    if (!w) return Promise.resolve()
    const deadline = Date.now() + maxMs
    return new Promise((resolve) => {
      const check = () => {
        const now = Date.now()
        const left = w.lastOutputAt + quietMs - now
        if (left <= 0 || now >= deadline) return resolve()
        setTimeout(check, Math.min(left, deadline - now))
      }
      check()
    })
  }
}
