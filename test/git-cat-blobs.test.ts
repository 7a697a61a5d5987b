import { execFileSync } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import { catBlobs } from '../src/main/core/git/cat-blobs'
import { GitRunner } from '../src/main/core/git/git-runner'
import { cleanupTemp, makeRepo } from './helpers/fixtures'

afterEach(cleanupTemp)

const hash = (repo: string, bytes: Buffer) =>
  execFileSync('git', ['hash-object', '-w', '--no-filters', '--stdin'], { cwd: repo, input: bytes }).toString().trim()

describe('catBlobs', () => {
  it('returns each blob byte for byte, in order, with null for a missing one', async () => {
    const repo = makeRepo()
    const inputs = [Buffer.from('a\r\nb\r\n'), Buffer.from([0, 10, 255, 10, 10]), Buffer.from('x'.repeat(100_000)), Buffer.alloc(0)]
    const ids = inputs.map((b) => hash(repo, b))
    const missing = '0123456789012345678901234567890123456789'
    const out = await catBlobs(new GitRunner(), repo, [ids[0]!, missing, ids[1]!, ids[2]!, ids[3]!, ids[0]!])
    expect(out.map((b) => (b === null ? null : b.toString('hex')))).toEqual(
      [inputs[0], null, inputs[1], inputs[2], inputs[3], inputs[0]].map((b) => (b === null ? null : b.toString('hex')))
    )
  })

  it('a tree or commit id is not a blob', async () => {
    const repo = makeRepo()
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo }).toString().trim()
    expect(await catBlobs(new GitRunner(), repo, [head])).toEqual([null])
  })
})
