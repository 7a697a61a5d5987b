// Entry of the core's utility process in the desktop app (built next to index.js as core-process.js).
import type { ParentPortLike } from './electron/core-process-runtime'
import { startCoreProcess } from './electron/core-process-runtime'

const parentPort = (process as NodeJS.Process & { parentPort?: ParentPortLike }).parentPort
if (!parentPort) {
  console.error("core-process.js runs only as the Skein app's utility process; for a core without Electron run `skein serve`.")
  process.exit(1)
} else {
  startCoreProcess(parentPort)
}
