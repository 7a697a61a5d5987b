/** The CI feature: the CI tab (loaded on first use), CI dots and the routing of CI notifications. */
export { LazyCiTab } from './LazyCiTab'
export { CiDot, CiTabBadge, useCiAriaSuffix, useCiFailed, useCiFailedIds } from './CiDot'
export { routeCiFailed, startCiNewsSync } from './ci-attention'
export { forgetCi, loadCiStatuses, routeCiUpdated, routeLocalOutput } from './ci-sync'
export { ciFailedNow, ciProviderOf, useCiProvider } from './ci-store'
