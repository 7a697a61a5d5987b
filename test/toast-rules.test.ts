import { describe, expect, it } from 'vitest'
import { dismissAfter, MAX_VISIBLE, sameToast, trimToasts, type ToastShape } from '../src/renderer/state/toast-rules'

const t = (title: string, o: Partial<ToastShape> = {}): ToastShape & { title: string } => ({
  kind: 'error',
  title,
  needsAction: false,
  ...o
})

describe('toast rules', () => {
  it('every toast goes by itself unless it asks the person to choose', () => {
    expect(dismissAfter(t('a', { kind: 'success' }))).toBe(5_000)
    expect(dismissAfter(t('a', { kind: 'info', needsAction: true }))).toBe(8_000)
    expect(dismissAfter(t('a', { kind: 'error' }))).toBe(10_000)
    expect(dismissAfter(t('a', { kind: 'warning' }))).toBe(10_000)
    expect(dismissAfter(t('a', { kind: 'warning', needsAction: true }))).toBeNull()
  })

  it('the same kind, title and message is one toast', () => {
    expect(sameToast(t('Could not push', { message: 'no remote' }), t('Could not push', { message: 'no remote' }))).toBe(true)
    expect(sameToast(t('Could not push', { message: 'no remote' }), t('Could not push', { message: 'timeout' }))).toBe(false)
    expect(sameToast(t('x', { kind: 'error' }), t('x', { kind: 'warning' }))).toBe(false)
    expect(sameToast(t('x'), t('x', { message: '' }))).toBe(true)
  })

  it('keeps at most three, dropping the oldest that need nothing first', () => {
    const choice = t('choose', { needsAction: true })
    const list = [choice, t('one'), t('two'), t('three')]
    expect(trimToasts(list).map((x) => x.title)).toEqual(['choose', 'two', 'three'])
    expect(trimToasts(list)).toHaveLength(MAX_VISIBLE)
    // When every older one needs a choice, the oldest goes, never the newest.
    const all = [t('a', { needsAction: true }), t('b', { needsAction: true }), t('c', { needsAction: true }), t('d')]
    expect(trimToasts(all).map((x) => x.title)).toEqual(['b', 'c', 'd'])
    expect(trimToasts([t('a'), t('b')]).map((x) => x.title)).toEqual(['a', 'b'])
  })
})
