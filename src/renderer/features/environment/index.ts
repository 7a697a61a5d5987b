/** The environment feature: a repository's environment editor, and a thread's setup notice. */
export { EnvironmentDialog } from './EnvironmentDialog'
export { doneSummary, SetupNotice } from './SetupNotice'
