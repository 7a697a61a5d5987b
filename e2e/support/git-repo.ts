import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'E2E',
      GIT_AUTHOR_EMAIL: 'e2e@example.com',
      GIT_COMMITTER_NAME: 'E2E',
      GIT_COMMITTER_EMAIL: 'e2e@example.com'
    }
  })

/** Creates a real git repository named `name` (in a fresh temp folder) with one commit on `main` and extra branches. */
export function makeGitRepo(name: string, branches: string[] = []): string {
  const path = join(mkdtempSync(join(tmpdir(), 'skein-e2e-repo-')), name)
  mkdirSync(path)
  git(path, 'init', '-q', '-b', 'main')
  writeFileSync(join(path, 'README.md'), `# ${name}\n`)
  git(path, 'add', 'README.md')
  git(path, 'commit', '-q', '-m', 'Initial commit')
  for (const b of branches) git(path, 'branch', b)
  return path
}

/** A plain folder that is not a git repository. */
export function makePlainFolder(name: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'skein-e2e-plain-')), name)
  mkdirSync(path)
  writeFileSync(join(path, 'notes.txt'), 'not a repository\n')
  return path
}

/** The branch names `git branch --list <pattern>` prints for a repository. */
export function listBranches(repoPath: string, pattern: string): string[] {
  return git(repoPath, 'branch', '--list', pattern)
    .split('\n')
    .map((line) => line.replace(/^[*+]?\s+/, '').trim())
    .filter(Boolean)
}
