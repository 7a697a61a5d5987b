import { createHash } from 'node:crypto'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

/** Every path under SKEIN_HOME, in one place. */
export class DataDir {
  readonly home: string

  constructor(home: string) {
    this.home = resolve(home)
  }

  /** The data dir from SKEIN_HOME, defaulting to ~/.skein. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): DataDir {
    return new DataDir(env.SKEIN_HOME && env.SKEIN_HOME.trim() ? env.SKEIN_HOME : join(homedir(), '.skein'))
  }

  get reposFile(): string {
    return join(this.home, 'repos.json')
  }
  get threadsDir(): string {
    return join(this.home, 'threads')
  }
  get indexFile(): string {
    return join(this.threadsDir, 'index.json')
  }
  /** The archived threads' index: loaded after the start, so a start costs what is live, not all history. */
  get archivedIndexFile(): string {
    return join(this.threadsDir, 'archived.json')
  }
  /** Each live thread's port range (kept across restarts). */
  get portsFile(): string {
    return join(this.home, 'ports.json')
  }
  get worktreesDir(): string {
    return join(this.home, 'worktrees')
  }
  /** The CLI's way in: a unix socket, or a named pipe on Windows. */
  get socketPath(): string {
    if (process.platform === 'win32') {
      return `\\\\.\\pipe\\skein-${createHash('sha256').update(this.home).digest('hex').slice(0, 16)}`
    }
    return join(this.home, 'skein.sock')
  }
  /** Run records of live terminals (run/ptys/<ptyId>.json), so a restart can end what a crash left running. */
  get ptyRecordsDir(): string {
    return join(this.home, 'run', 'ptys')
  }
  /** Records of thread creations in flight (run/creating/<threadId>.json), for clean-up after a crash. */
  get createIntentsDir(): string {
    return join(this.home, 'run', 'creating')
  }
  threadDir(id: string): string {
    return join(this.threadsDir, id)
  }
  eventsFile(id: string): string {
    return join(this.threadsDir, id, 'events.jsonl')
  }
  /** Folders shared between worktrees instead of copied (node_modules, .venv…): shared/<repo>/<name>. */
  get sharedDir(): string {
    return join(this.home, 'shared')
  }
  repoShared(repoId: string): string {
    return join(this.sharedDir, repoId)
  }
  repoWorktrees(repoId: string): string {
    return join(this.worktreesDir, repoId)
  }
}
