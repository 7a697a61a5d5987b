/** The pull request feature: create (GitHub) or merge (GitLab) requests from a thread, and show them in the thread, the sidebar and the dashboard. */
export { CreatePrDialog } from './CreatePrDialog'
export { PrBadge, usePrAriaSuffix } from './PrBadge'
export { PrHeaderChip } from './PrHeaderChip'
export { PrPanel } from './PrPanel'
export { requestMenuEntry } from './pr-menu'
export { forgetPr, loadPrStatuses, routePrUpdated } from './pr-sync'
