import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { INSTRUCTIONS_CAP, loadInstructions } from '../src/main/core/agent/instructions'
import { retryDelayMs } from '../src/main/core/agent/model-call'
import { capOutput } from '../src/main/core/agent/tools/bash-tool'
import { globToRegExp } from '../src/main/core/agent/tools/file-tools'
import { isReadOnlyCommand } from '../src/main/core/agent/tools/read-only-commands'
import { unifiedDiff } from '../src/main/core/agent/tools/unified-diff'
import { cleanupTemp, tempDir } from './helpers/fixtures'

afterEach(cleanupTemp)

describe('agent building blocks', () => {
  it('loads AGENTS.md and CLAUDE.md from the root down to the working folder, root first, capped', async () => {
    const root = tempDir()
    mkdirSync(join(root, 'services', 'api'), { recursive: true })
    writeFileSync(join(root, 'AGENTS.md'), 'root agents')
    writeFileSync(join(root, 'CLAUDE.md'), 'root claude')
    writeFileSync(join(root, 'services', 'api', 'AGENTS.md'), 'api agents')
    const got = await loadInstructions(root, join(root, 'services', 'api'))
    expect(got.files).toEqual(['AGENTS.md', 'CLAUDE.md', 'services/api/AGENTS.md'])
    expect(got.text.indexOf('root agents')).toBeLessThan(got.text.indexOf('api agents'))
    writeFileSync(join(root, 'CLAUDE.md'), 'x'.repeat(INSTRUCTIONS_CAP + 10))
    const capped = await loadInstructions(root, join(root, 'services', 'api'))
    expect(capped.truncated).toBe(true)
    expect(capped.text.length).toBeLessThan(INSTRUCTIONS_CAP + 500)
    expect(capped.files).not.toContain('services/api/AGENTS.md')
  })

  it('allows only read-only commands in plan mode', () => {
    for (const ok of [
      'ls -la',
      'git status',
      'git log --oneline -5 | head -3',
      'grep -rn foo src && wc -l README.md',
      'cat a.txt | sort | uniq -c',
      'find . -name "*.ts"',
      'git config --get user.name'
    ]) {
      expect(isReadOnlyCommand(ok), ok).toBe(true)
    }
    for (const bad of [
      'rm -rf x',
      'ls > out.txt',
      'echo $(rm x)',
      'cat `which x`',
      'find . -delete',
      'find . -exec rm {} +',
      'git push',
      'git branch -D main',
      'git config user.name x',
      'npm test',
      'ls & rm x',
      'ls\nrm x',
      'sed -i s/a/b/ f'
    ]) {
      expect(isReadOnlyCommand(bad), bad).toBe(false)
    }
  })

  it('honours retry-after and backs off with jitter otherwise', () => {
    const h = (o: Record<string, string>) => new Headers(o)
    expect(retryDelayMs(1, h({ 'retry-after': '3' }))).toBe(3000)
    expect(retryDelayMs(1, h({ 'retry-after-ms': '250' }))).toBe(250)
    expect(retryDelayMs(2, h({ 'retry-after': '600' }))).toBe(60_000)
    expect(retryDelayMs(1, null, () => 0)).toBe(375)
    expect(retryDelayMs(3, null, () => 1)).toBe(2500)
    expect(retryDelayMs(10, null, () => 0.5)).toBe(8000)
  })

  it('cuts long output from the middle with a note, matches globs, and diffs', () => {
    const long = `${'a'.repeat(40_000)}END`
    const cut = capOutput(long, 1000)
    expect(cut.length).toBeLessThan(1200)
    expect(cut).toMatch(/characters cut from the middle: the output was 40003 characters/)
    expect(cut.endsWith('END')).toBe(true)
    expect(globToRegExp('src/**/*.ts').test('src/a/b/c.ts')).toBe(true)
    expect(globToRegExp('src/**/*.ts').test('src/c.ts')).toBe(true)
    expect(globToRegExp('*.md').test('docs/a.md')).toBe(false)
    const d = unifiedDiff('f.txt', 'a\nb\nc\n', 'a\nB\nc\n')
    expect(d).toContain('--- a/f.txt')
    expect(d).toContain('-b')
    expect(d).toContain('+B')
  })

  it('makes unified diffs git applies: large files keep small hunks, and a missing final newline is marked', () => {
    const repo = tempDir()
    execFileSync('git', ['init', '-q'], { cwd: repo })
    const check = (before: string, after: string) => {
      writeFileSync(join(repo, 'f.txt'), before)
      const patch = unifiedDiff('f.txt', before, after)
      writeFileSync(join(repo, 'p.diff'), patch)
      execFileSync('git', ['apply', 'p.diff'], { cwd: repo })
      expect(readFileSync(join(repo, 'f.txt'), 'utf8')).toBe(after)
      return patch
    }
    // 20,000 lines with one changed in the middle: 400M cells, past the old O(n·m) cliff.
    const lines = Array.from({ length: 20_000 }, (_, i) => `line ${i}`)
    const big = check(`${lines.join('\n')}\n`, `${lines.map((l, i) => (i === 10_000 ? 'changed' : l)).join('\n')}\n`)
    expect(big.split('\n').filter((l) => l.startsWith('@@'))).toEqual(['@@ -9998,7 +9998,7 @@'])
    expect(big).toContain('-line 10000\n+changed')
    const noEol = check('a\nb\nc', 'a\nB\nc\n')
    expect(noEol).toContain('\\ No newline at end of file')
    expect(noEol.startsWith('--- a/f.txt\n+++ b/f.txt\n')).toBe(true)
    check('', 'new\n')
    expect(unifiedDiff('f.txt', 'same\n', 'same\n')).toBe('')
  })
})
