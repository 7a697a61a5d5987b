/** Where the core reports what a person or a test may want to know. */
export interface Logger {
  info(message: string): void
  warn(message: string): void
  error(message: string, cause?: unknown): void
}

/** A logger that writes to stderr with a timestamp; quiet drops info lines. */
export function consoleLogger(options: { quiet?: boolean } = {}): Logger {
  const line = (level: string, message: string) => `${new Date().toISOString()} ${level} ${message}\n`
  return {
    info: (m) => {
      if (!options.quiet) process.stderr.write(line('info', m))
    },
    warn: (m) => process.stderr.write(line('warn', m)),
    error: (m, cause) => process.stderr.write(line('error', cause ? `${m}: ${cause instanceof Error ? cause.stack : String(cause)}` : m))
  }
}

/** A logger that keeps every line in memory; used by tests to assert on warnings. */
export function memoryLogger(): Logger & { lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = []
  return {
    lines,
    info: (message) => lines.push({ level: 'info', message }),
    warn: (message) => lines.push({ level: 'warn', message }),
    error: (message) => lines.push({ level: 'error', message })
  }
}
