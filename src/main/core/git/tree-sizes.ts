import type { GitRunner } from './git-runner'

/** One blob of a tree as git reads it back: its id and size, or null size when the object is missing. */
export interface TreeBlob {
  id: string
  size: number | null
}

/** Every blob under `treeish` by path, with the size git finds in the object store (`BAD` means missing). */
export async function treeBlobSizes(git: GitRunner, cwd: string, treeish: string): Promise<Map<string, TreeBlob>> {
  const out = await git.run(cwd, ['ls-tree', '-r', '-l', '-z', '--end-of-options', treeish])
  const blobs = new Map<string, TreeBlob>()
  for (const rec of out.split('\0')) {
    const m = /^\d+ blob ([0-9a-f]+) +(\d+|BAD|-)\t([\s\S]*)$/.exec(rec)
    if (m) blobs.set(m[3]!, { id: m[1]!, size: /^\d+$/.test(m[2]!) ? Number(m[2]) : null })
  }
  return blobs
}
