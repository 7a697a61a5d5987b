import type { Thread } from '../../../shared/models'
import type { SessionSource } from './handoff-store'

/** How a CLI is named to a person. */
export const sourceLabel = (source: SessionSource): string => (source === 'claude' ? 'Claude Code' : 'Codex')

/** The start of a session id, enough to tell sessions apart at a glance. */
export const shortSessionId = (id: string): string => id.slice(0, 8)

/** "Imported from Claude Code · 5f0c2a1e". */
export const importedLabel = (imported: NonNullable<Thread['imported']>): string =>
  `Imported from ${sourceLabel(imported.source)} · ${shortSessionId(imported.sessionId)}`

/**
 * The command that continues a thread from a terminal: the CLI's own resume command for an
 * imported session, otherwise `skein attach <id>` (the thread's live session in this terminal).
 */
export const continueCommandFor = (thread: Thread): string => thread.imported?.resumeCommand ?? `skein attach ${thread.id}`

/** A file size for a list: "812 B", "14 KB", "3.2 MB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const kb = bytes / 1024
  if (kb < 1024) return `${kb < 10 ? kb.toFixed(1) : Math.round(kb)} KB`
  const mb = kb / 1024
  return `${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB`
}
