import type { GitRunner } from './git-runner'

/** One file as a commit has it. */
export type BlobResult = { kind: 'ok'; bytes: Buffer } | { kind: 'missing' } | { kind: 'too-big'; size: number }

/** Reads `path` at `commit` as raw bytes; 'missing' when the commit has no such file, 'too-big' past `maxBytes`. */
export async function readBlob(git: GitRunner, cwd: string, commit: string, path: string, maxBytes: number): Promise<BlobResult> {
  const spec = `${commit}:${path}`
  const size = await git.exec(cwd, ['cat-file', '-s', spec])
  if (size.exitCode !== 0) return { kind: 'missing' }
  const n = Number(size.stdout.trim())
  if (n > maxBytes) return { kind: 'too-big', size: n }
  const bytes = await git.bytes(cwd, ['--no-textconv', spec])
  return bytes ? { kind: 'ok', bytes } : { kind: 'missing' }
}
