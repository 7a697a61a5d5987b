import type { ReactElement } from 'react'
import type { Item } from '../../../shared/models'
import { useDialogs } from '../../state/dialogs-store'
import { Icon } from '../../ui/Icon'
import type { RewoundGroup, TurnPlace } from './transcript-rows'
import { useItemUi } from './conversation-store'

/** The hover actions of a user message: rewind to before it, or fork from the checkpoint taken before it. */
function MessageActions({ item }: { item: Item }): ReactElement {
  const open = useDialogs((s) => s.open)
  return (
    <div className="turn-actions message-actions" role="group" aria-label="Message actions">
      <button
        type="button"
        className="icon-btn"
        aria-label="Rewind to before this message…"
        title="Rewind to before this message…"
        onClick={() => open({ kind: 'rewind', threadId: item.threadId, point: { beforeTurn: item.turnId } })}
      >
        <Icon name="restore" size={13} />
      </button>
      <button
        type="button"
        className="icon-btn"
        aria-label="Fork from before this message…"
        title="Fork from here: new threads from the state before this message…"
        onClick={() => open({ kind: 'fork', threadId: item.threadId, point: { beforeTurn: item.turnId } })}
      >
        <Icon name="fork" size={13} />
      </button>
    </div>
  )
}

/** The actions under the last row of an ended turn: fork from its end, or rewind to it when a later turn follows. */
function TurnEndActions({ item, next }: { item: Item; next: string | null }): ReactElement {
  const open = useDialogs((s) => s.open)
  return (
    <div className="turn-actions turn-end-actions" role="group" aria-label="Turn actions">
      <button
        type="button"
        className="btn-link turn-action"
        onClick={() => open({ kind: 'fork', threadId: item.threadId, point: { afterTurn: item.turnId } })}
      >
        <Icon name="fork" size={11} />
        Fork from here…
      </button>
      {next && (
        <button
          type="button"
          className="btn-link turn-action"
          onClick={() => open({ kind: 'rewind', threadId: item.threadId, point: { afterTurn: item.turnId, nextTurn: next } })}
        >
          <Icon name="restore" size={11} />
          Rewind to here…
        </button>
      )}
    </div>
  )
}

/** The row's actions for its place in the turn, if any. */
export function TurnActions({ item, place }: { item: Item; place: TurnPlace }): ReactElement | null {
  if (!place) return null
  return place.at === 'message' ? <MessageActions item={item} /> : <TurnEndActions item={item} next={place.next} />
}

/** The fold of rewound turns: how many, that they stay in the log, and Show / Hide. */
export function RewoundFold({ group }: { group: RewoundGroup }): ReactElement {
  const toggle = useItemUi((s) => s.toggle)
  const what = `${group.turns} rewound ${group.turns === 1 ? 'turn' : 'turns'}`
  return (
    <button
      type="button"
      className="rewound-fold"
      aria-expanded={group.open}
      title="Kept in the log, no longer in the agent's context"
      onClick={() => toggle(group.id)}
    >
      <Icon name="chevron" size={11} className={`chevron${group.open ? ' chevron-open' : ''}`} />
      <Icon name="restore" size={12} />
      <span className="rewound-fold-text">{what}</span>
      <span className="rewound-fold-hint">kept in the log, no longer in the agent&apos;s context</span>
      <span className="rewound-fold-action">{group.open ? 'Hide' : 'Show'}</span>
    </button>
  )
}
