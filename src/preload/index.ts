// Hands the page its MessagePort to the core. Exposes nothing else: no generic IPC.
import { ipcRenderer } from 'electron'

ipcRenderer.on('skein:port', (event) => {
  window.postMessage('skein:port', '*', event.ports)
})
