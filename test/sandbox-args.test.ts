import { describe, expect, it } from 'vitest'
import { bwrapArgs, SECCOMP_FD } from '../src/main/core/sandbox/bwrap-args'
import type { SandboxPolicy } from '../src/main/core/sandbox/sandbox-types'
import { seatbeltArgs, seatbeltProfile } from '../src/main/core/sandbox/seatbelt-profile'
import { SECCOMP_ARCHES, unixSocketFilter } from '../src/main/core/sandbox/seccomp-filter'

const readOnly: SandboxPolicy = {
  level: 'read-only',
  writable: [],
  readOnly: [],
  hidden: ['/home/u/.skein'],
  reexposed: ['/home/u/.skein/worktrees/r/t'],
  tmp: '/tmp/skein-sandbox-1',
  cwd: '/home/u/.skein/worktrees/r/t',
  network: false
}
const worktree: SandboxPolicy = {
  ...readOnly,
  level: 'worktree',
  writable: ['/home/u/.skein/worktrees/r/t', '/src/r/.git/worktrees/t', '/src/r/.git/objects'],
  readOnly: ['/src/r/.git/config', '/home/u/.skein/worktrees/r/t/.git']
}
const pairs = (args: string[], flag: string) =>
  args.flatMap((a, i) => (a === flag ? [`${args[i + 1]}${flag.includes('bind') ? ` ${args[i + 2]}` : ''}`] : []))

describe('bubblewrap arguments', () => {
  it('read-only: the whole tree read-only, the data dir hidden, the worktree shown again read-only, no network, no capabilities', () => {
    const args = bwrapArgs(readOnly, { file: 'bash', args: ['-l'] }, { seccomp: true })
    expect(args.slice(0, 3)).toEqual(['--ro-bind', '/', '/'])
    expect(pairs(args, '--bind')).toEqual(['/tmp/skein-sandbox-1 /tmp/skein-sandbox-1'])
    expect(pairs(args, '--tmpfs')).toEqual(['/home/u/.skein'])
    expect(args.indexOf('--tmpfs')).toBeLessThan(args.lastIndexOf('/home/u/.skein/worktrees/r/t'))
    expect(pairs(args, '--ro-bind')).toContain('/proc/sys /proc/sys')
    expect(pairs(args, '--ro-bind')).toContain('/home/u/.skein/worktrees/r/t /home/u/.skein/worktrees/r/t')
    for (const flag of ['--unshare-net', '--unshare-pid', '--die-with-parent']) expect(args).toContain(flag)
    expect(args.join(' ')).toContain('--cap-drop ALL')
    expect(args.join(' ')).toContain(`--seccomp ${SECCOMP_FD}`)
    expect(args.join(' ')).toContain('--setenv TMPDIR /tmp/skein-sandbox-1')
    expect(args.slice(-5)).toEqual(['--chdir', '/home/u/.skein/worktrees/r/t', '--', 'bash', '-l'])
    expect(args).not.toContain('--new-session')
  })

  it('worktree: writable folders bound read-write, then the protected paths read-only on top of them; network when allowed', () => {
    const args = bwrapArgs({ ...worktree, network: true }, { file: 'bash', args: [] }, { seccomp: false })
    expect(pairs(args, '--bind')).toEqual([
      '/home/u/.skein/worktrees/r/t /home/u/.skein/worktrees/r/t',
      '/src/r/.git/worktrees/t /src/r/.git/worktrees/t',
      '/src/r/.git/objects /src/r/.git/objects',
      '/tmp/skein-sandbox-1 /tmp/skein-sandbox-1'
    ])
    const lastWritable = args.lastIndexOf('/src/r/.git/objects')
    expect(args.indexOf('/src/r/.git/config')).toBeGreaterThan(lastWritable)
    expect(args.indexOf('/home/u/.skein/worktrees/r/t/.git')).toBeGreaterThan(lastWritable)
    expect(args).not.toContain('--unshare-net')
    expect(args).not.toContain('--seccomp')
  })
})

// macOS's sandbox-exec cannot run on this Linux machine: these check the profile text and the argument building only.
describe('Seatbelt profile (text and arguments only: sandbox-exec exists only on macOS)', () => {
  it('denies by default, reads anywhere but the hidden data dir, writes only the parameters, no network', () => {
    const p = seatbeltProfile(readOnly)
    expect(p.split('\n').slice(0, 2)).toEqual(['(version 1)', '(deny default)'])
    expect(p).toContain('(allow file-read*)')
    expect(p).toContain('(deny file-read* (subpath (param "HIDDEN_0")))')
    expect(p).toContain('(allow file-read* (subpath (param "SHOWN_0")))')
    expect(p).toMatch(/\(allow file-write\* \(subpath \(param "WRITABLE_0"\)\) \(literal "\/dev\/null"\)/)
    expect(p).not.toMatch(/network/)
    expect(p).not.toContain('/home/u')
  })

  it('passes paths as -D parameters, so a path with quotes or parentheses cannot change the profile', () => {
    const odd = { ...worktree, writable: ['/Users/u/my "repo") (allow default'] }
    const args = seatbeltArgs(odd, { file: '/bin/zsh', args: ['-l'] })
    expect(args[0]).toBe('-p')
    expect(args[1]).not.toContain('allow default')
    expect(args).toContain('-DWRITABLE_0=/Users/u/my "repo") (allow default')
    expect(args).toContain('-DWRITABLE_1=/tmp/skein-sandbox-1')
    expect(args).toContain('-DREADONLY_0=/src/r/.git/config')
    expect(args.slice(-2)).toEqual(['/bin/zsh', '-l'])
    const profile = args[1]!
    expect(profile.indexOf('(deny file-write* (subpath (param "READONLY_0"))')).toBeGreaterThan(profile.indexOf('(allow file-write*'))
  })

  it('allows only IP networking when the person allows the network (Unix sockets stay closed)', () => {
    const p = seatbeltProfile({ ...readOnly, network: true })
    expect(p).toContain('(allow network-outbound (remote ip))')
    expect(p).not.toMatch(/unix/)
  })
})

describe('seccomp filter', () => {
  it('is a well-formed classic BPF program for each known architecture, and none for others', () => {
    for (const arch of Object.keys(SECCOMP_ARCHES)) {
      const f = unixSocketFilter(arch)!
      expect(f.length % 8).toBe(0)
      const n = f.length / 8
      // Every jump lands inside the program, and the program ends in a return.
      for (let i = 0; i < n; i++) {
        const code = f.readUInt16LE(i * 8)
        if ((code & 0x07) === 0x05) expect(i + 1 + Math.max(f.readUInt8(i * 8 + 2), f.readUInt8(i * 8 + 3))).toBeLessThan(n)
      }
      expect(f.readUInt16LE((n - 1) * 8)).toBe(0x06)
    }
    expect(unixSocketFilter('ia32')).toBeNull()
  })
})
