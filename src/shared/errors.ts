/** Stable error codes shared by every client. Never renumber: clients match on them. */
export const ErrorCode = {
  // JSON-RPC 2.0 reserved codes
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  // Transport
  Unauthorized: -32001,
  Disconnected: -32002,
  Timeout: -32003,
  // Repositories
  PathNotFound: 1001,
  NotADirectory: 1002,
  NotAGitRepository: 1003,
  BareRepository: 1004,
  RepoNotFound: 1005,
  RepoHasThreads: 1006,
  // Threads
  ThreadNotFound: 1101,
  BaseRefNotFound: 1102,
  WorktreeMissing: 1103,
  NotSkeinWorktree: 1104,
  InvalidThreadState: 1105,
  WorktreePathTaken: 1106,
  // Terminals and agents
  PtyNotFound: 1501,
  PtyExited: 1502,
  PtySpawnFailed: 1503,
  ProfileUnavailable: 1504,
  // Infrastructure
  GitFailed: 1201,
  StorageFailed: 1301,
  Unsupported: 1401,
  /** No Claude Code or Codex session matches. */
  SessionNotFound: 1601,
  /** A repository's environment (`.skein/environment.json` or its settings) is invalid. */
  InvalidEnvironment: 1701,
  // Ports and the run command
  /** The thread's repository has no run command. */
  RunNotConfigured: 1801,
  /** Every port of the span is taken by other threads or programs. */
  PortsExhausted: 1802
} as const

/** One of the stable error code numbers. */
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode]

/** An expected failure with a message a person can act on. */
export interface AppError {
  code: ErrorCodeValue
  message: string
  data?: unknown
}

/** Builds an AppError. */
export const appError = (code: ErrorCodeValue, message: string, data?: unknown): AppError =>
  data === undefined ? { code, message } : { code, message, data }

/** The error a client sees when a request fails; carries the stable code. */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown
  ) {
    super(message)
    this.name = 'RpcError'
  }
}
