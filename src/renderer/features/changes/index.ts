/** The changes feature: the Changes tab (loaded on first use), a read-only file diff, and the routing of change-set notifications. */
export { ChangesBadge, LazyChangesTab } from './LazyChangesTab'
export { FileDiffPreview } from './FileDiffPreview'
export { forgetChanges, rewatchChanges, routeChanges } from './changes-sync'
export { formatCount, splitPath, statusMark, describeFile } from './file-format'
