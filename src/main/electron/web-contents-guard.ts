import { shell, type WebContents } from 'electron'
import { GestureTracker, shouldOpenExternally } from './security-policy'

/**
 * Applied to every webContents the app creates (windows, and anything a page might try to open):
 * no webviews, no navigation away from the app, no new windows. An http(s) link the person just
 * clicked opens in the system browser; nothing else leaves the app.
 */
export function hardenWebContents(contents: WebContents): void {
  const gestures = new GestureTracker()
  contents.on('input-event', (_e, input) => gestures.record(input.type))
  const openIfClicked = (url: string) => {
    // electronegativity: OPEN_EXTERNAL_JS_CHECK — only http(s) URLs without credentials, and only
    // within a second of the person's own click or key press (shouldOpenExternally, tested).
    if (shouldOpenExternally(url, gestures.consume())) void shell.openExternal(url)
  }
  contents.on('will-attach-webview', (e) => e.preventDefault())
  contents.on('will-navigate', (e) => {
    e.preventDefault()
    openIfClicked(e.url)
  })
  contents.on('will-frame-navigate', (e) => {
    if (!e.isMainFrame) e.preventDefault()
  })
  contents.setWindowOpenHandler(({ url }) => {
    openIfClicked(url)
    return { action: 'deny' }
  })
}
