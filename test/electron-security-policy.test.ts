import { describe, expect, it } from 'vitest'
import {
  allowPermission,
  GESTURE_WINDOW_MS,
  GestureTracker,
  rendererUrl,
  shouldOpenExternally,
  shouldSetCspHeader
} from '../src/main/electron/security-policy'

describe('Electron security policy', () => {
  it('honours ELECTRON_RENDERER_URL only in an unpackaged app, and only for http(s)', () => {
    const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173/' }
    expect(rendererUrl(false, env)).toBe('http://localhost:5173/')
    expect(rendererUrl(true, env)).toBeNull()
    expect(rendererUrl(false, {})).toBeNull()
    expect(rendererUrl(false, { ELECTRON_RENDERER_URL: 'file:///etc/passwd' })).toBeNull()
    expect(rendererUrl(false, { ELECTRON_RENDERER_URL: 'not a url' })).toBeNull()
  })

  it('sets the CSP header unless the dev server is in use', () => {
    expect(shouldSetCspHeader(null)).toBe(true)
    expect(shouldSetCspHeader(rendererUrl(true, { ELECTRON_RENDERER_URL: 'http://evil.example/' }))).toBe(true)
    expect(shouldSetCspHeader('http://localhost:5173/')).toBe(false)
  })

  it('opens only http(s) links the person clicked', () => {
    expect(shouldOpenExternally('https://github.com/skein-dev/skein', true)).toBe(true)
    expect(shouldOpenExternally('http://localhost:3000/', true)).toBe(true)
    expect(shouldOpenExternally('https://github.com/skein-dev/skein', false)).toBe(false)
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'vscode://x',
      'ms-msdt:/id',
      'not a url',
      'https://github.com@evil.example/'
    ]) {
      expect(shouldOpenExternally(url, true), url).toBe(false)
    }
  })

  it('counts a click or key press as a gesture for a moment, once', () => {
    const gestures = new GestureTracker()
    expect(gestures.consume(1000)).toBe(false)
    gestures.record('mouseMove', 1000)
    expect(gestures.consume(1001)).toBe(false)
    gestures.record('mouseUp', 2000)
    expect(gestures.consume(2000 + GESTURE_WINDOW_MS)).toBe(true)
    expect(gestures.consume(2000 + GESTURE_WINDOW_MS)).toBe(false)
    gestures.record('keyDown', 5000)
    expect(gestures.consume(5000 + GESTURE_WINDOW_MS + 1)).toBe(false)
  })

  it('refuses every permission', () => {
    for (const p of ['notifications', 'media', 'geolocation', 'clipboard-read', 'openExternal']) expect(allowPermission(p)).toBe(false)
  })
})
