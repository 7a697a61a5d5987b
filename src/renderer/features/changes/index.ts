/** The changes feature: the Changes tab (loaded on first use) and the routing of change-set notifications. */
export { ChangesBadge, LazyChangesTab } from './LazyChangesTab'
export { forgetChanges, rewatchChanges, routeChanges } from './changes-sync'
