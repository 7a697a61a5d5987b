import { execFileSync } from 'node:child_process'
import { linkSync, lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { measureDisk } from '../src/main/core/disk/disk-walk'
import { shareFolder } from '../src/main/core/environment/share-folder'
import { cleanupTemp, tempDir, writeFile } from './helpers/fixtures'

afterEach(cleanupTemp)

/** GNU du's own figure, as an independent count (bytes allocated, hard links once, links not followed). */
const du = (...paths: string[]) =>
  Number(
    execFileSync('du', ['-s', '-c', '-B1', ...paths], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .at(-1)!
      .split('\t')[0]
  )
const duApparent = (path: string) => Number(execFileSync('du', ['-s', '-b', path], { encoding: 'utf8' }).split('\t')[0])

function sampleTree(root: string): void {
  for (let i = 0; i < 30; i++) writeFile(join(root, `pkg${i % 5}`, `lib${i}`, 'index.js'), randomBytes(1000 + i * 517))
  writeFile(join(root, 'big.bin'), randomBytes(300_000))
  mkdirSync(join(root, 'empty', 'deeper'), { recursive: true })
}

describe('measureDisk counts like du', () => {
  it('matches du on an ordinary tree, allocated and apparent', async () => {
    const root = tempDir()
    sampleTree(root)
    const m = await measureDisk(root)
    expect(m.allocatedBytes).toBe(du(root))
    // du -b adds each folder's own size; our apparent figure is files only, so compare without folders.
    const dirSizes = Number(
      execFileSync('sh', ['-c', `find "$1" -type d -printf '%s\\n' | awk '{s+=$1} END {print s}'`, 'x', root], { encoding: 'utf8' })
    )
    expect(m.apparentBytes).toBe(duApparent(root) - dirSizes)
    expect(m.files).toBe(31)
  })

  it('counts a hard-linked file once, and once across folders sharing a seen set', async () => {
    const root = tempDir()
    writeFile(join(root, 'a', 'blob'), randomBytes(512 * 1024))
    linkSync(join(root, 'a', 'blob'), join(root, 'a', 'again'))
    mkdirSync(join(root, 'b'))
    linkSync(join(root, 'a', 'blob'), join(root, 'b', 'third'))
    const blob = Number(lstatSync(join(root, 'a', 'blob')).blocks) * 512
    const whole = await measureDisk(root)
    expect(whole.allocatedBytes).toBe(du(root))
    expect(whole.multiLinked.size).toBe(1)
    const seen = new Set<string>()
    const a = await measureDisk(join(root, 'a'), { seen })
    const b = await measureDisk(join(root, 'b'), { seen })
    expect(a.allocatedBytes).toBeGreaterThanOrEqual(blob)
    expect(b.allocatedBytes).toBeLessThan(blob)
    // Independently: du given both folders counts the inode once, too.
    expect(a.allocatedBytes + b.allocatedBytes).toBe(du(join(root, 'a'), join(root, 'b')))
  })

  it('never follows a symlink: a shared folder linked in is counted where it lives, and the link is reported', async () => {
    const store = tempDir()
    sampleTree(join(store, 'node_modules'))
    const wt = tempDir()
    writeFile(join(wt, 'src', 'main.ts'), 'export {}\n')
    symlinkSync(join(store, 'node_modules'), join(wt, 'node_modules'))
    symlinkSync('../nowhere', join(wt, 'dangling'))
    const m = await measureDisk(wt, { sharedKey: (t) => (t.startsWith(`${store}/`) ? t.slice(store.length + 1).split('/')[0]! : null) })
    expect(m.allocatedBytes).toBe(du(wt))
    expect(m.allocatedBytes).toBeLessThan(64 * 1024)
    expect([...m.sharedLinks]).toEqual(['node_modules'])
    expect(readlinkSync(join(wt, 'node_modules'))).toBe(join(store, 'node_modules'))
  })

  it('a sparse file counts only its written blocks', async () => {
    const root = tempDir()
    writeFileSync(join(root, 'sparse.img'), '')
    truncateSync(join(root, 'sparse.img'), 200 * 1024 * 1024)
    writeFileSync(join(root, 'dense.bin'), randomBytes(64 * 1024))
    const m = await measureDisk(root)
    expect(m.apparentBytes).toBe(200 * 1024 * 1024 + 64 * 1024)
    expect(m.allocatedBytes).toBeLessThan(1024 * 1024)
    expect(m.allocatedBytes).toBe(du(root))
  })

  it('stops when aborted, and a folder that vanishes counts as empty', async () => {
    const root = tempDir()
    sampleTree(root)
    const stop = new AbortController()
    stop.abort()
    const m = await measureDisk(root, { signal: stop.signal })
    expect(m.files).toBe(0)
    const gone = await measureDisk(join(root, 'no-such-folder'))
    expect(gone).toMatchObject({ allocatedBytes: 0, files: 0, unreadable: 0 })
  })
})

describe('shareFolder', () => {
  it('links, copies, or clones (falling back to a copy where the file system cannot), never over an existing target', async () => {
    const base = tempDir()
    const source = join(base, 'main', 'node_modules')
    sampleTree(source)
    const linked = await shareFolder(source, join(base, 'wt1', 'node_modules'), 'symlink')
    expect(linked).toEqual({ ok: true, value: { asked: 'symlink', used: 'symlink', fellBack: null } })
    expect(readlinkSync(join(base, 'wt1', 'node_modules'))).toBe(source)

    const copied = await shareFolder(source, join(base, 'wt2', 'node_modules'), 'copy')
    expect(copied.ok && copied.value.used).toBe('copy')
    expect(readFileSync(join(base, 'wt2', 'node_modules', 'big.bin')).equals(readFileSync(join(source, 'big.bin')))).toBe(true)
    expect(lstatSync(join(base, 'wt2', 'node_modules', 'empty', 'deeper')).isDirectory()).toBe(true)

    const cloned = await shareFolder(source, join(base, 'wt3', 'node_modules'), 'reflink')
    if (!cloned.ok) throw new Error(cloned.error.message)
    const fsClones = (() => {
      try {
        execFileSync('cp', ['--reflink=always', join(source, 'big.bin'), join(base, 'probe')], { stdio: 'ignore' })
        return true
      } catch {
        return false
      }
    })()
    expect(cloned.value.used).toBe(fsClones ? 'reflink' : 'copy')
    expect(cloned.value.fellBack === null).toBe(fsClones)
    expect(
      readFileSync(join(base, 'wt3', 'node_modules', 'pkg0', 'lib0', 'index.js')).equals(
        readFileSync(join(source, 'pkg0', 'lib0', 'index.js'))
      )
    ).toBe(true)

    const again = await shareFolder(source, join(base, 'wt1', 'node_modules'), 'copy')
    expect(again.ok || again.error.kind).toBe('target-exists')
    const missing = await shareFolder(join(base, 'nope'), join(base, 'wt4', 'node_modules'), 'symlink')
    expect(missing.ok || missing.error.kind).toBe('source-missing')
  })
})
