/** The run feature: a thread's dev server (run command) with its URL, output and Stop, and the ports setting. */
export { PortsSetting } from './PortsSetting'
export { RunControls } from './RunControls'
export { RunSection } from './RunSection'
export { reloadRuns, showRunOutput, startRun, stopRun } from './run-actions'
export { routeRunPty, routeRunPtyRemoved, useRun } from './run-store'
