import { describe, expect, it } from 'vitest'
import { DERIVED_TITLE_MAX, titleFromPrompt } from '../src/shared/thread-title'

describe('titleFromPrompt', () => {
  it('takes the first line, collapsing whitespace', () => {
    expect(titleFromPrompt('  Fix the   flaky login test\nIt fails on CI about once a day.')).toBe('Fix the flaky login test')
  })

  it('skips blank lines and list or heading markers', () => {
    expect(titleFromPrompt('\n\n  # Add rate limiting\n')).toBe('Add rate limiting')
    expect(titleFromPrompt('- rename the config loader')).toBe('rename the config loader')
    expect(titleFromPrompt('1. bump the node version')).toBe('bump the node version')
  })

  it('stops at the end of the first sentence; a question keeps its mark, a full stop goes', () => {
    expect(titleFromPrompt('Fix the login bug. It fails when the cookie expired.')).toBe('Fix the login bug')
    expect(titleFromPrompt('Why does checkout fail for guest users? Look at cart.ts.')).toBe('Why does checkout fail for guest users?')
    expect(titleFromPrompt('Update the README.')).toBe('Update the README')
    // A dot inside a word or a path is not the end of a sentence.
    expect(titleFromPrompt('Bump vite.config.ts to v5')).toBe('Bump vite.config.ts to v5')
  })

  it('cuts a long line at a word, with an ellipsis, within the limit', () => {
    const title = titleFromPrompt('Refactor the payment service so that every provider goes through one retry policy with backoff')
    expect(title.length).toBeLessThanOrEqual(DERIVED_TITLE_MAX)
    expect(title).toBe('Refactor the payment service so that every provider goes…')
  })

  it('cuts a long word where it must', () => {
    const title = titleFromPrompt('x'.repeat(200))
    expect(title).toBe(`${'x'.repeat(DERIVED_TITLE_MAX - 1)}…`)
  })

  it('gives an empty title for an empty prompt', () => {
    expect(titleFromPrompt('')).toBe('')
    expect(titleFromPrompt('  \n \t\n')).toBe('')
  })
})
