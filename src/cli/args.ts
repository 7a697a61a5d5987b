import { parseArgs as parseArgv } from 'node:util'

/** Parsed command-line arguments: positionals and flags. */
export interface Args {
  positionals: string[]
  values: Map<string, string>
  booleans: Set<string>
}

/** Which flags a command takes. */
export interface ArgSpec {
  /** Flags that take a value (`--base main` or `--base=main`). */
  values?: readonly string[]
  /** Flags that stand alone (`--json`). */
  booleans?: readonly string[]
}

/**
 * Parses argv against a spec with Node's `util.parseArgs`; an unknown flag or a missing value is an
 * error a person can fix. Only `--long` flags and `-h` are options: any other word starting with one
 * dash (a prompt like "-fix the build", a number like -1) stays a positional, as it always has.
 */
export function parseArgs(argv: readonly string[], spec: ArgSpec): { ok: true; args: Args } | { ok: false; error: string } {
  const args: Args = { positionals: [], values: new Map(), booleans: new Set() }
  const values = new Set(spec.values ?? [])
  const booleans = new Set([...(spec.booleans ?? []), 'help'])
  const options = Object.fromEntries([
    ...[...values].map((n) => [n, { type: 'string' as const }]),
    ...[...booleans].map((n) => [n, { type: 'boolean' as const }])
  ])
  const { tokens } = parseArgv({
    args: [...argv],
    options: { ...options, help: { type: 'boolean', short: 'h' } },
    strict: false,
    allowPositionals: true,
    tokens: true
  })
  const shortWords = new Set<number>()
  for (const token of tokens) {
    if (token.kind === 'positional') args.positionals.push(token.value)
    if (token.kind !== 'option') continue
    if (!token.rawName.startsWith('--')) {
      // A one-dash word parsed as a group of short flags: only a bare -h is one.
      if (argv[token.index] === '-h') args.booleans.add('help')
      else if (!shortWords.has(token.index)) {
        shortWords.add(token.index)
        args.positionals.push(argv[token.index]!)
      }
      continue
    }
    const name = token.name
    if (values.has(name)) {
      if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--')))
        return { ok: false, error: `--${name} needs a value.` }
      args.values.set(name, token.value)
    } else if (booleans.has(name) && !token.inlineValue) {
      args.booleans.add(name)
    } else {
      return { ok: false, error: `Unknown option --${name}.` }
    }
  }
  return { ok: true, args }
}
