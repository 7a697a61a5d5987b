import { create } from 'zustand'

const TICK_MS = 30_000

/** A clock that ticks every 30 s so relative times ("5m") stay current without asking the core. */
export const useClock = create<{ now: number }>()(() => ({ now: Date.now() }))

setInterval(() => useClock.setState({ now: Date.now() }), TICK_MS)

/** The current time, re-rendering the caller on each clock tick. */
export const useNow = (): number => useClock((s) => s.now)

/** A compact age: "now", "5m", "3h", "2d", "3w", "4mo", "2y". */
export function formatRelative(timestamp: number, now: number): string {
  const seconds = Math.max(0, Math.floor((now - timestamp) / 1000))
  if (seconds < 60) return 'now'
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes}m`
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return `${hours}h`
  const days = Math.floor(hours / 24)
  if (days < 14) return `${days}d`
  if (days < 60) return `${Math.floor(days / 7)}w`
  if (days < 365) return `${Math.floor(days / 30)}mo`
  return `${Math.floor(days / 365)}y`
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

/** A full local date and time, for tooltips and detail views. */
export const formatDateTime = (timestamp: number): string => dateTime.format(timestamp)

/** A longer age for prose: "just now", "5 minutes ago". */
export function formatAgo(timestamp: number, now: number): string {
  const short = formatRelative(timestamp, now)
  if (short === 'now') return 'just now'
  const match = /^(\d+)(mo|m|h|d|w|y)$/.exec(short)
  if (!match) return short
  const n = Number(match[1])
  const unit = { m: 'minute', h: 'hour', d: 'day', w: 'week', mo: 'month', y: 'year' }[match[2] as 'm']
  return `${n} ${unit}${n === 1 ? '' : 's'} ago`
}
