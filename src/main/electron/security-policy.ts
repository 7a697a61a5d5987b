// The Electron shell's security decisions as plain functions, so they are tested without Electron.

/** Link schemes Skein hands to the system browser; never file:, javascript:, custom app schemes. */
export const EXTERNAL_SCHEMES: readonly string[] = ['http:', 'https:']

/** How long after a click or key press a link opening still counts as the person's own action. */
export const GESTURE_WINDOW_MS = 1000

/**
 * The dev server's address, honoured only in an unpackaged app: a packaged app always loads its
 * own files (an environment variable must not point it at another page, hand that page the core's
 * port, and switch the CSP header off).
 */
export function rendererUrl(isPackaged: boolean, env: NodeJS.ProcessEnv): string | null {
  const raw = env.ELECTRON_RENDERER_URL
  if (isPackaged || !raw) return null
  try {
    const url = new URL(raw)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null
  } catch {
    return null
  }
}

/** Whether the strict CSP header goes on responses: always, except under the dev server (HMR needs inline scripts). */
export function shouldSetCspHeader(devUrl: string | null): boolean {
  return devUrl === null
}

/** Whether a link opened in the page goes to the system browser: only http(s), only when the person just clicked or pressed a key. */
export function shouldOpenExternally(url: string, userGesture: boolean): boolean {
  if (!userGesture) return false
  try {
    const parsed = new URL(url)
    // Credentials in a link are a phishing shape ("https://github.com@evil.example"); such links stay closed.
    return EXTERNAL_SCHEMES.includes(parsed.protocol) && parsed.username === '' && parsed.password === ''
  } catch {
    return false
  }
}

/** Input event types that count as the person acting (Electron's `input-event` types). */
const GESTURE_INPUTS = new Set(['mouseDown', 'mouseUp', 'keyDown', 'rawKeyDown', 'gestureTap', 'pointerDown', 'pointerUp', 'touchEnd'])

/**
 * Electron's window-open and will-navigate events carry no user-gesture flag, so the shell records
 * the page's input events and treats a link as clicked when one arrived within GESTURE_WINDOW_MS.
 */
export class GestureTracker {
  private last = Number.NEGATIVE_INFINITY

  /** Records one input event sent to the page. */
  record(type: string, now: number = Date.now()): void {
    if (GESTURE_INPUTS.has(type)) this.last = now
  }

  /** Whether the person acted just now; consumes the gesture so one click opens at most one link. */
  consume(now: number = Date.now()): boolean {
    const recent = now - this.last <= GESTURE_WINDOW_MS && now >= this.last
    if (recent) this.last = Number.NEGATIVE_INFINITY
    return recent
  }
}

/** Every permission a page asks for (camera, notifications prompts, clipboard-read, …) is refused. */
export function allowPermission(_permission: string): boolean {
  return false
}
