// The small typed channel between Electron's main process and the core's utility process.
// Page connections never travel here: each one is its own MessagePort, straight from page to core.

/** What the core process may ask of main, which alone holds safeStorage and native dialogs. */
export type HostCall = { method: 'encrypt'; text: string } | { method: 'decrypt'; data: string } | { method: 'pickFolder'; title?: string }

/** Main → core process. A `connect` message carries one MessagePort for one page. */
export type ToCore =
  | { type: 'init'; secrets: 'safeStorage' | 'plaintext' | null; pickFolder: boolean }
  | { type: 'connect' }
  | { type: 'host-reply'; id: number; ok: true; value: string | null }
  | { type: 'host-reply'; id: number; ok: false; message: string }
  | { type: 'shutdown' }

/** Core process → main. */
export type FromCore =
  | { type: 'ready'; pid: number }
  | { type: 'failed'; message: string }
  | { type: 'host-call'; id: number; call: HostCall }
  | { type: 'focus' }
  | { type: 'closed' }

const TO_CORE = new Set(['init', 'connect', 'host-reply', 'shutdown'])
const FROM_CORE = new Set(['ready', 'failed', 'host-call', 'focus', 'closed'])

const typed = (value: unknown): string | null =>
  typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string'
    ? (value as { type: string }).type
    : null

/** Narrows a message received by the core process; anything else is dropped. */
export function isToCore(value: unknown): value is ToCore {
  const type = typed(value)
  return type !== null && TO_CORE.has(type)
}

/** Narrows a message received by main from the core process; anything else is dropped. */
export function isFromCore(value: unknown): value is FromCore {
  const type = typed(value)
  return type !== null && FROM_CORE.has(type)
}
