/**
 * Full worktree snapshots (manifest version 2). Git alone keeps only 644/755 files, filtered bytes,
 * no empty folders, no nested `.git` and no ignored files, so a snapshot stores the folder itself:
 *
 *   refs/skein/snapshots/<thread> -> snapshot commit S
 *     S^{tree}  a browsable view: the worktree's files at their paths, raw bytes (paths git refuses,
 *               like anything inside a nested `.git`, appear only in the manifest)
 *     S^1       index commit: the tree of the index, parent HEAD (as snapshots have always had)
 *     S^2       manifest commit, no parent, whose tree holds:
 *                 manifest.json  every path of the folder with type, exact mode, size and blob id;
 *                                the private git dir's files (the index byte-for-byte, so staged
 *                                state and assume-unchanged/skip-worktree flags, HEAD, logs);
 *                                what was left out, with sizes and why
 *                 blobs/<id>     every blob the manifest or the index names, so gc keeps them all
 *
 * Every blob is written with `hash-object --no-filters` (raw bytes, never eol-converted) and its id
 * is also computed here, so a mismatch means the file changed while being saved. The snapshot is
 * read back and checked against the disk (snapshot-verify.ts) before its ref is set; restore
 * (snapshot-restore.ts) rebuilds the folder from the manifest alone.
 */
import { copyFile, mkdtemp, readlink, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { err, ok, type Result } from '../../../shared/result'
import { buildTree, type TreeEntry } from '../git/build-tree'
import { commitTree } from '../git/commit-tree'
import type { GitRunner } from '../git/git-runner'
import { hashFilesRaw } from '../git/hash-object'
import { readHeadState } from '../git/head-state'
import { indexBlobIds } from '../git/index-blobs'
import { gitDirOf } from '../git/ignored-paths'
import { objectFormat } from '../git/object-format'
import { absBytes, type FsEntry, utf8Path } from './fs-walk'
import { type SnapshotManifest, toManifestEntry, toManifestLeftOut } from './manifest'
import { verifySnapshot } from './snapshot-verify'
import { LEAVE_OUT_BYTES, LEAVE_OUT_FILES, readWorktreeState } from './worktree-state'

/** Options for writing a snapshot; the hooks exist for tests. */
export interface SnapshotWriteOptions {
  /** Git-dir files not to save (Skein's own ownership mark). */
  gitDirSkip?: readonly string[]
  limits?: { bytes: number; files: number }
  /** Runs once the snapshot objects are written, before they are read back and checked. */
  beforeVerify?: (written: WrittenSnapshot) => Promise<void>
}

/** A written snapshot: its commit and manifest. */
export interface WrittenSnapshot {
  commit: string
  manifest: SnapshotManifest
  worktree: string
}

/** Saves everything in `worktree` under `ref`, verified; a failed check leaves the ref as it was. */
export async function writeFullSnapshot(
  git: GitRunner,
  worktree: string,
  ref: string,
  message: string,
  options: SnapshotWriteOptions = {}
): Promise<Result<WrittenSnapshot, string>> {
  const algo = await objectFormat(git, worktree)
  const gitDir = await gitDirOf(git, worktree)
  if (!gitDir) return err(`${worktree} is not a git worktree`)
  const head = await readHeadState(git, worktree)
  const state = await readWorktreeState(
    git,
    worktree,
    gitDir,
    algo,
    { decide: options.limits ?? { bytes: LEAVE_OUT_BYTES, files: LEAVE_OUT_FILES } },
    options.gitDirSkip
  )
  const manifest: SnapshotManifest = {
    format: 'skein-worktree-snapshot',
    version: 2,
    objectFormat: algo,
    head: head.commit,
    branch: head.branch,
    worktree: state.worktree.entries.map(toManifestEntry),
    gitDir: state.gitDir.entries.map(toManifestEntry),
    leftOut: state.worktree.leftOut.map(toManifestLeftOut)
  }
  const scratch = await mkdtemp(join(tmpdir(), 'skein-snapshot-'))
  try {
    const changed = await writeBlobs(git, worktree, scratch, [
      { root: worktree, entries: state.worktree.entries },
      { root: gitDir, entries: state.gitDir.entries }
    ])
    if (changed) return err(`${changed} changed while it was being saved`)
    const manifestFile = join(scratch, 'manifest.json')
    await writeFile(manifestFile, JSON.stringify(manifest))
    const emptyFile = join(scratch, 'empty')
    await writeFile(emptyFile, '')
    // The empty blob is named by intent-to-add index entries but need not exist yet.
    const [manifestId, emptyId] = await hashFilesRaw(git, worktree, [manifestFile, emptyFile])
    const ids = new Set<string>([emptyId!, ...(await indexBlobIds(git, worktree))])
    for (const e of [...state.worktree.entries, ...state.gitDir.entries]) if (e.id) ids.add(e.id)
    const metaTree = await buildTree(git, worktree, [
      { mode: '100644', id: manifestId!, path: 'manifest.json' },
      ...[...ids].map((id) => ({ mode: '100644', id, path: `blobs/${id}` }))
    ])
    const metaCommit = await commitTree(git, worktree, metaTree, [], `manifest of ${message}`)
    const indexTree = await writeIndexTree(git, worktree, gitDir, scratch)
    const indexCommit = await commitTree(git, worktree, indexTree, head.commit ? [head.commit] : [], `index of ${message}`)
    const view = await buildTree(git, worktree, viewEntries(state.worktree.entries)).catch(() => indexTree)
    const commit = await commitTree(git, worktree, view, [indexCommit, metaCommit], message)
    const written = { commit, manifest, worktree }
    await options.beforeVerify?.(written)
    const problem = await verifySnapshot(git, worktree, gitDir, written, options.gitDirSkip)
    if (problem) return err(problem)
    await git.run(worktree, ['update-ref', '-m', message, ref, commit])
    const set = await git.exec(worktree, ['rev-parse', '--verify', '--quiet', ref])
    if (set.stdout.trim() !== commit) return err(`${ref} does not point at the snapshot just written`)
    return ok(written)
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
}

/** Writes each distinct blob once; returns the first path whose blob id differs from its walked hash. */
async function writeBlobs(
  git: GitRunner,
  cwd: string,
  scratch: string,
  groups: { root: string; entries: FsEntry[] }[]
): Promise<string | null> {
  const jobs: { file: string; id: string; label: string }[] = []
  const seen = new Set<string>()
  let n = 0
  for (const { root, entries } of groups) {
    for (const e of entries) {
      if (!e.id || seen.has(e.id)) continue
      seen.add(e.id)
      const abs = absBytes(root, e.path)
      const text = utf8Path(e.path)
      let file = `${root}/${text}`
      if (e.type === 'symlink') {
        // A link's blob is its target's bytes; hash-object would follow the link instead.
        file = join(scratch, `link-${n++}`)
        await writeFile(file, await readlink(abs, { encoding: 'buffer' }))
      } else if (text === null) {
        // git takes paths as UTF-8 text, so a file with a non-UTF-8 name is hashed from a copy.
        file = join(scratch, `copy-${n++}`)
        await copyFile(abs, file)
      }
      jobs.push({ file, id: e.id, label: `${root}/${text ?? Buffer.from(e.path, 'latin1').toString('utf8')}` })
    }
  }
  const got = await hashFilesRaw(
    git,
    cwd,
    jobs.map((j) => j.file)
  )
  const bad = jobs.findIndex((j, i) => got[i] !== j.id)
  return bad === -1 ? null : jobs[bad]!.label
}

/** The tree of the index, from a copy so the real index (and its cache-tree) stays byte-identical. */
async function writeIndexTree(git: GitRunner, worktree: string, gitDir: string, scratch: string): Promise<string> {
  const copy = join(scratch, 'index')
  const copied = await copyFile(join(gitDir, 'index'), copy).then(
    () => true,
    () => false
  )
  if (copied) {
    const out = await git.exec(worktree, ['write-tree'], { env: { GIT_INDEX_FILE: copy } })
    if (out.exitCode === 0) return out.stdout.trim()
  }
  // No index yet, or one with conflicts: the raw index in the manifest still holds it exactly.
  return buildTree(git, worktree, [])
}

/** Tree entries for the browsable view; paths git would refuse are left to the manifest. */
function viewEntries(entries: FsEntry[]): TreeEntry[] {
  const out: TreeEntry[] = []
  for (const e of entries) {
    if (e.type === 'dir' || !e.id) continue
    const text = utf8Path(e.path)
    if (text === null || text.split('/').some((part) => /^\.git($|[\s.~])|^git~\d/i.test(part))) continue
    out.push({ mode: e.type === 'symlink' ? '120000' : e.mode & 0o100 ? '100755' : '100644', id: e.id, path: text })
  }
  return out
}
