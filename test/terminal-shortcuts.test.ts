import { describe, expect, it } from 'vitest'
import { skipsShell, type KeyLike } from '../src/renderer/features/terminal/terminal-shortcuts'

const key = (k: string, o: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  code: /^[a-z]$/i.test(k) ? `Key${k.toUpperCase()}` : k === '0' ? 'Digit0' : k === '`' ? 'Backquote' : k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...o
})

describe('which keys skip the shell', () => {
  it('on Linux and Windows, Ctrl keys stay the shell’s except the documented app shortcuts', () => {
    expect(skipsShell(key('n', { ctrlKey: true }), false)).toBe(false) // readline next-history
    expect(skipsShell(key('N', { ctrlKey: true, shiftKey: true }), false)).toBe(true)
    expect(skipsShell(key('d', { ctrlKey: true }), false)).toBe(false) // end-of-file
    expect(skipsShell(key('D', { ctrlKey: true, shiftKey: true }), false)).toBe(true)
    expect(skipsShell(key('k', { ctrlKey: true }), false)).toBe(false) // kill-line
    expect(skipsShell(key('K', { ctrlKey: true, shiftKey: true }), false)).toBe(true) // checkpoint now
    expect(skipsShell(key('0', { ctrlKey: true }), false)).toBe(true)
    expect(skipsShell(key('Tab', { ctrlKey: true }), false)).toBe(true)
    expect(skipsShell(key('Tab', { ctrlKey: true, shiftKey: true }), false)).toBe(true)
    expect(skipsShell(key('`', { ctrlKey: true }), false)).toBe(true)
    expect(skipsShell(key('c', { ctrlKey: true }), false)).toBe(false)
    expect(skipsShell(key('r', { ctrlKey: true }), false)).toBe(false)
    expect(skipsShell(key('ArrowDown', { altKey: true }), false)).toBe(false)
    expect(skipsShell(key('n', { metaKey: true }), false)).toBe(false) // the Windows key is not the primary modifier
  })

  it('on macOS, ⌘ shortcuts skip the shell and Ctrl keys stay with it', () => {
    expect(skipsShell(key('n', { metaKey: true }), true)).toBe(true)
    expect(skipsShell(key('0', { metaKey: true }), true)).toBe(true)
    expect(skipsShell(key('D', { metaKey: true, shiftKey: true }), true)).toBe(true)
    expect(skipsShell(key('k', { metaKey: true }), true)).toBe(false) // ⌘K clears the terminal
    expect(skipsShell(key('K', { metaKey: true, shiftKey: true }), true)).toBe(true)
    expect(skipsShell(key('n', { ctrlKey: true }), true)).toBe(false)
    expect(skipsShell(key('d', { ctrlKey: true, shiftKey: true }), true)).toBe(false)
    expect(skipsShell(key('Tab', { ctrlKey: true }), true)).toBe(true)
    expect(skipsShell(key('n', { metaKey: true, altKey: true }), true)).toBe(false)
  })
})
