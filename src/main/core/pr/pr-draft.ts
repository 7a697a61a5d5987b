import type { Item, Thread } from '../../../shared/models'
import { titleFromPrompt } from '../../../shared/thread-title'
import type { BranchCommit } from '../git/branch-commits'

/** The longest part of the prompt or summary put in a drafted body; the person can edit the rest in. */
const PART_MAX = 6000
/** The most commits listed in a drafted body. */
const COMMITS_MAX = 50

const cap = (text: string, max = PART_MAX): string => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text)

/** The thread's first prompt: its first user message that was not rewound. */
export function firstPrompt(items: readonly Item[]): string | null {
  const first = items.find((i) => i.kind === 'user' && !i.rewound && i.text?.trim())
  return first?.text?.trim() ?? null
}

/** What the built-in agent said last: its last finished reply with text. */
export function lastSummary(items: readonly Item[]): string | null {
  for (let i = items.length - 1; i >= 0; i--) {
    const it = items[i]!
    if (it.kind === 'assistant' && !it.rewound && it.status === 'completed' && it.text?.trim()) return it.text.trim()
  }
  return null
}

/** A title: the thread's, else the first prompt's first sentence, else the newest commit's subject, else the branch. */
export function draftTitle(thread: Pick<Thread, 'title' | 'branch'>, prompt: string | null, commits: readonly BranchCommit[]): string {
  return thread.title.trim() || (prompt ? titleFromPrompt(prompt) : '') || commits[0]?.subject || thread.branch || 'Changes'
}

/**
 * A body in Markdown: the task (the first prompt, quoted), the agent's last summary, and the branch's
 * commits, oldest first, each part only when there is something to say.
 */
export function draftBody(o: {
  thread: Pick<Thread, 'title'>
  prompt: string | null
  summary: string | null
  commits: readonly BranchCommit[]
  moreCommits: number
}): string {
  const parts: string[] = []
  if (o.prompt)
    parts.push(
      `## Task\n\n${cap(o.prompt)
        .split('\n')
        .map((l) => (l ? `> ${l}` : '>'))
        .join('\n')}`
    )
  if (o.summary) parts.push(`## Summary\n\n${cap(o.summary)}`)
  if (o.commits.length) {
    const listed = [...o.commits].reverse().slice(-COMMITS_MAX)
    const left = o.commits.length - listed.length + o.moreCommits
    const lines = listed.map((c) => `- ${c.short} ${c.subject}`)
    if (left > 0) lines.unshift(`- …and ${left} earlier commit${left === 1 ? '' : 's'}`)
    parts.push(`## Commits\n\n${lines.join('\n')}`)
  }
  parts.push(`<sub>Opened from the Skein thread “${o.thread.title.replace(/[<>]/g, '')}”.</sub>`)
  return parts.join('\n\n')
}
