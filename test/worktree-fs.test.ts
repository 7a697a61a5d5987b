import { spawn } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { guardPath } from '../src/main/core/agent/path-guard'
import { editFileTool, readFileTool, writeFileTool } from '../src/main/core/agent/tools/file-tools'
import type { ToolContext } from '../src/main/core/agent/tools/tool-types'
import { readInside, statInside, writeInside, type WorktreeFsOptions } from '../src/main/core/agent/worktree-fs'
import { cleanupTemp, git, makeRepo, tempDir } from './helpers/fixtures'
import { eventually } from './helpers/pty-client'

afterEach(cleanupTemp)

const ctxFor = (worktree: string): ToolContext => ({
  worktree,
  threadId: 't',
  signal: new AbortController().signal,
  sandbox: null,
  progress: () => {}
})
/** A worktree and, next to it (not inside), an outside folder holding a secret. */
function layout(): { wt: string; out: string } {
  const base = tempDir('skein-wtfs-')
  const wt = join(base, 'wt')
  const out = join(base, 'outside')
  mkdirSync(wt)
  mkdirSync(out)
  writeFileSync(join(out, 'secret.txt'), 'OUTSIDE-SECRET\n')
  return { wt, out }
}
const leftovers = (dir: string) => readdirSync(dir).filter((n) => n.includes('.skein-'))

describe('the agent file tools against a dangling symlink committed in the repo', () => {
  it('refuses write_file, edit_file and read_file on notes.md -> <outside>/file and never creates the outside file', async () => {
    const repo = makeRepo()
    const out = tempDir('skein-outside-')
    const victim = join(out, 'file')
    symlinkSync(victim, join(repo, 'notes.md'))
    git(repo, 'add', 'notes.md')
    git(repo, 'commit', '-q', '-m', 'a link')
    const ctx = ctxFor(repo)

    const direct = await writeInside(repo, 'notes.md', 'pwned')
    expect(direct).toMatchObject({ ok: false, kind: 'outside' })
    expect(!direct.ok && direct.reason).toMatch(/notes\.md is outside the thread's worktree/)
    for (const r of [
      await writeFileTool.run({ path: 'notes.md', content: 'pwned' }, ctx),
      await editFileTool.run({ path: 'notes.md', old_string: 'a', new_string: 'b' }, ctx),
      await readFileTool.run({ path: 'notes.md' }, ctx)
    ]) {
      expect(r.isError).toBe(true)
      expect(r.output).toMatch(/^Refused: notes\.md is outside the thread's worktree/)
    }
    expect((await writeFileTool.preview!({ path: 'notes.md', content: 'pwned' }, ctx)).error).toMatch(/^Refused/)
    expect((await editFileTool.preview!({ path: 'notes.md', old_string: 'a', new_string: 'b' }, ctx)).error).toMatch(/^Refused/)
    expect(existsSync(victim)).toBe(false)
    expect(readdirSync(out)).toEqual([])
    expect(lstatSync(join(repo, 'notes.md')).isSymbolicLink()).toBe(true)
    expect(leftovers(repo)).toEqual([])
  })
})

describe.each<[string, WorktreeFsOptions]>([
  ['Linux /proc/self/fd', {}],
  ['portable fallback (dev/ino walk)', { portable: true }]
])('worktree-fs, %s', (_name, o) => {
  it('refuses reads and writes through a symlinked parent folder that points outside', async () => {
    const { wt, out } = layout()
    symlinkSync(out, join(wt, 'sub'))
    const before = readdirSync(out)
    expect(await readInside(wt, 'sub/secret.txt', o)).toMatchObject({ ok: false, kind: 'outside' })
    expect(await statInside(wt, 'sub/secret.txt', o)).toMatchObject({ ok: false, kind: 'outside' })
    for (const p of ['sub/x', 'sub/secret.txt', 'sub/new/deep.txt'])
      expect(await writeInside(wt, p, 'pwned', o), p).toMatchObject({ ok: false, kind: 'outside' })
    expect(readdirSync(out)).toEqual(before)
    expect(readFileSync(join(out, 'secret.txt'), 'utf8')).toBe('OUTSIDE-SECRET\n')
    // A dangling link out, in the middle of the path: mkdir must not follow it either.
    symlinkSync(join(out, 'nowhere'), join(wt, 'gone'))
    expect(await writeInside(wt, 'gone/x.txt', 'pwned', o)).toMatchObject({ ok: false })
    expect(existsSync(join(out, 'nowhere'))).toBe(false)
  })

  it('follows symlinks that stay inside: reads the target, writes the target and keeps the link a link', async () => {
    const { wt } = layout()
    mkdirSync(join(wt, 'docs'))
    writeFileSync(join(wt, 'docs', 'b.md'), 'b\n')
    symlinkSync('docs/b.md', join(wt, 'a.md'))
    symlinkSync(join(wt, 'docs', 'b.md'), join(wt, 'abs.md'))
    symlinkSync('docs', join(wt, 'lib'))
    symlinkSync('docs/new/c.md', join(wt, 'c.md'))

    expect(await readInside(wt, 'a.md', o)).toMatchObject({ ok: true, text: 'b\n', relative: join('docs', 'b.md') })
    expect(await readInside(wt, 'abs.md', o)).toMatchObject({ ok: true, text: 'b\n' })
    expect(await writeInside(wt, 'a.md', 'via a\n', o)).toMatchObject({ ok: true, relative: join('docs', 'b.md'), created: false })
    expect(lstatSync(join(wt, 'a.md')).isSymbolicLink()).toBe(true)
    expect(readFileSync(join(wt, 'docs', 'b.md'), 'utf8')).toBe('via a\n')
    expect(await writeInside(wt, 'lib/z.md', 'z\n', o)).toMatchObject({ ok: true, relative: join('docs', 'z.md'), created: true })
    expect(readFileSync(join(wt, 'docs', 'z.md'), 'utf8')).toBe('z\n')
    // A dangling link pointing inside may create its target (and the missing folder) inside.
    expect(await writeInside(wt, 'c.md', 'c\n', o)).toMatchObject({ ok: true, relative: join('docs', 'new', 'c.md') })
    expect(lstatSync(join(wt, 'c.md')).isSymbolicLink()).toBe(true)
    expect(readFileSync(join(wt, 'docs', 'new', 'c.md'), 'utf8')).toBe('c\n')
    expect(await statInside(wt, 'lib', o)).toMatchObject({ ok: true, kind: 'folder' })
    expect(await readInside(wt, 'lib', o)).toMatchObject({ ok: false, kind: 'folder' })
    expect(await writeInside(wt, 'docs', 'x', o)).toMatchObject({ ok: false, kind: 'folder' })
    expect(leftovers(join(wt, 'docs'))).toEqual([])
  })

  it('replaces a hard-linked file instead of writing the outside inode through it', async () => {
    const { wt, out } = layout()
    linkSync(join(out, 'secret.txt'), join(wt, 'h.txt'))
    expect(await readInside(wt, 'h.txt', o)).toMatchObject({ ok: true, text: 'OUTSIDE-SECRET\n' })
    expect(await writeInside(wt, 'h.txt', 'mine\n', o)).toMatchObject({ ok: true, created: false })
    expect(readFileSync(join(out, 'secret.txt'), 'utf8')).toBe('OUTSIDE-SECRET\n')
    expect(readFileSync(join(wt, 'h.txt'), 'utf8')).toBe('mine\n')
    expect(statSync(join(wt, 'h.txt')).ino).not.toBe(statSync(join(out, 'secret.txt')).ino)
    expect(statSync(join(out, 'secret.txt')).nlink).toBe(1)
  })

  it('accepts names like ..foo and refuses .., absolute paths elsewhere and sibling prefixes', async () => {
    const { wt } = layout()
    const sibling = `${wt}-x`
    mkdirSync(sibling)
    writeFileSync(join(sibling, 'secret.txt'), 'sibling')
    expect(await writeInside(wt, '..foo', 'one', o)).toMatchObject({ ok: true, relative: '..foo' })
    expect(await writeInside(wt, '..foo2/bar.txt', 'two', o)).toMatchObject({ ok: true, relative: join('..foo2', 'bar.txt') })
    expect(await readInside(wt, '..foo', o)).toMatchObject({ ok: true, text: 'one' })
    expect(await readInside(wt, join(wt, '..foo2', 'bar.txt'), o)).toMatchObject({ ok: true, text: 'two' })
    expect(await guardPath(wt, '..foo')).toMatchObject({ ok: true, relative: '..foo' })
    for (const p of ['../x', '..', '/etc/passwd', `${sibling}/secret.txt`, '../wt-x/secret.txt', 'src/../../x']) {
      expect(await readInside(wt, p, o), p).toMatchObject({ ok: false, kind: 'outside' })
      expect(await writeInside(wt, p, 'pwned', o), p).toMatchObject({ ok: false, kind: 'outside' })
      expect(await guardPath(wt, p), p).toMatchObject({ ok: false })
    }
    expect(readFileSync(join(sibling, 'secret.txt'), 'utf8')).toBe('sibling')
    expect(existsSync(join(wt, '..', 'x'))).toBe(false)
    expect(await readInside(wt, '', o)).toMatchObject({ ok: false, kind: 'invalid' })
  })

  it('keeps the mode of a rewritten file (an executable script stays executable)', async () => {
    const { wt } = layout()
    writeFileSync(join(wt, 'run.sh'), '#!/bin/sh\necho one\n')
    chmodSync(join(wt, 'run.sh'), 0o775)
    writeFileSync(join(wt, 'private.txt'), 'p')
    chmodSync(join(wt, 'private.txt'), 0o600)
    expect(await writeInside(wt, 'run.sh', '#!/bin/sh\necho two\n', o)).toMatchObject({ ok: true })
    expect(await writeInside(wt, 'private.txt', 'q', o)).toMatchObject({ ok: true })
    expect(statSync(join(wt, 'run.sh')).mode & 0o777).toBe(0o775)
    expect(statSync(join(wt, 'private.txt')).mode & 0o777).toBe(0o600)
  })

  it('refuses a FIFO without hanging and reports a missing file as missing', async () => {
    const { wt } = layout()
    await new Promise<void>((res, rej) =>
      spawn('mkfifo', [join(wt, 'pipe')]).on('exit', (c) => (c === 0 ? res() : rej(new Error(`mkfifo ${c}`))))
    )
    expect(await readInside(wt, 'pipe', o)).toMatchObject({ ok: false, kind: 'not-file' })
    expect(await writeInside(wt, 'pipe', 'x', o)).toMatchObject({ ok: false, kind: 'not-file' })
    expect(await readInside(wt, 'nope.txt', o)).toMatchObject({ ok: false, kind: 'missing' })
    expect(await readInside(wt, 'nope/deeper.txt', o)).toMatchObject({ ok: false, kind: 'missing' })
  })
})

describe('the agent file tools (Linux path)', () => {
  it('write_file and edit_file on a hard link leave the outside file alone; read_file may read it', async () => {
    const { wt, out } = layout()
    linkSync(join(out, 'secret.txt'), join(wt, 'h.txt'))
    linkSync(join(out, 'secret.txt'), join(wt, 'h2.txt'))
    const ctx = ctxFor(wt)
    expect((await readFileTool.run({ path: 'h.txt' }, ctx)).output).toContain('OUTSIDE-SECRET')
    expect(await writeFileTool.run({ path: 'h.txt', content: 'new\n' }, ctx)).toMatchObject({ isError: false })
    expect(await editFileTool.run({ path: 'h2.txt', old_string: 'OUTSIDE', new_string: 'EDITED' }, ctx)).toMatchObject({ isError: false })
    expect(readFileSync(join(out, 'secret.txt'), 'utf8')).toBe('OUTSIDE-SECRET\n')
    expect(readFileSync(join(wt, 'h.txt'), 'utf8')).toBe('new\n')
    expect(readFileSync(join(wt, 'h2.txt'), 'utf8')).toBe('EDITED-SECRET\n')
    expect(statSync(join(wt, 'h.txt')).ino).not.toBe(statSync(join(out, 'secret.txt')).ino)
  })

  it('edit_file keeps an executable script executable; ..foo works through the tools', async () => {
    const { wt } = layout()
    writeFileSync(join(wt, 'build.sh'), '#!/bin/sh\necho old\n')
    chmodSync(join(wt, 'build.sh'), 0o755)
    const ctx = ctxFor(wt)
    expect(await editFileTool.run({ path: 'build.sh', old_string: 'old', new_string: 'new' }, ctx)).toMatchObject({ isError: false })
    expect(statSync(join(wt, 'build.sh')).mode & 0o777).toBe(0o755)
    expect(await writeFileTool.run({ path: '..foo/bar.txt', content: 'hi' }, ctx)).toMatchObject({
      isError: false,
      output: 'Wrote ..foo/bar.txt (2 characters).'
    })
    expect((await readFileTool.run({ path: '..foo/bar.txt' }, ctx)).output).toBe('    1  hi')
    expect((await readFileTool.run({ path: '..foo' }, ctx)).output).toBe('..foo is a folder; use list_files.')
    expect((await readFileTool.run({ path: 'missing.txt' }, ctx)).output).toBe('Could not read missing.txt: no such file.')
    expect((await editFileTool.run({ path: 'missing.txt', old_string: 'a', new_string: 'b' }, ctx)).output).toBe(
      'missing.txt does not exist; use write_file to create it.'
    )
  })
})

/**
 * A separate bash process swaps folder `d` between a real folder and a symlink to an outside folder
 * (rename only: `mv -T d d.real; mv -T d.link d; mv -T d d.link; mv -T d.real d`), as fast as it can,
 * while this process writes and reads `d/f.txt` and `d/secret.txt` through the tools.
 */
const SWAPPER = `
set -u
cd "$1"; stop="$2"; n=0
while [ ! -e "$stop" ]; do
  mv -T d d.real
  until mv -T d.link d 2>/dev/null; do rm -rf d 2>/dev/null; done
  mv -T d d.link
  until mv -T d.real d 2>/dev/null; do rm -rf d 2>/dev/null; done
  n=$((n+1)); echo "$n"
done
`

describe.runIf(process.platform === 'linux')('race: a folder swapped for a symlink while the tools run', () => {
  it('never writes or reads outside the worktree over 10 seconds of swaps', async () => {
    const { wt, out } = layout()
    mkdirSync(join(wt, 'd'))
    writeFileSync(join(wt, 'd', 'secret.txt'), 'inside copy\n')
    symlinkSync(out, join(wt, 'd.link'))
    const stop = join(wt, '..', 'stop')
    const child = spawn('bash', ['-c', SWAPPER, 'swapper', wt, stop], { stdio: ['ignore', 'pipe', 'pipe'] })
    let swaps = 0
    let stderr = ''
    child.stdout.on('data', (b: Buffer) => {
      const last = b.toString().trim().split('\n').at(-1)
      if (last) swaps = Number(last)
    })
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString()
    })
    const exited = new Promise<void>((res) => child.on('exit', () => res()))
    const ctx = ctxFor(wt)
    let ok = 0
    let refused = 0
    let readsOk = 0
    let readEscapes = 0
    let threw = 0
    let escapes = 0
    let escapedSuccesses = 0
    const succeeded = new Set<string>()
    try {
      await eventually(() => swaps >= 5, 'the swapper to be running')
      const deadline = Date.now() + 10_000
      for (let i = 0; Date.now() < deadline; i++) {
        const content = `write-${i}\n`
        // A throw is counted, not fatal, so the same loop can measure older code that threw.
        const w = await writeFileTool.run({ path: 'd/f.txt', content }, ctx).catch(() => null)
        if (!w) threw++
        else if (w.isError) refused++
        else {
          ok++
          succeeded.add(content)
        }
        // Count each write that landed outside, then clear it so the next one counts too.
        const landed = readdirSync(out).filter((n) => n !== 'secret.txt')
        for (const n of landed) {
          escapes++
          try {
            if (succeeded.has(readFileSync(join(out, n), 'utf8'))) escapedSuccesses++
            rmSync(join(out, n), { recursive: true, force: true })
          } catch {}
        }
        const r = await readFileTool.run({ path: 'd/secret.txt' }, ctx).catch(() => null)
        if (!r) threw++
        else if (!r.isError) readsOk++
        if (r?.output.includes('OUTSIDE-SECRET')) readEscapes++
      }
    } finally {
      writeFileSync(stop, '')
      await exited
    }
    const left = readdirSync(out).filter((n) => n !== 'secret.txt')
    escapes += left.length
    console.log(
      `race: ${swaps} swaps; writes ok ${ok}, refused ${refused}, threw ${threw}; escapes ${escapes} (${escapedSuccesses} reported as success); reads ok ${readsOk}, read escapes ${readEscapes}`
    )
    expect(stderr).toBe('')
    expect(swaps).toBeGreaterThan(20)
    expect(ok).toBeGreaterThan(0) // the race really alternated: some writes found the real folder…
    expect(refused).toBeGreaterThan(0) // …and some found the link
    expect(left).toEqual([])
    expect(escapes).toBe(0)
    expect(escapedSuccesses).toBe(0)
    expect(readEscapes).toBe(0)
    expect(threw).toBe(0) // expected failures are results, never exceptions
    expect(readFileSync(join(out, 'secret.txt'), 'utf8')).toBe('OUTSIDE-SECRET\n')
  })
})
