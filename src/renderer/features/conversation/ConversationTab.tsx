import { useEffect, type ReactElement } from 'react'
import type { Thread } from '../../../shared/models'
import { useDialogs } from '../../state/dialogs-store'
import { Icon } from '../../ui/Icon'
import { ImportedBanner } from '../handoff'
import { isArchived } from '../../state/threads-store'
import { loadSettings, useMissingApiKey, useSettings } from '../settings'
import { Composer } from './Composer'
import { ConversationHeader } from './ConversationHeader'
import { useConversation, useItemUi } from './conversation-store'
import { loadTranscript, revealInWindow } from './conversation-sync'
import { Transcript } from './Transcript'

/** Shown instead of the composer until an API key is set. */
function MissingKey(): ReactElement {
  const open = useDialogs((s) => s.open)
  return (
    <div className="missing-key" role="note">
      <Icon name="info" size={16} />
      <div className="missing-key-text">
        <strong>Add your Anthropic API key to use the built-in agent</strong>
        <span>Or start Skein with ANTHROPIC_API_KEY set. The key stays on this machine.</span>
      </div>
      <button type="button" className="btn btn-primary" onClick={() => open({ kind: 'settings' })}>
        <Icon name="settings" />
        Open Settings
      </button>
    </div>
  )
}

/** Before the first message. */
function EmptyConversation(): ReactElement {
  return (
    <div className="empty-state conversation-empty">
      <Icon name="terminal" size={26} />
      <h2>Talk to the built-in agent</h2>
      <p>
        It reads, edits and runs commands in this thread&apos;s working copy. Pick how much it may do on its own with the permission mode
        above.
      </p>
    </div>
  )
}

/** The Conversation tab: the built-in agent's controls, transcript, and message box. */
export function ConversationTab({ thread }: { thread: Thread }): ReactElement {
  const transcript = useConversation((s) => s.byThread[thread.id])
  const settingsKnown = useSettings((s) => s.settings !== null)
  const missingKey = useMissingApiKey()
  const archived = isArchived(thread)

  useEffect(() => {
    void loadTranscript(thread.id)
  }, [thread.id])
  // A search result opened in this thread while it was open: fetch the window around its item if it is elsewhere.
  const revealTick = useItemUi((s) => s.reveal[thread.id]?.tick)
  useEffect(() => {
    if (revealTick !== undefined) void revealInWindow(thread.id)
  }, [thread.id, revealTick])
  useEffect(() => {
    if (!settingsKnown) void loadSettings()
  }, [settingsKnown])

  const items = transcript?.items ?? []
  return (
    <div className="conversation">
      <ConversationHeader thread={thread} />
      {thread.imported && <ImportedBanner thread={thread} />}
      {!transcript || !transcript.loaded ? (
        <div className="empty-state" aria-busy="true">
          <div className="spinner" aria-hidden="true" />
        </div>
      ) : transcript.error ? (
        <div className="empty-state">
          <div className="banner banner-error" role="alert">
            <Icon name="alert" size={15} />
            <span>{transcript.error}</span>
          </div>
          <button type="button" className="btn" onClick={() => void loadTranscript(thread.id)}>
            Try again
          </button>
        </div>
      ) : items.length === 0 ? (
        <EmptyConversation />
      ) : (
        <Transcript
          threadId={thread.id}
          transcript={transcript}
          busy={thread.conversation.busy}
          label={`Conversation in ${thread.title}`}
        />
      )}
      {missingKey ? (
        <MissingKey />
      ) : (
        <Composer
          thread={thread}
          disabledReason={archived ? 'Restore the thread to talk to the agent' : undefined}
          idlePlaceholder={thread.imported ? "Continue with Skein's built-in agent: it reads the imported transcript first…" : undefined}
        />
      )}
    </div>
  )
}
