import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createCore } from '../../src/main/core/core'
import { memoryLogger } from '../../src/main/core/logger'
import { now } from '../bench-utils'

/**
 * Imports a Claude Code session written by `writeLargeClaudeSession` (cwd /work/big-project) the way a person does:
 * `handoff/import` in a real core, into a real git repository under `work`. Returns the items and the time taken.
 */
export async function importThroughCore(sessionPath: string, work: string): Promise<{ items: number; ms: number }> {
  const repo = join(work, 'big-project')
  mkdirSync(repo, { recursive: true })
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'ignore' })
  git('init', '-q', '-b', 'main')
  git('-c', 'user.name=b', '-c', 'user.email=b@b', 'commit', '-q', '--allow-empty', '-m', 'init')
  const path = join(work, 'session.jsonl')
  writeFileSync(path, readFileSync(sessionPath, 'utf8').split('/work/big-project').join(repo))
  const core = await createCore({ home: join(work, 'home'), logger: memoryLogger(), listenSocket: false })
  try {
    const t = now()
    const r = await core.handoff.import({ source: 'claude', path, last: false })
    if (!r.ok) throw new Error(r.error.message)
    return { items: r.value.items, ms: now() - t }
  } finally {
    await core.close()
  }
}
