/** The conversation feature: the built-in agent's transcript tab, its permission controls and transcript routing. */
export { ConversationTab } from './ConversationTab'
export { revealItem } from './conversation-store'
export { PermissionModeControl, permissionModes } from './ConversationHeader'
export { respondToApproval } from './conversation-actions'
export { forgetTranscript, reloadTranscripts, routeDelta, routeItem } from './conversation-sync'
export { offerDraft, withdrawDraft } from './drafts-store'
export { Markdown } from './Markdown'
