/** The author and committer of commits Skein itself makes (snapshots, merges), set even where the user has none. */
export const SKEIN_IDENTITY = {
  GIT_AUTHOR_NAME: 'Skein',
  GIT_AUTHOR_EMAIL: 'skein@localhost',
  GIT_COMMITTER_NAME: 'Skein',
  GIT_COMMITTER_EMAIL: 'skein@localhost'
}
