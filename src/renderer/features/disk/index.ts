/** The disk feature: disk use per worktree and repository, the budget warning, and the Disk use dialog with Clean up. */
export { BudgetWarning } from './BudgetWarning'
export { DiskDialog } from './DiskDialog'
export { RepoDiskTotal, ThreadDiskChip, ThreadDiskDetail } from './DiskFigures'
export { useDisk } from './disk-store'
export { loadDisk, routeDiskUpdated } from './disk-sync'
