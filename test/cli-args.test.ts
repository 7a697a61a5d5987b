import { describe, expect, it } from 'vitest'
import { parseArgs } from '../src/cli/args'

const spec = { values: ['base', 'title'], booleans: ['json', 'local'] }
const parsed = (argv: string[]) => {
  const r = parseArgs(argv, spec)
  if (!r.ok) throw new Error(r.error)
  return { positionals: r.args.positionals, values: Object.fromEntries(r.args.values), booleans: [...r.args.booleans].sort() }
}
const error = (argv: string[]) => {
  const r = parseArgs(argv, spec)
  return r.ok ? null : r.error
}

describe('the CLI argument parser (util.parseArgs underneath)', () => {
  it('reads values in both spellings, flags, and positionals in order; the last value wins', () => {
    expect(parsed(['fix', '--base', 'main', 'the', '--title=T', '--json', 'bug', '--base=dev'])).toEqual({
      positionals: ['fix', 'the', 'bug'],
      values: { base: 'dev', title: 'T' },
      booleans: ['json']
    })
    expect(parsed(['--base=', 'x'])).toEqual({ positionals: ['x'], values: { base: '' }, booleans: [] })
    expect(parsed(['--base', '-x'])).toMatchObject({ values: { base: '-x' } })
  })

  it('keeps words after -- and one-dash words as positionals; -h and --help ask for help', () => {
    expect(parsed(['--', '--json', '-h', 'x'])).toEqual({ positionals: ['--json', '-h', 'x'], values: {}, booleans: [] })
    expect(parsed(['-fix the build', '-1', '-'])).toEqual({ positionals: ['-fix the build', '-1', '-'], values: {}, booleans: [] })
    expect(parsed(['-h']).booleans).toEqual(['help'])
    expect(parsed(['--help', 'x']).booleans).toEqual(['help'])
  })

  it('refuses unknown flags, a value flag with no value, and a value given to a flag', () => {
    expect(error(['--frob'])).toBe('Unknown option --frob.')
    expect(error(['--base'])).toBe('--base needs a value.')
    expect(error(['--base', '--json'])).toBe('--base needs a value.')
    expect(error(['--json=1'])).toBe('Unknown option --json.')
  })
})
