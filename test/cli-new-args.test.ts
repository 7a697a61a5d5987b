import { describe, expect, it } from 'vitest'
import { parseNewThreadArgs } from '../src/cli/commands/new-thread'
import { CliError } from '../src/cli/cli-error'

const parse = (...argv: string[]) => parseNewThreadArgs(argv)
const usageError = (argv: string[]): string => {
  try {
    parseNewThreadArgs(argv)
  } catch (e) {
    expect(e).toBeInstanceOf(CliError)
    expect((e as CliError).code).toBe(2)
    return (e as Error).message
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`)
}

describe('skein new: the choices of the New thread dialog', () => {
  it('defaults: the built-in agent, a worktree, the title from the prompt', () => {
    expect(parse('Fix the flaky login test. It fails on CI.')).toMatchObject({
      prompt: 'Fix the flaky login test. It fails on CI.',
      agent: 'builtin',
      permissionMode: undefined,
      mode: 'worktree',
      baseRef: undefined,
      repo: undefined,
      title: 'Fix the flaky login test'
    })
  })

  it('takes every choice: agent, permission mode, local, base, repo and title', () => {
    expect(
      parse(
        'why',
        'is',
        'it',
        'slow?',
        '--permission',
        'auto',
        '--local',
        '--base',
        'release/1.2',
        '--repo',
        '../shop',
        '--title',
        'Slow checkout'
      )
    ).toMatchObject({
      prompt: 'why is it slow?',
      agent: 'builtin',
      permissionMode: 'auto',
      mode: 'local',
      baseRef: 'release/1.2',
      repo: '../shop',
      title: 'Slow checkout'
    })
    expect(parse('x', '--mode=accept-edits', '--worktree')).toMatchObject({ permissionMode: 'accept-edits', mode: 'worktree' })
    expect(parse('x', '--plan')).toMatchObject({ permissionMode: 'plan' })
    for (const agent of ['claude', 'codex', 'custom', 'shell']) expect(parse('x', '--agent', agent)).toMatchObject({ agent })
  })

  it('a shell needs no prompt and is titled "Shell"; an agent needs a prompt or a title', () => {
    expect(parse('--agent', 'shell')).toMatchObject({ agent: 'shell', prompt: '', title: 'Shell' })
    expect(parse('--title', 'Chat later')).toMatchObject({ agent: 'builtin', prompt: '', title: 'Chat later' })
    expect(usageError([])).toMatch(/Give the agent a prompt/)
  })

  it('refuses what cannot be meant', () => {
    expect(usageError(['x', '--agent', 'nope'])).toMatch(/--agent must be one of builtin, claude, codex, custom, shell/)
    expect(usageError(['x', '--permission', 'yolo'])).toMatch(/--permission must be one of plan, ask, accept-edits, auto/)
    expect(usageError(['x', '--permission', 'auto', '--agent', 'codex'])).toMatch(/for the built-in agent/)
    expect(usageError(['x', '--plan', '--permission', 'auto'])).toMatch(/Choose one permission mode/)
    expect(usageError(['x', '--local', '--worktree'])).toMatch(/not both/)
    expect(usageError(['x', '--frob'])).toMatch(/Unknown option --frob/)
  })

  it('returns null for --help', () => {
    expect(parse('--help')).toBeNull()
  })
})
