import { describe, expect, it } from 'vitest'
import { emptySideOf, hunkSpans, oneSidedChanges, oneSidedText } from '../src/renderer/features/changes/hunks'
import { revertHunk } from '../src/main/core/review/hunk-revert'

describe('a diff with one empty side (an added or deleted file)', () => {
  it('knows which side is empty', () => {
    expect(emptySideOf('', 'a\n')).toBe('original')
    expect(emptySideOf('a\n', '')).toBe('modified')
    expect(emptySideOf('', '')).toBeNull()
    expect(emptySideOf('a', 'b')).toBeNull()
  })

  it('drops the final newline only beside an empty side', () => {
    expect(oneSidedText('a\nb\n', 'original')).toBe('a\nb')
    expect(oneSidedText('a\r\nb\r\n', 'modified')).toBe('a\r\nb')
    expect(oneSidedText('a\nb\n', null)).toBe('a\nb\n')
  })

  it("turns Monaco's phantom line 1 into a plain insertion that reverts to an empty file", () => {
    // What Monaco reports for '' → 'a\nb': original line 1 (the empty line) changed into lines 1–2.
    const [change] = oneSidedChanges(
      [{ originalStartLineNumber: 1, originalEndLineNumber: 1, modifiedStartLineNumber: 1, modifiedEndLineNumber: 2 }],
      'original'
    )
    const spans = hunkSpans(change)
    expect(spans).toEqual({ original: { start: 1, count: 0 }, modified: { start: 1, count: 2 } })
    expect(revertHunk('a\nb\n', '', spans, 'a\nb')).toEqual({ kind: 'ok', text: '' })
  })

  it('leaves a diff with two sides alone', () => {
    const c = { originalStartLineNumber: 3, originalEndLineNumber: 4, modifiedStartLineNumber: 3, modifiedEndLineNumber: 0 }
    expect(oneSidedChanges([c], null)).toEqual([c])
  })
})
