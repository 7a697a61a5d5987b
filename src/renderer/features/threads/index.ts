/** The threads feature: the new, rename and delete dialogs, the thread menu and the mode choice. */
export { DeleteThreadDialog } from './DeleteThreadDialog'
export { NewThreadDialog } from './NewThreadDialog'
export { RenameThreadDialog } from './RenameThreadDialog'
export { ModeChoice, type ModeOption } from './ModeChoice'
export { openThreadMenu } from './thread-menu'
