import type { ReviewComment } from '../../../shared/review'

/**
 * Re-finds a comment's lines in the file's current text: unchanged in place, moved (the nearest
 * place the same lines appear), or outdated when they are gone. Never drops the comment.
 */
export function reanchor(comment: ReviewComment, text: string | null): ReviewComment {
  if (comment.status === 'outdated') return comment
  if (text === null) return { ...comment, status: 'outdated' }
  const lines = text.split('\n')
  const wanted = comment.code.split('\n')
  const matchesAt = (start: number) => wanted.every((l, i) => lines[start + i] === l)
  const original = comment.startLine - 1
  if (matchesAt(original)) return comment
  let best = -1
  for (let i = 0; i + wanted.length <= lines.length; i++) {
    if (matchesAt(i) && (best < 0 || Math.abs(i - original) < Math.abs(best - original))) best = i
  }
  if (best < 0) return { ...comment, status: 'outdated' }
  return { ...comment, startLine: best + 1, endLine: best + wanted.length }
}

const fence = (code: string) => (code.includes('```') ? '~~~' : '```')

/** The one message a review becomes: every comment with its file, line range and the code it is about. */
export function formatReview(comments: readonly ReviewComment[]): string {
  const n = comments.length
  const parts = [`Review of your changes — ${n} comment${n === 1 ? '' : 's'}. Please address each one.`]
  comments.forEach((c, i) => {
    const range = c.startLine === c.endLine ? `${c.startLine}` : `${c.startLine}-${c.endLine}`
    const f = fence(c.code)
    parts.push(`${i + 1}. ${c.path}:${range}\n${f}\n${c.code}\n${f}\n${c.body.trim()}`)
  })
  return parts.join('\n\n')
}
