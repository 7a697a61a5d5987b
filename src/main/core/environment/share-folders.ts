import { execFile } from 'node:child_process'
import { lstat, mkdir, readdir, rename, rm, symlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { SetupState, SharedFolder } from '../../../shared/environment'
import { KeyedLock } from '../keyed-lock'
import { safeParent } from './copy-files'

/** What sharing one folder did. */
export type ShareOutcome = SetupState['shared'][number]

const seedLock = new KeyedLock()

/** Runs cp with arguments (never a shell); resolves with its error text, or null. */
function cp(args: string[]): Promise<string | null> {
  return new Promise((resolve) =>
    execFile('cp', args, { maxBuffer: 1024 * 1024 }, (e, _out, stderr) => resolve(e ? stderr.trim() || e.message : null))
  )
}

/** cp arguments for a clone (copy-on-write where the filesystem can) or a plain copy, on this platform. */
export function cpArgs(mode: 'reflink' | 'copy', from: string, to: string, platform: NodeJS.Platform = process.platform): string[] {
  if (platform === 'darwin') return mode === 'reflink' ? ['-c', '-R', '-p', from, to] : ['-R', '-p', from, to]
  return ['-a', mode === 'reflink' ? '--reflink=auto' : '--reflink=never', from, to]
}

const isRealDir = async (p: string) => {
  const s = await lstat(p).catch(() => null)
  return !!s && s.isDirectory() && !s.isSymbolicLink()
}

/**
 * The shared copy of a folder in Skein's store (`<SKEIN_HOME>/shared/<repo>/<folder>`), made once:
 * seeded from the main checkout's folder when it has one (a clone where the filesystem allows),
 * else empty, so the first worktree's setup fills it for the next ones.
 */
async function ensureStore(store: string, mainFolder: string): Promise<string | null> {
  return seedLock.run(store, async () => {
    if (await isRealDir(store)) return null
    await mkdir(dirname(store), { recursive: true, mode: 0o700 })
    if (!(await isRealDir(mainFolder))) {
      await mkdir(store, { recursive: true })
      return null
    }
    // Seeded under a temporary name, so a crash halfway never leaves a half-filled store in use.
    const tmp = `${store}.seeding-${process.pid}`
    await rm(tmp, { recursive: true, force: true })
    const failed = await cp(cpArgs('reflink', mainFolder, tmp))
    if (failed) {
      await rm(tmp, { recursive: true, force: true })
      await mkdir(store, { recursive: true })
      return `could not seed it from the main checkout (${failed}); it starts empty`
    }
    await rename(tmp, store)
    return null
  })
}

/**
 * Shares folders into a new worktree: `symlink` links it to the repository's shared store,
 * `reflink` clones the main checkout's folder (copy-on-write where supported), `copy` copies it.
 * A folder the worktree already has (it is tracked, say) is left alone.
 */
export async function shareFolders(o: {
  folders: SharedFolder[]
  mainCheckout: string
  worktree: string
  storeRoot: string
}): Promise<ShareOutcome[]> {
  const out: ShareOutcome[] = []
  for (const f of o.folders) {
    try {
      await shareOne(f, o, out)
    } catch (e) {
      out.push({ path: f.path, mode: f.mode, outcome: 'skipped', note: (e as Error).message })
    }
  }
  return out
}

async function shareOne(
  f: SharedFolder,
  o: { mainCheckout: string; worktree: string; storeRoot: string },
  out: ShareOutcome[]
): Promise<void> {
  {
    const target = join(o.worktree, f.path)
    const source = join(o.mainCheckout, f.path)
    const record = (outcome: ShareOutcome['outcome'], note: string | null = null) => out.push({ path: f.path, mode: f.mode, outcome, note })
    if (await lstat(target).catch(() => null)) {
      record('skipped', 'the worktree already has it (is it tracked?)')
      return
    }
    if (!(await safeParent(o.worktree, f.path))) {
      record('skipped', 'a folder on its way is a link or a file')
      return
    }
    if (f.mode === 'symlink') {
      const store = join(o.storeRoot, f.path)
      const note = await ensureStore(store, source)
      await symlink(store, target, 'dir')
      record('linked', note)
      return
    }
    if (!(await isRealDir(source))) {
      record('skipped', `the main checkout has no ${f.path} folder to ${f.mode === 'reflink' ? 'clone' : 'copy'}`)
      return
    }
    const failed = await cp(cpArgs(f.mode, source, target))
    if (failed) {
      await rm(target, { recursive: true, force: true })
      record('skipped', `cp failed: ${failed}`)
    } else record(f.mode === 'reflink' ? 'cloned' : 'copied')
  }
}

/**
 * After a successful setup: a symlink-mode folder that setup rebuilt as a real folder (npm, for
 * one, replaces a linked node_modules) while the shared store was still empty fills the store,
 * so the next worktrees link to a ready folder. The worktree keeps its own copy.
 */
export async function harvestSharedFolders(o: { folders: SharedFolder[]; worktree: string; storeRoot: string }): Promise<string[]> {
  const filled: string[] = []
  for (const f of o.folders) {
    const built = join(o.worktree, f.path)
    const store = join(o.storeRoot, f.path)
    await seedLock.run(store, async () => {
      if (!(await isRealDir(built))) return
      const entries = await readdir(store).catch(() => null)
      if (entries && entries.length > 0) return
      const tmp = `${store}.seeding-${process.pid}`
      await rm(tmp, { recursive: true, force: true })
      await mkdir(dirname(store), { recursive: true, mode: 0o700 })
      if (await cp(cpArgs('reflink', built, tmp))) return rm(tmp, { recursive: true, force: true })
      await rm(store, { recursive: true, force: true })
      await rename(tmp, store)
      filled.push(f.path)
    })
  }
  return filled
}
