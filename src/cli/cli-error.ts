/** The skein command's exit codes: scripts can tell these apart. */
export const Exit = {
  ok: 0,
  /** Something went wrong that the message explains. */
  failure: 1,
  /** Bad command line. */
  usage: 2,
  /** No core is running and none could be started. */
  coreUnreachable: 3,
  /** The thread, session or repository named does not exist. */
  notFound: 4,
  /** The path is not inside a git repository. */
  notARepository: 5
} as const

/** An expected failure of a command: its message is printed as is, and the process exits with `code`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code: number = Exit.failure
  ) {
    super(message)
    this.name = 'CliError'
  }
}
