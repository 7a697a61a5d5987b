import { memo, type ReactElement } from 'react'
import type { Item } from '../../../shared/models'
import { Icon } from '../../ui/Icon'
import { DiffView } from './DiffView'
import { useItemUi } from './conversation-store'
import { MAX_SHOWN } from './item-output'
import { TruncatedNote } from './TruncatedNote'
import { failureWord, previewsOutput, summarizeTool } from '../../lib/tool-summary'

const PREVIEW_LINES = 4
/** Output shown unfolded at most: what was read of a truncated output (plus its short "earlier characters" line) fits. */
const MAX_OUTPUT_CHARS = MAX_SHOWN + 200

/** Splits output into lines without its trailing newline. */
const outputLines = (output: string): string[] => output.replace(/\n$/, '').split('\n')

/** A tool call as a compact row ("Ran `npm test` · exit 1"); click to unfold its input and output. */
export const ToolRow = memo(function ToolRow({ item, awaiting = false }: { item: Item; awaiting?: boolean }): ReactElement | null {
  const expanded = useItemUi((s) => !!s.expanded[item.id])
  const toggle = useItemUi((s) => s.toggle)
  const tool = item.tool
  if (!tool) return null
  const running = item.status === 'running' || item.status === 'pending'
  const failed = !!tool.isError || item.status === 'failed' || (typeof tool.exitCode === 'number' && tool.exitCode !== 0)
  // Imperative ("Edit x") for calls that did not (yet) happen: awaiting approval, refused, denied.
  // An imported CLI's failed call did run (its command failed), so it keeps the past tense.
  const s = summarizeTool(
    tool,
    awaiting ? 'failed' : running ? 'running' : failed && typeof tool.exitCode !== 'number' && !item.imported ? 'failed' : 'done'
  )
  const output = tool.output ?? ''
  const lines = output ? outputLines(output) : []
  // An output sent cut short has no known last lines to preview: unfolding offers to read it.
  const cutShort = !!item.truncated?.some((t) => t.field === 'tool.output')
  const showPreview = !expanded && !cutShort && lines.length > 0 && (previewsOutput(tool) || running)
  const outcome = awaiting
    ? 'waiting for approval'
    : item.status === 'interrupted'
      ? 'stopped'
      : typeof tool.exitCode === 'number'
        ? `exit ${tool.exitCode}`
        : failed
          ? failureWord(tool)
          : null
  const detailId = `tool-detail-${item.id}`

  return (
    <div className={`tool-row${failed ? ' is-error' : ''}${running ? ' is-running' : ''}`} data-tool={tool.name} data-status={item.status}>
      <button
        type="button"
        className="tool-head"
        aria-expanded={expanded}
        aria-controls={expanded ? detailId : undefined}
        onClick={() => toggle(item.id)}
      >
        <Icon name={failed ? 'alert' : s.icon} size={13} className="tool-icon" />
        <span className="tool-verb">{s.verb}</span>
        {s.target && (s.code ? <code className="tool-target">{s.target}</code> : <span className="tool-target">{s.target}</span>)}
        {outcome && <span className={`tool-outcome${failed ? ' is-error' : ''}${awaiting ? ' is-waiting' : ''}`}>· {outcome}</span>}
        {running && !awaiting && <span className="spinner spinner-small" aria-label="Running" />}
        <span className="spacer" />
        <Icon name="chevron" size={11} className={`chevron${expanded ? ' chevron-open' : ''}`} />
      </button>
      {showPreview && (
        // The end of a command's output is where its result is (the first lines are often a spinner or a banner).
        <pre className="tool-output tool-preview">
          {lines.length > PREVIEW_LINES && (
            <span className="tool-more">
              … {lines.length - PREVIEW_LINES} earlier {lines.length - PREVIEW_LINES === 1 ? 'line' : 'lines'}
              {'\n'}
            </span>
          )}
          {lines.slice(-PREVIEW_LINES).join('\n')}
        </pre>
      )}
      {expanded && (
        <div className="tool-detail" id={detailId}>
          {tool.diff ? <DiffView diff={tool.diff} label={`Changes to ${s.target || 'the file'}`} /> : <ToolInput input={tool.input} />}
          <TruncatedNote item={item} field="tool.diff" />
          {output ? (
            <pre className="tool-output" aria-label="Output">
              {output.length > MAX_OUTPUT_CHARS
                ? `${output.slice(0, MAX_OUTPUT_CHARS)}\n… (${output.length - MAX_OUTPUT_CHARS} more characters)`
                : output}
            </pre>
          ) : (
            !running && <p className="tool-empty">No output</p>
          )}
          <TruncatedNote item={item} field="tool.output" />
        </div>
      )}
    </div>
  )
})

/** The tool's arguments, as key: value lines (long values folded). */
function ToolInput({ input }: { input: Record<string, unknown> }): ReactElement | null {
  const entries = Object.entries(input ?? {})
  if (entries.length === 0) return null
  return (
    <dl className="tool-input">
      {entries.map(([k, v]) => {
        const text = typeof v === 'string' ? v : JSON.stringify(v, null, 2)
        return (
          <div key={k} className="tool-input-row">
            <dt>{k}</dt>
            <dd>
              <pre>{text.length > 4000 ? `${text.slice(0, 4000)}…` : text}</pre>
            </dd>
          </div>
        )
      })}
    </dl>
  )
}
