import { createTwoFilesPatch } from 'diff'

/**
 * A unified diff of two texts (3 lines of context, Myers' algorithm, no size cliff), for approval
 * cards and the transcript; empty when they are equal. Marks a missing final newline as git does.
 */
export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return ''
  const patch = createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, undefined, undefined, { context: 3 })
  // The library's patch starts with an "Index:"-style separator line; git's starts at the file headers.
  return patch.slice(patch.indexOf('--- '))
}
