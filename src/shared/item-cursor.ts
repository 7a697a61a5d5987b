/**
 * `item/list` cursors are item positions written in decimal: a client that knows where its window starts or ends
 * (after trimming it, say) may make the cursor for that place itself.
 */
export const itemCursor = (position: number): string => String(position)

/** The position an `item/list` cursor names, or null when the text is not one. */
export function cursorPosition(cursor: string): number | null {
  return /^\d{1,15}$/.test(cursor) ? Number(cursor) : null
}
