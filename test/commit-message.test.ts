import { describe, expect, it } from 'vitest'
import type { ChangedFile } from '../src/shared/review'
import { suggestCommitMessage } from '../src/renderer/features/changes/commit-message'

const file = (path: string, status: ChangedFile['status'] = 'modified', oldPath: string | null = null): ChangedFile => ({
  path,
  oldPath,
  status,
  binary: false,
  additions: 1,
  deletions: 1,
  version: 'v'
})

describe('suggestCommitMessage', () => {
  it('takes the subject from the title and lists a few files in the body', () => {
    expect(
      suggestCommitMessage('fix the login redirect.', [
        file('src/login.ts'),
        file('src/new.ts', 'added'),
        file('old.txt', 'deleted'),
        file('b.md', 'renamed', 'a.md')
      ])
    ).toBe('Fix the login redirect\n\n- Update src/login.ts\n- Add src/new.ts\n- Delete old.txt\n- Rename a.md to b.md')
  })

  it('sums up many files by kind', () => {
    const files = [...Array.from({ length: 9 }, (_, i) => file(`f${i}.ts`)), file('x.ts', 'added')]
    expect(suggestCommitMessage('Tune settings', files)).toBe('Tune settings\n\n10 files: 1 added, 9 modified.')
  })

  it('cuts a long title at a word, within 72 characters, and uses only its first line', () => {
    const title = 'Make the dashboard show the last line each agent said and a live tail of its terminal for every card\nmore'
    const subject = suggestCommitMessage(title, []).split('\n')[0]
    expect(subject.length).toBeLessThanOrEqual(72)
    expect(subject).toBe('Make the dashboard show the last line each agent said and a live tail of')
  })

  it('falls back to the files when the title is empty', () => {
    expect(suggestCommitMessage('  ', [file('src/deep/app.ts')])).toBe('Update app.ts\n\n- Update src/deep/app.ts')
    expect(suggestCommitMessage('', [file('a.ts', 'added'), file('b.ts', 'added')])).toBe('Add 2 files\n\n- Add a.ts\n- Add b.ts')
    expect(suggestCommitMessage('', [])).toBe('')
  })
})
