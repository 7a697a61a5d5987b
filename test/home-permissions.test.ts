import { chmodSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { cleanupTemp, makeCore, makeRepo, must, tempDir } from './helpers/fixtures'

afterEach(cleanupTemp)

const mode = (p: string) => statSync(p).mode & 0o777

/** Every path under `dir` with its mode, not descending into `skip`. */
function modes(dir: string, skip: (p: string) => boolean, out: Record<string, number> = {}): Record<string, number> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    const st = statSync(p)
    if (!st.isDirectory() && !st.isFile()) continue
    out[p] = st.mode & 0o777
    if (st.isDirectory() && !skip(p)) modes(p, skip, out)
  }
  return out
}

describe.skipIf(process.platform === 'win32')('SKEIN_HOME is private', () => {
  it('tightens an existing 0755 home, threads/ and worktrees/ at start-up, and leaves files inside worktrees alone', async () => {
    const home = tempDir('skein-perm-')
    chmodSync(home, 0o755)
    const first = await makeCore(home)
    const repo = must(await first.core.repos.add(makeRepo()))
    const t = must(await first.core.threads.create({ repoId: repo.id, title: 'perm', mode: 'worktree' }))
    await first.core.close()
    // An older Skein (or a person) left everything readable by others.
    const userFile = join(t.worktreePath, 'README.md')
    chmodSync(userFile, 0o644)
    for (const d of [home, join(home, 'threads'), join(home, 'threads', t.id), join(home, 'worktrees'), join(home, 'worktrees', repo.id)])
      chmodSync(d, 0o755)
    chmodSync(join(home, 'threads', t.id, 'events.jsonl'), 0o644)
    chmodSync(join(home, 'repos.json'), 0o644)
    mkdirSync(join(home, 'stray'), { mode: 0o777 })
    writeFileSync(join(home, 'stray', 'note'), 'x', { mode: 0o666 })

    // A home from an older Skein has never been swept.
    rmSync(join(home, '.private'), { force: true })
    await makeCore(home)
    expect(mode(home)).toBe(0o700)
    const all = modes(home, (p) => p === t.worktreePath)
    delete all[t.worktreePath]
    const loose = Object.entries(all).filter(([, m]) => (m & 0o077) !== 0)
    expect(loose).toEqual([])
    expect(mode(join(home, 'threads'))).toBe(0o700)
    expect(mode(join(home, 'worktrees'))).toBe(0o700)
    expect(mode(join(home, 'worktrees', repo.id))).toBe(0o700)
    expect(mode(join(home, 'threads', t.id, 'events.jsonl'))).toBe(0o600)
    expect(mode(join(home, 'repos.json'))).toBe(0o600)
    expect(mode(join(home, 'stray', 'note'))).toBe(0o600)
    // The user's files in the worktree keep their modes.
    expect(mode(userFile)).toBe(0o644)
  })

  it('creates everything private in a fresh home', async () => {
    const home = join(tempDir('skein-perm-fresh-'), 'home')
    const made = await makeCore(home)
    const repo = must(await made.core.repos.add(makeRepo()))
    const t = must(await made.core.threads.create({ repoId: repo.id, title: 'fresh', mode: 'worktree' }))
    await made.core.close()
    const all = modes(home, (p) => p === t.worktreePath)
    delete all[t.worktreePath]
    const loose = Object.entries(all).filter(([, m]) => (m & 0o077) !== 0)
    expect(loose).toEqual([])
    expect(mode(home)).toBe(0o700)
  })

  it('after the first sweep, still tightens the home, threads/ and worktrees/ at every start', async () => {
    const home = tempDir('skein-perm-again-')
    const first = await makeCore(home)
    const repo = must(await first.core.repos.add(makeRepo()))
    must(await first.core.threads.create({ repoId: repo.id, title: 'again', mode: 'worktree' }))
    await first.core.close()
    for (const d of [home, join(home, 'threads'), join(home, 'worktrees'), join(home, 'worktrees', repo.id)]) chmodSync(d, 0o755)
    chmodSync(join(home, 'repos.json'), 0o644)
    await makeCore(home)
    for (const d of [home, join(home, 'threads'), join(home, 'worktrees'), join(home, 'worktrees', repo.id)]) expect(mode(d)).toBe(0o700)
    expect(mode(join(home, 'repos.json'))).toBe(0o600)
  })
})
