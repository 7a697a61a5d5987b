import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { git } from './fixtures'

/** A small seeded PRNG (mulberry32): the same seed gives the same worktree states. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const NAMES = ['a.txt', 'with space.md', 'ünï ✓.txt', 'new\nline.txt', 'comma,name.c', '-dash.txt', 'data.bin', 'notes.txt']
const DIRS = ['', 'src', 'docs', 'a/b', 'deep/er/est']

/** Writes one random worktree state mixing every case archive must keep; returns the cases used. */
export function buildFuzzState(wt: string, rand: () => number): string[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!
  const chance = (p: number) => rand() < p
  const kinds = new Set<string>()
  const content = (): Buffer => {
    const k = Math.floor(rand() * 5)
    const n = 1 + Math.floor(rand() * 200)
    if (k === 0) return Buffer.alloc(0)
    if (k === 1) return Buffer.from(Array.from({ length: n }, () => Math.floor(rand() * 256)))
    const lines = Array.from({ length: 1 + Math.floor(n / 20) }, (_, i) => `line ${i} ${rand().toString(36).slice(2, 8)}`)
    return Buffer.from(lines.join(k === 2 ? '\r\n' : k === 3 ? '\n' : pick(['\n', '\r\n'])) + (chance(0.7) ? '\n' : ''))
  }
  const fileNames: string[] = []
  const put = (rel: string, bytes: Buffer = content()) => {
    mkdirSync(dirname(join(wt, rel)), { recursive: true })
    writeFileSync(join(wt, rel), bytes)
    if (!fileNames.includes(rel)) fileNames.push(rel)
  }
  const newName = (i: number) => {
    const d = pick(DIRS)
    return `${d ? `${d}/` : ''}${i}-${pick(NAMES)}`
  }

  writeFileSync(join(wt, '.gitignore'), '.env\n*.log\nbuild/\nnode_modules/\n')
  if (chance(0.3)) {
    writeFileSync(join(wt, '.gitattributes'), pick(['*.txt text eol=crlf\n', '* text=auto\n', '*.md text eol=lf\n*.txt text eol=crlf\n']))
    kinds.add('gitattributes')
  }
  for (let i = 0; i < 3 + Math.floor(rand() * 6); i++) put(newName(i))
  if (chance(0.8)) {
    git(wt, 'add', '-A')
    git(wt, 'commit', '-q', '--allow-empty', '-m', 'fuzz base')
    kinds.add('commit')
  }
  const tracked = git(wt, 'ls-files', '-z')
    .split('\0')
    .filter((p) => p && existsSync(join(wt, p)) && p !== '.gitignore')
  // Written after checkout, so eol attributes would change these bytes on a filtered checkout.
  for (const p of tracked) if (p.endsWith('.txt') && chance(0.4)) put(p, Buffer.from('lf only\nafter checkout\n'))
  if (tracked.length > 0 && chance(0.5)) {
    const p = pick(tracked)
    put(p)
    git(wt, 'add', '--', p)
    put(p)
    kinds.add('staged+unstaged')
  }
  if (tracked.length > 0 && chance(0.35)) {
    const p = pick(tracked)
    git(wt, 'update-index', '--assume-unchanged', '--', p)
    put(p, Buffer.from('edited under assume-unchanged\n'))
    kinds.add('assume-unchanged')
  }
  if (tracked.length > 0 && chance(0.35)) {
    const p = pick(tracked)
    const flagged = git(wt, 'ls-files', '-v', '--', p).startsWith('h')
    if (!flagged) {
      git(wt, 'update-index', '--skip-worktree', '--', p)
      put(p, Buffer.from('edited under skip-worktree\r\n'))
      kinds.add('skip-worktree')
    }
  }
  if (tracked.length > 1 && chance(0.3)) {
    rmSync(join(wt, pick(tracked)), { force: true })
    kinds.add('deleted')
  }
  for (let i = 0; i < Math.floor(rand() * 4); i++) {
    put(`untracked/${newName(100 + i)}`)
    kinds.add('untracked')
  }
  if (chance(0.5)) {
    put('.env', Buffer.from(`SECRET=${rand()}\n`))
    put('build/out.js', content())
    put(`logs/${Math.floor(rand() * 9)}.log`, content())
    kinds.add('ignored')
  }
  if (chance(0.4)) {
    mkdirSync(join(wt, 'empty'), { recursive: true })
    mkdirSync(join(wt, 'nest/ed/empty'), { recursive: true })
    kinds.add('empty-dirs')
  }
  if (chance(0.35)) {
    const v = join(wt, 'vendorlib')
    mkdirSync(v, { recursive: true })
    git(v, 'init', '-q', '-b', 'main')
    writeFileSync(join(v, 'lib.c'), 'int v1;\n')
    git(v, 'add', '-A')
    git(v, 'commit', '-q', '-m', 'v1')
    writeFileSync(join(v, 'lib.c'), 'int v2; /* uncommitted */\n')
    writeFileSync(join(v, 'untracked.h'), content())
    kinds.add('nested-repo')
  }
  if (chance(0.5) && fileNames.length > 0) {
    symlinkSync(pick(fileNames).split('/').pop()!, join(wt, 'link-rel'))
    symlinkSync(`missing/${rand().toString(36).slice(2)}`, join(wt, 'link-dangling'))
    kinds.add('symlinks')
  }
  if (chance(0.6)) {
    for (const p of fileNames)
      if (existsSync(join(wt, p)) && chance(0.4)) chmodSync(join(wt, p), pick([0o600, 0o640, 0o644, 0o755, 0o700, 0o444]))
    for (const d of ['src', 'docs', 'a/b', 'deep/er'])
      if (existsSync(join(wt, d)) && chance(0.4)) chmodSync(join(wt, d), pick([0o700, 0o750, 0o755]))
    kinds.add('modes')
  }
  if (chance(0.25)) {
    const bad = Buffer.concat([Buffer.from(`${wt}/bad-`), Buffer.from([0xff, 0xc3, 0x28]), Buffer.from('.bin')])
    writeFileSync(bad, content())
    kinds.add('non-utf8-name')
  }
  if (chance(0.2)) {
    mkdirSync(join(wt, 'node_modules/dep'), { recursive: true })
    writeFileSync(join(wt, 'node_modules/dep/index.js'), 'module.exports = 0\n')
    writeFileSync(join(wt, 'node_modules/dep/blob.bin'), '')
    truncateSync(join(wt, 'node_modules/dep/blob.bin'), 55 * 1024 * 1024)
    kinds.add('node_modules-over-limit')
  }
  if (readdirSync(wt).length === 0) put('only.txt')
  return [...kinds]
}
