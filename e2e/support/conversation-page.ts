import { expect, type Locator, type Page } from '@playwright/test'

/** A tool_result block the model receives back. */
export interface ToolResult {
  tool_use_id: string
  is_error?: boolean
  content: unknown
}

type Block = { type: string; text?: string; tool_use_id?: string; is_error?: boolean; content?: unknown }
type Message = { role: string; content: string | Block[] }

/** The last message the core sent to the model. */
export function lastMessage(body: { messages?: Message[] }): Message | undefined {
  return body.messages?.[body.messages.length - 1]
}

/** The tool results in the last user message(s) since the model last spoke (the core answering tool calls, maybe with a steer). */
export function toolResults(body: { messages?: Message[] }): ToolResult[] {
  const out: ToolResult[] = []
  for (let i = (body.messages?.length ?? 0) - 1; i >= 0; i--) {
    const m = body.messages![i]
    if (m.role !== 'user') break
    if (typeof m.content === 'string') continue
    for (const b of m.content)
      if (b.type === 'tool_result') out.push({ tool_use_id: b.tool_use_id ?? '', is_error: b.is_error, content: b.content })
  }
  return out
}

/** The text of a tool result, whatever shape its content has. */
export function resultText(r: ToolResult): string {
  if (typeof r.content === 'string') return r.content
  if (Array.isArray(r.content)) return r.content.map((b: Block) => b.text ?? '').join('')
  return ''
}

/** All text of the last message (what the person wrote, plus anything the core added). */
export function lastText(body: { messages?: Message[] }): string {
  const last = lastMessage(body)
  if (!last) return ''
  if (typeof last.content === 'string') return last.content
  return last.content.map((b) => b.text ?? '').join('\n')
}

/** The open thread's Conversation tab. */
export async function openConversationTab(page: Page): Promise<void> {
  const tab = page.getByRole('tablist', { name: 'Thread views' }).getByRole('tab', { name: 'Conversation' })
  await tab.click()
  await expect(tab).toHaveAttribute('aria-selected', 'true')
}

/** The transcript (a log) of the open conversation. */
export const transcript = (page: Page): Locator => page.getByRole('log', { name: /^Conversation in / })

/** The composer's message box. */
export const composer = (page: Page): Locator => page.getByRole('textbox', { name: 'Message to the agent' })

/** Types a message into the composer and sends it with Enter. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  await composer(page).click()
  await composer(page).fill(text)
  await composer(page).press('Enter')
  await expect(composer(page)).toHaveValue('')
}

/** The pending approval card (there is at most one at a time). */
export const approvalCard = (page: Page): Locator => page.getByRole('group', { name: /^Approval needed: / })

/** The transcript rows of one kind, in order. */
export const rows = (page: Page, kind: 'user' | 'assistant' | 'tool' | 'approval' | 'notice' | 'error'): Locator =>
  transcript(page).locator(`.transcript-row[data-kind="${kind}"]`)
