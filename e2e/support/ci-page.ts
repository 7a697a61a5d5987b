import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, type Locator, type Page } from '@playwright/test'
import { makeGitRepo } from './git-repo'

const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'E2E',
  GIT_AUTHOR_EMAIL: 'e2e@example.com',
  GIT_COMMITTER_NAME: 'E2E',
  GIT_COMMITTER_EMAIL: 'e2e@example.com'
}

/** Runs git in a folder and returns its output, trimmed. */
export const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, encoding: 'utf8', env }).trim()

/** A repository whose origin says github.com/acme/<name> but pushes to a local bare repository (as in test/ci-host.test.ts). */
export function githubShapedRepo(name: string): string {
  return hostedGithubRepo(name, { pushMain: false }).repo
}

/** As githubShapedRepo, with the bare repository (the fake GitHub's copy) returned, holding main unless told not to. */
export function hostedGithubRepo(name: string, o: { pushMain?: boolean } = {}): { repo: string; bare: string } {
  const repo = makeGitRepo(name)
  const bare = join(mkdtempSync(join(tmpdir(), 'skein-e2e-remote-')), `${name}.git`)
  git(repo, 'init', '-q', '--bare', bare)
  git(repo, 'remote', 'add', 'origin', `https://github.com/acme/${name}.git`)
  git(repo, 'config', 'remote.origin.pushurl', bare)
  if (o.pushMain !== false) git(repo, 'push', '-q', bare, 'main:main')
  return { repo, bare }
}

/** Points the repository's CI (and so its pull requests) at the fake GitHub through the CI settings dialog. */
export async function configureFakeGithub(page: Page, baseUrl: string): Promise<void> {
  await page.getByRole('button', { name: 'CI settings' }).click()
  const dialog = page.getByRole('dialog', { name: 'CI settings' })
  await dialog.getByLabel('CI provider').selectOption('github')
  await dialog.getByLabel('Base URL').fill(baseUrl)
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog).toBeHidden()
}

/** Writes a file in a worktree, commits everything, and returns the new commit's sha. */
export function commitIn(worktree: string, file: string, content: string, message: string): string {
  writeFileSync(join(worktree, file), content)
  git(worktree, 'add', '-A')
  git(worktree, 'commit', '-q', '-m', message)
  return git(worktree, 'rev-parse', 'HEAD')
}

/** Opens the open thread's CI tab. */
export async function openCiTab(page: Page): Promise<void> {
  const tab = page.getByRole('tablist', { name: 'Thread views' }).getByRole('tab', { name: /^CI/ })
  await tab.click()
  await expect(tab).toHaveAttribute('aria-selected', 'true')
}

/** The CI tab's overall state pill ("CI failed", "CI passed", …). */
export const overall = (page: Page): Locator => page.locator('.ci-summary .ci-overall')

/** A remote check's row in the CI tab, by name. */
export const checkRow = (page: Page, name: string): Locator =>
  page
    .getByRole('list', { name: 'Checks' })
    .locator('.ci-check')
    .filter({ has: page.locator('.ci-check-name', { hasText: name }) })

/** A local run's row in the CI tab, by its command. */
export const runRow = (page: Page, command: string): Locator =>
  page
    .getByRole('list', { name: 'Local runs' })
    .locator('.ci-run')
    .filter({ has: page.locator('.ci-check-name', { hasText: command }) })

/** The open log pane. */
export const logPane = (page: Page): Locator => page.locator('section.ci-log')

/** The rows of the open log view. */
export const logView = (page: Page): Locator => logPane(page).locator('.log-scroller')

/** Closes every toast, so screenshots show the panel rather than the notifications over it. */
export async function dismissToasts(page: Page): Promise<void> {
  const close = page.getByRole('button', { name: 'Dismiss notification' })
  // A toast may fade on its own meanwhile, so a click that finds nothing is fine.
  while ((await close.count()) > 0)
    await close
      .first()
      .click({ timeout: 1000 })
      .catch(() => undefined)
}
