// Hands the page its MessagePort to the core, and says when the core stopped (a new port follows
// once it is back). Exposes nothing else: no generic IPC. The page only accepts these from itself
// (event.source === window), and a file:// page has an opaque origin, hence '*'.
import { ipcRenderer } from 'electron'

ipcRenderer.on('skein:port', (event) => window.postMessage('skein:port', '*', event.ports))
ipcRenderer.on('skein:core-stopped', () => window.postMessage('skein:core-stopped', '*'))
