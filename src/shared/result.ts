import type { AppError } from './errors'

/** A tagged outcome: expected failures travel as values, never as exceptions. */
export type Result<T, E = AppError> = { ok: true; value: T } | { ok: false; error: E }

/** Wraps a success value. */
export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value })

/** Wraps an expected failure. */
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error })
