/** The handoff feature: importing sessions from other agents, forking and continuing threads elsewhere. */
export { ImportSessionsDialog } from './ImportSessionsDialog'
export { ImportedBanner, ImportedMeta } from './ImportedMarker'
export { SourceMark } from './SourceMark'
export { continueInCli, copyContinueCommand, forkThread, openImportSessions } from './handoff-actions'
export { sourceLabel } from './handoff-format'
