/** The repositories feature: adding a repository, choosing one, and its menu. */
export { AddRepoDialog } from './AddRepoDialog'
export { NeedsRepoDialog } from './NeedsRepoDialog'
export { RepoSelect } from './RepoSelect'
export { openRepoMenu } from './repo-actions'
