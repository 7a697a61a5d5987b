import type { ReactElement } from 'react'
import type { Thread } from '../../../shared/models'
import { isMac } from '../../ui/keyboard'
import { conversationRan } from '../../../shared/thread-state'
import { ChangesBadge, LazyChangesTab } from '../changes'
import { CiTabBadge } from '../ci'
import { CiWithRequest } from './CiWithRequest'
import { TimelineTab } from '../checkpoints'
import { ConversationTab } from '../conversation'
import { LazyTerminalPanel } from '../terminal'
import { OverviewTab } from './OverviewTab'
import type { ThreadTabId } from '../../state/thread-view-store'

export type { ThreadTabId }

/** One tab of the thread view. */
export interface ThreadTab {
  id: ThreadTabId
  label: string
  /** The keys that open it, as aria-keyshortcuts spells them (shown in the tooltip too). */
  keys?: string
  /** The panel body, given the thread it shows. */
  Panel: (props: { thread: Thread }) => ReactElement
  /** Whether the tab applies to this thread (e.g. CI only for pushed branches); defaults to always. */
  available?: (thread: Thread) => boolean
  /** A small count beside the label (e.g. changed files), if the tab has one. */
  Badge?: (props: { thread: Thread }) => ReactElement | null
}

/** The tabs, in the order they appear. */
export const threadTabs: readonly ThreadTab[] = [
  { id: 'conversation', label: 'Conversation', Panel: ConversationTab },
  { id: 'overview', label: 'Overview', Panel: OverviewTab },
  { id: 'terminal', label: 'Terminal', keys: isMac ? 'Meta+`' : 'Control+`', Panel: LazyTerminalPanel },
  { id: 'changes', label: 'Changes', keys: isMac ? 'Meta+Shift+D' : 'Control+Shift+D', Panel: LazyChangesTab, Badge: ChangesBadge },
  { id: 'timeline', label: 'Timeline', Panel: TimelineTab },
  { id: 'ci', label: 'CI', Panel: CiWithRequest, Badge: CiTabBadge }
]

/**
 * The tabs that apply to a thread, its agent's first: the Conversation for the built-in agent,
 * the Terminal for a CLI agent or a shell. A thread whose agent is Claude Code, Codex or a custom
 * CLI shows no Conversation unless the built-in agent has worked in it too (or it holds an imported session).
 */
export function tabsFor(thread: Thread): ThreadTab[] {
  const tabs = threadTabs.filter((t) => t.available?.(thread) ?? true)
  if (!thread.agent) return tabs
  const cliAgent = thread.agent.profileId !== 'shell'
  // An imported session's transcript lives in the Conversation too.
  const conversation = !cliAgent || !!thread.imported || thread.conversation.busy || conversationRan(thread.conversation)
  const main = tabs.filter((t) => t.id === 'terminal')
  return [...main, ...tabs.filter((t) => t.id !== 'terminal' && (t.id !== 'conversation' || conversation))]
}
