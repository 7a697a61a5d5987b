/** The sidebar feature: repositories and their threads. */
export { Sidebar } from './Sidebar'
export { liveThreadOrder } from './sidebar-rows'
