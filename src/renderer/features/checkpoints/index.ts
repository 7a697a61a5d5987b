/** The checkpoints feature: the Timeline tab, the Rewind and Fork dialogs, fork links, pruning settings and checkpoint routing. */
export { TimelineTab, CHECKPOINT_KEYS } from './TimelineTab'
export { RewindDialog } from './RewindDialog'
export { ForkDialog } from './ForkDialog'
export { CheckpointSettingsField } from './CheckpointSettingsField'
export { ForkDetails, ForkLinks, SidebarForkMarks, useForkAriaSuffix } from './ForkLinks'
export { forkCountOf, useForks } from './fork-index'
export { checkpointNow } from './checkpoint-actions'
export { forgetCheckpoints, reloadCheckpoints, routeCheckpointCreated, routeCheckpointRemoved } from './checkpoints-sync'
