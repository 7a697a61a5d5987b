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

/** Parses argv against a spec; an unknown flag or a missing value is an error a person can fix. */
export function parseArgs(argv: readonly string[], spec: ArgSpec): { ok: true; args: Args } | { ok: false; error: string } {
  const args: Args = { positionals: [], values: new Map(), booleans: new Set() }
  const values = new Set(spec.values ?? [])
  const booleans = new Set([...(spec.booleans ?? []), 'help'])
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a === '--') {
      args.positionals.push(...argv.slice(i + 1))
      break
    }
    if (a === '-h') {
      args.booleans.add('help')
      continue
    }
    if (!a.startsWith('--') || a === '--') {
      args.positionals.push(a)
      continue
    }
    const eq = a.indexOf('=')
    const name = a.slice(2, eq < 0 ? undefined : eq)
    if (values.has(name)) {
      const value = eq < 0 ? argv[++i] : a.slice(eq + 1)
      if (value === undefined || (eq < 0 && value.startsWith('--'))) return { ok: false, error: `--${name} needs a value.` }
      args.values.set(name, value)
    } else if (booleans.has(name) && eq < 0) {
      args.booleans.add(name)
    } else {
      return { ok: false, error: `Unknown option --${name}.` }
    }
  }
  return { ok: true, args }
}
