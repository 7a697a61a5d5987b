/** How far a sandboxed shell may write: nowhere (Plan mode) or only inside the thread's worktree. */
export type SandboxLevel = 'read-only' | 'worktree'

/** What a sandboxed command may write and reach, in absolute real paths. */
export interface SandboxPolicy {
  level: SandboxLevel
  /** Folders writable inside the sandbox besides `tmp`; empty for read-only. */
  writable: string[]
  /** Paths inside `writable` that stay read-only (git config and hooks, Skein's own refs). */
  readOnly: string[]
  /** Folders hidden behind an empty folder (Skein's data dir: its socket, keys and other threads). */
  hidden: string[]
  /** Folders shown again inside a hidden one, read-only unless also in `writable` (the thread's worktree). */
  reexposed: string[]
  /** The private temp folder, writable; TMPDIR points at it. */
  tmp: string
  /** The folder the shell starts in. */
  cwd: string
  /** Reach the network (off unless the person allows it). */
  network: boolean
}

/** Which OS sandbox this machine has, or why there is none. */
export type SandboxSupport = { kind: 'bwrap'; path: string } | { kind: 'seatbelt'; path: string } | { kind: 'none'; reason: string }

/** A program and its arguments, ready to spawn. */
export interface Command {
  file: string
  args: string[]
}
