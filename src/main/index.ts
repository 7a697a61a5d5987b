// The Electron shell: the only file that boots Electron. The core runs in-process, plain Node.
import { join } from 'node:path'
import { app, BrowserWindow, dialog, MessageChannelMain, safeStorage, session, shell } from 'electron'
import { createCore, type Core } from './core/core'
import { messagePortTransport } from './core/rpc/message-port-transport'
import { CONTENT_SECURITY_POLICY } from './core/server/csp'
import { installMenu } from './electron/menu'


let core: Core | null = null
let window: BrowserWindow | null = null

function createWindow(c: Core): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Skein',
    backgroundColor: '#1e1f22',
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false
    }
  })
  win.once('ready-to-show', () => win.show())
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url)
    return { action: 'deny' }
  })
  win.webContents.on('will-navigate', (e) => e.preventDefault())
  win.webContents.on('will-attach-webview', (e) => e.preventDefault())
  // Each page load gets a fresh port to the core; the old connection closes with the old page.
  win.webContents.on('did-finish-load', () => {
    const { port1, port2 } = new MessageChannelMain()
    c.connect(messagePortTransport(port1))
    win.webContents.postMessage('skein:port', null, [port2])
  })
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL)
  else void win.loadFile(join(__dirname, '../renderer/index.html'))
  return win
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => {
    if (window) {
      if (window.isMinimized()) window.restore()
      window.focus()
    }
  })
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (e) => e.preventDefault())
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  })
  app.whenReady().then(async () => {
    // The built page also carries the policy in a meta tag; the dev server (HMR) is left without it.
    if (!process.env.ELECTRON_RENDERER_URL) {
      session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
        callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } })
      })
    }
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
    installMenu()
    try {
      core = await createCore({
        host: {
          secrets: safeStorage.isEncryptionAvailable()
            ? {
                // On Linux without a keyring Electron falls back to a fixed key: say so rather than pretend.
                backend: process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text' ? 'plaintext' : 'safeStorage',
                encrypt: (text) => safeStorage.encryptString(text).toString('base64'),
                decrypt: (data) => safeStorage.decryptString(Buffer.from(data, 'base64'))
              }
            : undefined,
          pickFolder: async (title) => {
            const result = window
              ? await dialog.showOpenDialog(window, { title: title ?? 'Add repository', properties: ['openDirectory'] })
              : await dialog.showOpenDialog({ title: title ?? 'Add repository', properties: ['openDirectory'] })
            return result.canceled ? null : (result.filePaths[0] ?? null)
          }
        }
      })
    } catch (e) {
      dialog.showErrorBox('Skein could not start', (e as Error).message)
      app.exit(1)
      return
    }
    window = createWindow(core)
    // `skein open` / `skein new` ask for a thread: the page selects it, the shell raises the window.
    core.bus.subscribe((name) => {
      if (name !== 'app/focus') return
      if (!window || window.isDestroyed()) window = createWindow(core!)
      if (window.isMinimized()) window.restore()
      window.show()
      window.focus()
    })
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0 && core) window = createWindow(core)
    })
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  let quitting = false
  app.on('before-quit', (e) => {
    if (quitting || !core) return
    e.preventDefault()
    quitting = true
    void core.close().finally(() => app.quit())
  })
}
