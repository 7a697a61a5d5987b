import { ErrorCode } from '../../../shared/errors'

/** The largest JSON-RPC message (one line, one WebSocket frame, one port message) the core reads. */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024

/** The most requests one JSON-RPC batch may hold; a larger batch gets one error response. */
export const MAX_BATCH_REQUESTS = 100

/** Replies queued for a client that does not read them; past this the connection is dropped. */
export const MAX_OUTBOUND_BYTES = 64 * 1024 * 1024

/** How long a connection closed for bad input may take to say goodbye before it is cut. */
export const CLOSE_GRACE_MS = 2000

/** A size in MiB, for messages. */
export const mib = (bytes: number): string => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`

/** The reply a client gets when its message is larger than the core reads. */
export const tooLargeReply = (size: string, limitBytes = MAX_MESSAGE_BYTES): string =>
  JSON.stringify({
    jsonrpc: '2.0',
    id: null,
    error: {
      code: ErrorCode.InvalidRequest,
      message: `Invalid request: the message is ${size}, over the ${mib(limitBytes)} limit. The connection is closed.`
    }
  })
