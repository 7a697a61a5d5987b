import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { cpArgs, harvestSharedFolders, shareFolders } from '../src/main/core/environment/share-folders'
import { cleanupTemp, tempDir, writeFile } from './helpers/fixtures'

afterEach(cleanupTemp)

function layout() {
  const main = tempDir('skein-main-')
  const worktree = tempDir('skein-wt-')
  const storeRoot = join(tempDir('skein-store-'), 'repo')
  writeFile(join(main, 'node_modules/dep/index.js'), 'module.exports = 1\n')
  writeFile(join(main, 'packages/app/.cache/c.bin'), 'cache\n')
  return { main, worktree, storeRoot }
}

describe('sharing folders', () => {
  it('symlink: seeds the store from the main checkout once, and links each worktree to it', async () => {
    const { main, worktree, storeRoot } = layout()
    const out = await shareFolders({ folders: [{ path: 'node_modules', mode: 'symlink' }], mainCheckout: main, worktree, storeRoot })
    expect(out).toEqual([{ path: 'node_modules', mode: 'symlink', outcome: 'linked', note: null }])
    expect(readlinkSync(join(worktree, 'node_modules'))).toBe(join(storeRoot, 'node_modules'))
    expect(readFileSync(join(worktree, 'node_modules/dep/index.js'), 'utf8')).toBe('module.exports = 1\n')
    // The store is a copy: the main checkout's folder is never written through the link.
    writeFileSync(join(worktree, 'node_modules/dep/index.js'), 'changed\n')
    expect(readFileSync(join(main, 'node_modules/dep/index.js'), 'utf8')).toBe('module.exports = 1\n')
    const second = tempDir('skein-wt-')
    await shareFolders({ folders: [{ path: 'node_modules', mode: 'symlink' }], mainCheckout: main, worktree: second, storeRoot })
    expect(readFileSync(join(second, 'node_modules/dep/index.js'), 'utf8')).toBe('changed\n')
  })

  it('reflink and copy give each worktree its own folder, nested paths included', async () => {
    const { main, worktree, storeRoot } = layout()
    const out = await shareFolders({
      folders: [
        { path: 'node_modules', mode: 'reflink' },
        { path: 'packages/app/.cache', mode: 'copy' }
      ],
      mainCheckout: main,
      worktree,
      storeRoot
    })
    expect(out.map((o) => o.outcome)).toEqual(['cloned', 'copied'])
    expect(lstatSync(join(worktree, 'node_modules')).isSymbolicLink()).toBe(false)
    writeFileSync(join(worktree, 'packages/app/.cache/c.bin'), 'mine\n')
    expect(readFileSync(join(main, 'packages/app/.cache/c.bin'), 'utf8')).toBe('cache\n')
  })

  it('skips, with a reason, a folder the main checkout lacks or the worktree already has', async () => {
    const { main, worktree, storeRoot } = layout()
    mkdirSync(join(worktree, 'node_modules'))
    const out = await shareFolders({
      folders: [
        { path: 'node_modules', mode: 'symlink' },
        { path: '.venv', mode: 'copy' }
      ],
      mainCheckout: main,
      worktree,
      storeRoot
    })
    expect(out).toEqual([
      { path: 'node_modules', mode: 'symlink', outcome: 'skipped', note: expect.stringContaining('already has it') },
      { path: '.venv', mode: 'copy', outcome: 'skipped', note: expect.stringContaining('no .venv folder') }
    ])
  })

  it('harvest: an empty store is filled from the folder setup built, so the next worktree links to a full one', async () => {
    const main = tempDir('skein-main-')
    const worktree = tempDir('skein-wt-')
    const storeRoot = join(tempDir('skein-store-'), 'repo')
    await shareFolders({ folders: [{ path: 'node_modules', mode: 'symlink' }], mainCheckout: main, worktree, storeRoot })
    // A tool replaced the link with a real folder, as npm does.
    const link = join(worktree, 'node_modules')
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    await import('node:fs/promises').then((fs) => fs.rm(link))
    writeFile(join(worktree, 'node_modules/built/x.js'), 'x\n')
    expect(await harvestSharedFolders({ folders: [{ path: 'node_modules', mode: 'symlink' }], worktree, storeRoot })).toEqual([
      'node_modules'
    ])
    expect(existsSync(join(storeRoot, 'node_modules/built/x.js'))).toBe(true)
    // A full store is never replaced.
    writeFile(join(worktree, 'node_modules/other.js'), 'y\n')
    expect(await harvestSharedFolders({ folders: [{ path: 'node_modules', mode: 'symlink' }], worktree, storeRoot })).toEqual([])
  })

  it('uses copy-on-write clones where the platform has them', () => {
    expect(cpArgs('reflink', 'a', 'b', 'linux')).toEqual(['-a', '--reflink=auto', 'a', 'b'])
    expect(cpArgs('copy', 'a', 'b', 'linux')).toEqual(['-a', '--reflink=never', 'a', 'b'])
    expect(cpArgs('reflink', 'a', 'b', 'darwin')).toEqual(['-c', '-R', '-p', 'a', 'b'])
  })
})
