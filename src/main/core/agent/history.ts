import type Anthropic from '@anthropic-ai/sdk'
import type { Item } from '../../../shared/models'

type Message = Anthropic.MessageParam
type Block = Anthropic.ContentBlockParam

/**
 * Rebuilds the Messages API conversation from a transcript: user text, each step's assistant
 * text and tool_use blocks, then a user message with their tool_result blocks. Rewound turns are left out.
 */
export function buildMessages(all: readonly Item[]): Message[] {
  // Rewound turns stay in the log for people, but the model no longer sees them.
  const items = all.filter((i) => !i.rewound)
  const messages: Message[] = []
  const push = (role: 'user' | 'assistant', blocks: Block[]) => {
    if (blocks.length === 0) return
    const last = messages[messages.length - 1]
    if (last && last.role === role) (last.content as Block[]).push(...blocks)
    else messages.push({ role, content: blocks })
  }
  let i = 0
  while (i < items.length) {
    const item = items[i]!
    if (item.kind === 'user' && item.text) {
      push('user', [{ type: 'text', text: item.modelText ?? item.text }])
      i++
      continue
    }
    if ((item.kind === 'assistant' || item.kind === 'tool') && item.stepId) {
      const step = item.stepId
      const assistant: Block[] = []
      const results: Block[] = []
      while (i < items.length && items[i]!.stepId === step && (items[i]!.kind === 'assistant' || items[i]!.kind === 'tool')) {
        const it = items[i]!
        // Text of an attempt that failed and was retried is shown, but the model never said it.
        if (it.kind === 'assistant' && it.text && it.status !== 'failed') assistant.push({ type: 'text', text: it.text })
        if (it.kind === 'tool' && it.tool && it.imported) {
          // Another CLI's tools (Bash, Read…) are not Skein's: the model sees what they did as text.
          assistant.push({
            type: 'text',
            text: `[Earlier, in the imported session: ${it.tool.name} ${JSON.stringify(it.tool.input).slice(0, 2000)}]`
          })
          results.push({
            type: 'text',
            text: `[${it.tool.name} ${it.tool.isError ? 'failed' : 'returned'}]\n${(it.tool.output ?? '').slice(0, 8000)}`
          })
        } else if (it.kind === 'tool' && it.tool) {
          assistant.push({ type: 'tool_use', id: it.tool.useId, name: it.tool.name, input: it.tool.input })
          const output =
            it.tool.output ??
            (it.status === 'interrupted'
              ? 'The user interrupted this tool call before it finished.'
              : 'No result (the call did not finish).')
          results.push({
            type: 'tool_result',
            tool_use_id: it.tool.useId,
            content: output,
            is_error: it.tool.isError ?? it.status !== 'completed'
          })
        }
        i++
      }
      push('assistant', assistant)
      push('user', results)
      continue
    }
    i++
  }
  // The API needs the conversation to start with the user.
  while (messages.length && messages[0]!.role !== 'user') messages.shift()
  return messages
}
