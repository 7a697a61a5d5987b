import { expect, type Locator, type Page } from '@playwright/test'
import { join } from 'node:path'

const SCREENSHOTS = join(__dirname, '..', '..', 'test-results', 'screenshots')

/** The sidebar tree of repositories and threads. */
export const tree = (page: Page): Locator => page.getByRole('tree', { name: 'Repositories and threads' })

/** A thread row in the sidebar, by (part of) its title. */
export const threadRow = (page: Page, title: string): Locator =>
  tree(page)
    .locator('[role="treeitem"][aria-level="2"]')
    .filter({ has: page.locator('.thread-title', { hasText: new RegExp(`^${escape(title)}$`) }) })

/** A repository header in the sidebar. */
export const repoRow = (page: Page, name: string): Locator => tree(page).getByRole('treeitem', { name, exact: true })

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Adds a repository through the "Add repository" dialog, typing its path. */
export async function addRepository(page: Page, path: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Sidebar' }).getByRole('button', { name: 'Add repository' }).first().click()
  const dialog = page.getByRole('dialog', { name: 'Add repository' })
  await expect(dialog).toBeVisible()
  await dialog.getByLabel('Repository path').fill(path)
  await dialog.getByLabel('Repository path').press('Enter')
  await expect(dialog).toBeHidden()
}

/** How the New thread dialog gets opened. */
export type OpenVia = 'shortcut' | 'sidebar-button' | 'repo-menu' | 'dashboard-button'

/** Opens the New thread dialog the way a person would. */
export async function openNewThreadDialog(page: Page, via: OpenVia, repoName?: string): Promise<Locator> {
  if (via === 'shortcut') await page.keyboard.press('ControlOrMeta+n')
  if (via === 'sidebar-button')
    await page.getByRole('navigation', { name: 'Sidebar' }).getByRole('button', { name: 'New thread', exact: true }).click()
  if (via === 'dashboard-button') await page.getByRole('main').getByRole('button', { name: 'New thread', exact: true }).click()
  if (via === 'repo-menu') {
    await repoRow(page, repoName ?? '').click({ button: 'right' })
    await page.getByRole('menu').getByRole('menuitem', { name: 'New thread here…' }).click()
  }
  const dialog = page.getByRole('dialog', { name: 'New thread' })
  await expect(dialog).toBeVisible()
  await expect(dialog.getByRole('textbox', { name: 'Prompt' })).toBeFocused()
  return dialog
}

/** The agent picker's label for a CLI profile ("Shell" is offered as "Just a shell"). */
const agentOption = (profile: string): string => (profile === 'Shell' ? 'Just a shell' : profile)

/**
 * Fills the New thread dialog and submits it with Enter; waits until the new thread is shown.
 * Without `profile` the thread is the built-in agent's; without `prompt` it is sent nothing yet.
 */
export async function createThread(
  page: Page,
  o: { via: OpenVia; repo: string; title: string; baseRef?: string; mode?: 'worktree' | 'local'; profile?: string; prompt?: string }
): Promise<void> {
  const dialog = await openNewThreadDialog(page, o.via, o.repo)
  await dialog.getByLabel('Repository', { exact: true }).selectOption({ label: o.repo })
  await expect(dialog.getByLabel('Base ref', { exact: true })).toHaveValue('main') // defaults to the current branch
  if (o.profile) await dialog.getByLabel('Agent', { exact: true }).selectOption({ label: agentOption(o.profile) })
  if (o.prompt !== undefined) await dialog.getByRole('textbox', { name: 'Prompt' }).fill(o.prompt)
  await dialog.getByLabel('Title', { exact: true }).fill(o.title)
  if (o.baseRef) await dialog.getByLabel('Base ref', { exact: true }).fill(o.baseRef)
  if (o.mode === 'local') await dialog.getByLabel('Where', { exact: true }).selectOption('local')
  await dialog.getByLabel('Title', { exact: true }).press('Enter')
  await expect(dialog).toBeHidden()
  await expect(page.getByRole('heading', { level: 1, name: o.title })).toBeVisible()
}

/** The tree items in display order: level and accessible name. */
export async function treeOutline(page: Page): Promise<string[]> {
  return tree(page)
    .locator('[role="treeitem"]')
    .evaluateAll((els) =>
      els
        .map((el) => ({
          y: el.getBoundingClientRect().top,
          level: el.getAttribute('aria-level'),
          name: el.getAttribute('aria-label') ?? ''
        }))
        .sort((a, b) => a.y - b.y)
        .map((r) => `${r.level === '1' ? '' : '  '}${r.name}`)
    )
}

/** Opens a thread's context menu with a right-click and picks an item. */
export async function threadMenu(page: Page, title: string, item: string): Promise<void> {
  await threadRow(page, title).click({ button: 'right' })
  const menu = page.getByRole('menu', { name: `Actions for ${title}` })
  await expect(menu).toBeVisible()
  await menu.getByRole('menuitem', { name: item }).click()
  await expect(menu).toBeHidden()
}

/** Resolves after `n` animation frames of the page: whatever was committed before has been laid out and painted. */
export async function nextFrames(page: Page, n: number): Promise<void> {
  await page.evaluate(
    (count) =>
      new Promise<void>((done) => {
        const step = (left: number) => (left === 0 ? done() : requestAnimationFrame(() => step(left - 1)))
        step(count)
      }),
    n
  )
}

/** Saves a screenshot in both light and dark themes (test-results/screenshots/<name>-light.png, -dark.png). */
export async function screenshotBothThemes(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    await nextFrames(page, 2) // the virtualizer measures in a frame; transitions are finished by the screenshot
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${scheme}.png`), animations: 'disabled' })
  }
  await page.emulateMedia({ colorScheme: 'light' })
}
