import { execFileSync } from 'node:child_process'
import { readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { changedLineEstimate } from '../src/main/core/review/file-diff'
import { revertHunk } from '../src/main/core/review/hunk-revert'
import { DIFF_GUARD, type FileDiff } from '../src/shared/review'
import { cleanupTemp, git, makeCore, makeRepo, must } from './helpers/fixtures'

afterEach(cleanupTemp)

async function threadWith(edit: (wt: string) => void) {
  const { core } = await makeCore()
  const repo = must(await core.repos.add(makeRepo()))
  const t = must(await core.threads.create({ repoId: repo.id, title: 'diffs', mode: 'worktree' }))
  edit(t.worktreePath)
  return { core, t }
}

const lines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n') + '\n'

describe('review/file: both sides of a changed file', () => {
  it('gives base and disk text for modified, added, deleted and renamed files, per scope', async () => {
    const { core, t } = await threadWith((wt) => {
      writeFileSync(join(wt, 'src/app.ts'), 'export const answer = 43\n')
      writeFileSync(join(wt, 'notes.md'), 'new file\n')
      git(wt, 'mv', 'README.md', 'READ.md')
      git(wt, 'add', '-A')
      git(wt, 'commit', '-qm', 'agent work')
      writeFileSync(join(wt, 'src/app.ts'), 'export const answer = 44\n')
    })
    const file = async (path: string, oldPath: string | null, scope: 'base' | 'uncommitted') =>
      must(await core.review.file(t.id, { path, oldPath, scope, force: false }))
    expect(await file('src/app.ts', null, 'base')).toMatchObject({
      kind: 'text',
      original: 'export const answer = 42\n',
      modified: 'export const answer = 44\n'
    })
    expect(await file('src/app.ts', null, 'uncommitted')).toMatchObject({
      kind: 'text',
      original: 'export const answer = 43\n',
      modified: 'export const answer = 44\n'
    })
    expect(await file('notes.md', null, 'base')).toMatchObject({ kind: 'text', original: '', modified: 'new file\n' })
    expect(await file('READ.md', 'README.md', 'base')).toMatchObject({ kind: 'text', original: '# test repo\n', modified: '# test repo\n' })
    unlinkSync(join(t.worktreePath, 'notes.md'))
    expect(await file('notes.md', null, 'base')).toMatchObject({ kind: 'text', original: '', modified: '' })
    expect(await file('notes.md', null, 'uncommitted')).toMatchObject({ kind: 'text', original: 'new file\n', modified: '' })
    const escape = await core.review.file(t.id, { path: '../../etc/passwd', oldPath: null, scope: 'base', force: false })
    expect(escape.ok).toBe(false)
    await core.close()
  })

  it('answers binary, non-UTF-8 and UTF-16 files with a notice, never garbled text', async () => {
    const { core, t } = await threadWith((wt) => {
      writeFileSync(join(wt, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2, 3]))
      writeFileSync(join(wt, 'latin1.txt'), Buffer.from('caf\xe9 cr\xe8me\n', 'latin1'))
      writeFileSync(join(wt, 'utf16.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('hi\n', 'utf16le')]))
      symlinkSync('src/app.ts', join(wt, 'link'))
    })
    const file = async (path: string) => must(await core.review.file(t.id, { path, oldPath: null, scope: 'base', force: true }))
    expect(await file('logo.png')).toEqual({ kind: 'binary', originalBytes: 0, modifiedBytes: 11 })
    expect(await file('latin1.txt')).toEqual({ kind: 'not-utf8', side: 'modified', originalBytes: 0, modifiedBytes: 11 })
    expect(await file('utf16.txt')).toMatchObject({ kind: 'not-utf8', side: 'modified' })
    expect(await file('link')).toMatchObject({ kind: 'text', original: '', modified: 'src/app.ts' })
    await core.close()
  })

  it('guards big files (bytes, a long line, many changed lines) unless forced, and never ships past the hard cap', async () => {
    const { core, t } = await threadWith((wt) => {
      writeFileSync(
        join(wt, 'many.txt'),
        lines(DIFF_GUARD.maxChangedLines + 10, (i) => `line ${i}`)
      )
      writeFileSync(join(wt, 'long.txt'), `short\n${'x'.repeat(DIFF_GUARD.maxLineLength + 1)}\n`)
      writeFileSync(
        join(wt, 'big.txt'),
        lines(50_000, (i) => `${'y'.repeat(90)} ${i}`)
      )
      writeFileSync(
        join(wt, 'ok.txt'),
        lines(20_000, (i) => `row ${i}`)
      )
    })
    const file = async (path: string, force = false) => must(await core.review.file(t.id, { path, oldPath: null, scope: 'base', force }))
    const many = (await file('many.txt')) as Extract<FileDiff, { kind: 'too-large' }>
    expect(many).toMatchObject({ kind: 'too-large', reason: 'many-lines', canForce: true })
    expect(many.changedLines).toBe(DIFF_GUARD.maxChangedLines + 10)
    expect(await file('long.txt')).toMatchObject({ kind: 'too-large', reason: 'long-line', longestLine: DIFF_GUARD.maxLineLength + 1 })
    expect(await file('big.txt')).toMatchObject({ kind: 'too-large', reason: 'bytes', canForce: true })
    expect(await file('ok.txt')).toMatchObject({ kind: 'text' })
    const forced = await file('many.txt', true)
    expect(forced.kind === 'text' && forced.modified.split('\n').length).toBe(DIFF_GUARD.maxChangedLines + 11)
    writeFileSync(join(t.worktreePath, 'huge.bin.txt'), Buffer.alloc(DIFF_GUARD.hardCapBytes + 1, 'z'))
    expect(await file('huge.bin.txt', true)).toMatchObject({ kind: 'too-large', reason: 'hard-cap', canForce: false })
    await core.close()
  })

  it('estimates changed lines from the common head and tail', () => {
    expect(changedLineEstimate('a\nb\nc\n', 'a\nB\nc\n')).toBe(2)
    expect(changedLineEstimate('', 'a\nb\n')).toBe(2)
    expect(changedLineEstimate('same\n', 'same\n')).toBe(0)
  })
})

describe('reverting one hunk', () => {
  const span = (start: number, count: number) => ({ start, count })
  it('puts back a modified, an inserted and a deleted block, and refuses stale lines', () => {
    const base = 'a\nb\nc\nd\ne\n'
    expect(revertHunk('a\nB\nc\nd\ne\n', base, { original: span(2, 1), modified: span(2, 1) }, 'B')).toEqual({ kind: 'ok', text: base })
    expect(revertHunk('a\nb\nnew\nc\nd\ne\n', base, { original: span(3, 0), modified: span(3, 1) }, 'new')).toEqual({
      kind: 'ok',
      text: base
    })
    expect(revertHunk('a\nd\ne\n', base, { original: span(2, 2), modified: span(2, 0) }, '')).toEqual({ kind: 'ok', text: base })
    expect(revertHunk('a\nX\nc\nd\ne\n', base, { original: span(2, 1), modified: span(2, 1) }, 'B')).toMatchObject({ kind: 'stale' })
  })

  it('keeps CRLF line ends and follows the base on the final newline at the end of the file', () => {
    expect(revertHunk('a\r\nB\r\n', 'a\r\nb\r\n', { original: span(2, 1), modified: span(2, 1) }, 'B')).toEqual({
      kind: 'ok',
      text: 'a\r\nb\r\n'
    })
    expect(revertHunk('a\nb', 'a\nb\nc\n', { original: span(3, 1), modified: span(3, 0) }, '')).toEqual({ kind: 'ok', text: 'a\nb\nc\n' })
    expect(revertHunk('a\nb\nc\n', 'a\nb', { original: span(3, 0), modified: span(3, 1) }, 'c')).toEqual({ kind: 'ok', text: 'a\nb' })
    expect(revertHunk('x\n', '', { original: span(1, 0), modified: span(1, 1) }, 'x')).toEqual({ kind: 'ok', text: '' })
  })

  it('reverts one hunk of a real file and leaves the other, as git diff shows', async () => {
    const base = lines(40, (i) => `line ${i}`)
    const { core, t } = await threadWith((wt) => {
      writeFileSync(join(wt, 'f.txt'), base)
      git(wt, 'add', '-A')
      git(wt, 'commit', '-qm', 'base file')
    })
    const wt = t.worktreePath
    const edited = base.replace('line 3\n', 'line three\n').replace('line 30\n', 'line thirty\nextra\n')
    writeFileSync(join(wt, 'f.txt'), edited)
    must(
      await core.review.revertHunk(t.id, {
        path: 'f.txt',
        oldPath: null,
        scope: 'uncommitted',
        original: span(31, 1),
        modified: span(31, 2),
        expected: 'line thirty\nextra'
      })
    )
    expect(readFileSync(join(wt, 'f.txt'), 'utf8')).toBe(base.replace('line 3\n', 'line three\n'))
    const diff = execFileSync('git', ['diff', '--numstat'], { cwd: wt, encoding: 'utf8' })
    expect(diff.trim()).toBe('1\t1\tf.txt')
    const stale = await core.review.revertHunk(t.id, {
      path: 'f.txt',
      oldPath: null,
      scope: 'uncommitted',
      original: span(4, 1),
      modified: span(4, 1),
      expected: 'not there'
    })
    expect(stale.ok).toBe(false)
    expect(readFileSync(join(wt, 'f.txt'), 'utf8')).toBe(base.replace('line 3\n', 'line three\n'))
    await core.close()
  })
})
