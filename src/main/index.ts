// The Electron shell: the only file that boots Electron. The core runs in its own utility process
// (core-process.js); this process keeps the window, the menu, safeStorage and the native dialogs.
import { join } from 'node:path'
import { app, BrowserWindow, dialog, MessageChannelMain, safeStorage, session, utilityProcess } from 'electron'
import { CONTENT_SECURITY_POLICY } from './core/server/csp'
import { CoreSupervisor, type MainHost } from './electron/core-supervisor'
import { installMenu } from './electron/menu'
import { allowPermission, rendererUrl, shouldSetCspHeader } from './electron/security-policy'
import { hardenWebContents } from './electron/web-contents-guard'

let window: BrowserWindow | null = null
const devUrl = rendererUrl(app.isPackaged, process.env)

function createWindow(core: CoreSupervisor): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Skein',
    backgroundColor: '#1e1f22',
    webPreferences: {
      // electronegativity: PRELOAD_JS_CHECK — the preload only forwards the core's MessagePort and a
      // "core stopped" signal to the page (contextIsolation + sandbox); it exposes no API.
      preload: join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      // Middle-click must not open links in a new window behind the window-open handler's back.
      disableBlinkFeatures: 'Auxclick'
    }
  })
  win.once('ready-to-show', () => win.show())
  const contents = win.webContents
  const page = {
    id: contents.id,
    isDestroyed: () => contents.isDestroyed(),
    sendPort: (port: object) => contents.postMessage('skein:port', null, [port as Electron.MessagePortMain]),
    sendCoreStopped: () => contents.send('skein:core-stopped')
  }
  // Each page load gets a fresh port to the core; the old connection closes with the old page.
  contents.on('did-finish-load', () => core.attach(page))
  contents.on('destroyed', () => core.detach(page.id))
  if (devUrl) void win.loadURL(devUrl)
  else void win.loadFile(join(__dirname, '../renderer/index.html'))
  return win
}

function mainHost(): MainHost {
  return {
    secrets: safeStorage.isEncryptionAvailable()
      ? {
          // On Linux without a keyring Electron falls back to a fixed key: say so rather than pretend.
          backend: process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text' ? 'plaintext' : 'safeStorage',
          encrypt: (text) => safeStorage.encryptString(text).toString('base64'),
          decrypt: (data) => safeStorage.decryptString(Buffer.from(data, 'base64'))
        }
      : null,
    pickFolder: async (title) => {
      const options = { title: title ?? 'Add repository', properties: ['openDirectory' as const] }
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options)
      return result.canceled ? null : (result.filePaths[0] ?? null)
    }
  }
}

function raise(core: CoreSupervisor): void {
  if (!window || window.isDestroyed()) window = createWindow(core)
  if (window.isMinimized()) window.restore()
  window.show()
  window.focus()
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  const core = new CoreSupervisor({
    spawn: () => utilityProcess.fork(join(__dirname, 'core-process.js'), [], { serviceName: 'Skein core' }),
    newChannel: () => new MessageChannelMain(),
    host: mainHost(),
    onFocus: () => raise(core),
    log: (message) => console.warn(`Skein: ${message}`)
  })
  app.on('second-instance', () => {
    if (window) {
      if (window.isMinimized()) window.restore()
      window.focus()
    }
  })
  app.on('web-contents-created', (_e, contents) => hardenWebContents(contents))
  app.whenReady().then(async () => {
    // The built page also carries the policy in a meta tag; the dev server (HMR) is left without it.
    if (shouldSetCspHeader(devUrl)) {
      session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
        callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } })
      })
    }
    session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(allowPermission(permission)))
    session.defaultSession.setPermissionCheckHandler((_wc, permission) => allowPermission(permission))
    installMenu()
    try {
      await core.start()
    } catch (e) {
      dialog.showErrorBox('Skein could not start', (e as Error).message)
      app.exit(1)
      return
    }
    window = createWindow(core)
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) window = createWindow(core)
    })
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  let quitting = false
  app.on('before-quit', (e) => {
    if (quitting) return
    e.preventDefault()
    quitting = true
    void core.shutdown().finally(() => app.quit())
  })
}
