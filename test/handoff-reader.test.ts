import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { continueArgv, continueCommand, shellQuote } from '../src/main/core/handoff/continue-command'
import { forEachLine } from '../src/main/core/handoff/jsonl-reader'
import { cleanupTemp, tempDir } from './helpers/fixtures'

afterEach(cleanupTemp)

async function lines(path: string, options: Parameters<typeof forEachLine>[2] = {}) {
  const out: [number, string][] = []
  const stats = await forEachLine(path, (line, n) => void out.push([n, line]), options)
  return { out, stats }
}

describe('line reader', () => {
  it('splits lines across tiny chunks without garbling multi-byte characters', async () => {
    const path = join(tempDir(), 'f.jsonl')
    const content = ['{"a":"héllo wörld ✓ 🎉"}', '', '   ', '{"b":"日本語のテキスト"}', '{"c":"last, no newline"}']
    writeFileSync(path, '\uFEFF' + content.join('\r\n'))
    for (const chunkBytes of [1, 3, 7, 64 * 1024]) {
      const { out, stats } = await lines(path, { chunkBytes })
      expect(out).toEqual([
        [1, content[0]],
        [4, content[3]],
        [5, content[4]]
      ])
      expect(stats).toMatchObject({ lines: 3, oversized: 0, stopped: false, bytes: stats.stat.size })
    }
  })

  it('drops an oversized line without holding it, counts it, and reads on', async () => {
    const path = join(tempDir(), 'f.jsonl')
    writeFileSync(path, `short one\n${'x'.repeat(100_000)}\nafter it\n${'y'.repeat(5000)}`)
    const { out, stats } = await lines(path, { chunkBytes: 1024, maxLineBytes: 4096 })
    expect(out).toEqual([
      [1, 'short one'],
      [3, 'after it']
    ])
    expect(stats.oversized).toBe(2)
    expect(stats.maxBuffered).toBeLessThanOrEqual(1024 + 4096)
  })

  it('stops when asked, and cuts a head read at maxBytes without delivering the cut line', async () => {
    const path = join(tempDir(), 'f.jsonl')
    writeFileSync(path, Array.from({ length: 10_000 }, (_, i) => `line number ${i}`).join('\n'))
    const seen: string[] = []
    const stopped = await forEachLine(path, (l) => seen.push(l) < 3, { chunkBytes: 256 })
    expect(seen).toEqual(['line number 0', 'line number 1', 'line number 2'])
    expect(stopped.stopped).toBe(true)
    expect(stopped.bytes).toBe(256)
    const head = await lines(path, { maxBytes: 100 })
    // Seven 14-byte lines fit in 100 bytes; the eighth is cut and not delivered.
    expect(head.out.map((x) => x[1])).toEqual(Array.from({ length: 7 }, (_, i) => `line number ${i}`))
    expect(head.stats).toMatchObject({ bytes: 100, stopped: true })
  })

  it('holds one chunk and one reused line buffer, however big the file', async () => {
    const path = join(tempDir(), 'f.jsonl')
    const line = 'z'.repeat(999)
    writeFileSync(path, `${line}\n`.repeat(20_000))
    const stats = await forEachLine(path, () => {}, { chunkBytes: 8192 })
    expect(stats.lines).toBe(20_000)
    // The line buffer starts at 64 KB and only grows for a line longer than that.
    expect(stats.maxBuffered).toBeLessThanOrEqual(8192 + 64 * 1024)
    const long = 'q'.repeat(300_000)
    writeFileSync(path, `${long}\n`.repeat(100))
    const seen: number[] = []
    const big = await forEachLine(path, (l) => void seen.push(l.length), { chunkBytes: 8192 })
    expect(seen).toEqual(Array(100).fill(300_000))
    expect(big.maxBuffered).toBeLessThanOrEqual(8192 + 2 * 300_000)
  })
})

describe('continue command', () => {
  const SID = '5f0c2a1e-7b7d-4c55-9a1b-0d3e8c6f4a21'

  it('builds the plain commands and argv', () => {
    expect(continueCommand('claude', SID, '/work/shop-api')).toBe(`cd /work/shop-api && claude --resume ${SID}`)
    expect(continueCommand('codex', SID, '/work/shop-api')).toBe(`cd /work/shop-api && codex resume ${SID}`)
    expect(continueArgv('claude', SID, '/w')).toEqual({ file: 'claude', args: ['--resume', SID], cwd: '/w' })
    expect(continueArgv('codex', SID, '/w')).toEqual({ file: 'codex', args: ['resume', SID], cwd: '/w' })
    expect(shellQuote('')).toBe("''")
    // cd would read a directory starting with "-" as an option.
    expect(continueCommand('codex', SID, '-odd dir')).toBe(`cd './-odd dir' && codex resume ${SID}`)
  })

  it('quotes a hostile directory so a real shell lands in it and runs nothing else', () => {
    const root = tempDir()
    const dir = join(root, `it's a "dir" $(touch pwned) ; echo hi & \`x\` \\ end`)
    mkdirSync(dir)
    const bin = join(root, 'bin')
    mkdirSync(bin)
    for (const cli of ['claude', 'codex']) {
      writeFileSync(join(bin, cli), `#!/bin/sh\nprintf '%s\\n' "$(pwd)" "${cli}" "$@"\n`)
      chmodSync(join(bin, cli), 0o755)
    }
    for (const source of ['claude', 'codex'] as const) {
      const out = execFileSync('/bin/sh', ['-c', continueCommand(source, "id'; rm -rf x", dir)], {
        encoding: 'utf8',
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
        cwd: root
      })
      const args = source === 'claude' ? ['--resume', "id'; rm -rf x"] : ['resume', "id'; rm -rf x"]
      expect(out.split('\n').slice(0, -1)).toEqual([dir, source, ...args])
    }
    expect(() => execFileSync('ls', [join(root, 'pwned')], { stdio: 'ignore' })).toThrow()
  })
})
