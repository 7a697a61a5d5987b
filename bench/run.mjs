// Runs every bench script in turn and prints their figures. `npm run bench` (after `npm run build`).
import { spawnSync } from 'node:child_process'

for (const script of [
  'thread-list.ts',
  'thread-counts.ts',
  'thread-create.ts',
  'cold-start.ts',
  'pty-throughput.ts',
  'pty-latency.ts',
  'pty-memory.ts',
  'conversation.ts',
  'agent-interrupt.ts',
  'sandbox-overhead.ts',
  'review-changes.ts',
  'review-render.ts',
  'idle-cpu.ts',
  'ci-polling.ts',
  'ci-polling-gitlab.ts',
  'pr-polling.ts',
  'ci-log-excerpt.ts',
  'import-throughput.ts',
  'import-listing.ts',
  'cli-visible.ts',
  'worktree-disk.ts',
  'checkpoint.ts',
  'search.ts'
]) {
  console.log(`\n## ${script}`)
  const r = spawnSync('npx', ['tsx', `bench/${script}`], { stdio: 'inherit' })
  if (r.status !== 0) process.exitCode = 1
}
