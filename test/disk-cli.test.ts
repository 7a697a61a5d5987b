import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { cleanupTemp, makeCore, makeRepo, must, tempDir } from './helpers/fixtures'

const CLI = join(__dirname, '..', 'out', 'main', 'cli.js')
beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npx electron-vite build\` first (npm test does).`)
})
afterEach(cleanupTemp)

function skein(args: string[], o: { home: string; cwd: string }): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { PATH: process.env.PATH!, SKEIN_HOME: o.home, HOME: tempDir('skein-user-') }
    execFile(process.execPath, [CLI, ...args], { env, cwd: o.cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr })
    })
  })
}

describe('skein new and the disk budget', () => {
  it('warns with the numbers when a new worktree would pass the budget, and still creates it', async () => {
    const home = tempDir('skein-home-')
    const { core } = await makeCore(home, { listenSocket: true })
    const repoPath = makeRepo()
    const repo = must(await core.repos.add(repoPath))
    const within = await skein(['new', '--agent', 'shell', '--title', 'fits', '--json'], { home, cwd: repoPath })
    expect(within.code).toBe(0)
    expect(within.stderr).not.toContain('disk budget')
    expect(JSON.parse(within.stdout).budget).toBeUndefined()

    const [view] = await core.disk.refresh(repo.id)
    must(await core.disk.setBudget(repo.id, view!.totalBytes + 1))
    const over = await skein(['new', '--agent', 'shell', '--title', 'too many', '--json'], { home, cwd: repoPath })
    expect(over.code).toBe(0)
    expect(over.stderr).toMatch(
      /Warning: over the disk budget\. This repository's worktrees use [\d.]+ [KMG]?B of its [\d.]+ [KMG]?B disk budget; a new worktree adds about [\d.]+ [KMG]?B/
    )
    const json = JSON.parse(over.stdout)
    expect(json.thread.title).toBe('too many')
    expect(json.budget).toMatchObject({ over: true, budgetBytes: view!.totalBytes + 1, usedBytes: view!.totalBytes })
  })
})
