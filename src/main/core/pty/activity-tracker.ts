import type { AgentActivity } from '../../../shared/models'

/** After this long without output, an agent that printed something is waiting for input (a shell is idle). */
export const QUIET_MS = 1500

// How long a shell must stay at its prompt, after going quiet, to be idle.
const CONFIRM_IDLE_MS = 250

/**
 * Derives running / waiting from the rhythm of a session's output. Only an agent waits for the
 * person: a quiet shell (`waits` false) is idle, whether at its prompt or running a quiet command.
 */
export class ActivityTracker {
  private state: AgentActivity | null = null
  private timer: NodeJS.Timeout | null = null
  /** The session reached a prompt at least once: it started fine. */
  everWaited = false

  constructor(
    private readonly onChange: (activity: AgentActivity) => void,
    private readonly quietMs = QUIET_MS,
    private readonly waits = true,
    /** For a shell: true while a command runs in the foreground, quiet or not (it stays running). */
    private readonly busy: () => boolean = () => false
  ) {}

  /** The current activity, or null before any output. */
  get activity(): AgentActivity | null {
    return this.state
  }

  /** Output arrived: the session is running until it goes quiet. */
  output(): void {
    if (this.state === 'exited') return
    this.set('running')
    this.arm()
  }

  /** Goes quiet after `quietMs` without output, unless a shell's foreground command still runs. */
  private arm(delayMs = this.quietMs, confirming = false): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timer = null
      if (this.state === 'exited') return
      if (!this.waits) {
        if (this.busy()) return this.arm()
        // Between two commands of one line (`sleep 3; echo done`) a shell looks idle for an instant:
        // it is idle only if it still is a moment later, with no output in between.
        if (!confirming) return this.arm(CONFIRM_IDLE_MS, true)
      }
      this.set(this.waits ? 'waiting' : 'idle')
    }, delayMs)
  }

  /** The process ended. */
  exited(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.set('exited')
  }

  private set(next: AgentActivity): void {
    if (this.state === next) return
    if (next === 'waiting' || next === 'idle') this.everWaited = true
    this.state = next
    this.onChange(next)
  }
}
