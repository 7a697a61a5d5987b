import { expect, test, type Page } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { startModelServer, type ModelServer } from '../test/helpers/model-server'
import {
  APP_LINES,
  commentCards,
  diffPane,
  expectDiffReady,
  fileList,
  fileRow,
  makeReviewRepo,
  modifiedLine,
  modifiedLines,
  monacoDiff,
  openChangesTab,
  openDiff,
  put,
  recordCspViolations
} from './support/changes-page'
import { connectClient, threadNamed } from './support/core-client'
import { startCore, type CoreProcess } from './support/core-process'
import { lastText } from './support/conversation-page'
import { addRepository, createThread, screenshotBothThemes, threadMenu } from './support/skein-page'
import { commitIn, git } from './support/ci-page'

let cores: CoreProcess[] = []
let servers: ModelServer[] = []
test.afterEach(async () => {
  await Promise.all(cores.map((c) => c.stop('SIGKILL')))
  await Promise.all(servers.map((s) => s.close()))
  cores = []
  servers = []
})

async function launch() {
  const server = await startModelServer({ respond: () => ({ text: 'Thanks, I will address the review.' }), apiKey: 'test-key' })
  servers.push(server)
  const core = await startCore({ env: { ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: 'test-key' } })
  cores.push(core)
  return { server, core }
}

/** The worktree of a thread, asked of the core the way the CLI would. */
const worktreeOf = async (core: CoreProcess, title: string): Promise<string> => (await threadNamed(core, title)).worktreePath

/** A new worktree thread on a fixture repository, with the Changes tab's files on disk. */
async function setUp(page: Page, title: string) {
  const repo = makeReviewRepo('review-app')
  const { core, server } = await launch()
  await page.goto(core.url)
  await addRepository(page, repo)
  await createThread(page, { via: 'sidebar-button', repo: 'review-app', title })
  return { core, server, repo, worktree: await worktreeOf(core, title) }
}

/** The agent's edits: a modified, an added, a deleted, a renamed and a binary file. */
function editWorktree(worktree: string): void {
  const app = [...APP_LINES]
  app[4] = 'export const setting5 = 500 // tuned'
  app.splice(10, 0, 'export const added1 = "new"', 'export const added2 = "newer"')
  app.splice(30, 2) // setting29 and setting30 go
  put(worktree, 'src/app.ts', `${app.join('\n')}\n`)
  put(worktree, 'src/feature.ts', 'export function feature(): string {\n  return "shiny"\n}\n')
  rmSync(join(worktree, 'obsolete.txt'))
  renameSync(join(worktree, 'old-name.txt'), join(worktree, 'new-name.txt'))
  put(
    worktree,
    'assets/logo.png',
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 1, 2, 3])
  )
}

test('the Changes tab: live file list, side-by-side and inline diffs, comments sent as one review', async ({ page }) => {
  const csp = await recordCspViolations(page)
  const { server, worktree } = await setUp(page, 'Tune settings')
  editWorktree(worktree)

  await test.step('the tab lists every change with its status and line counts', async () => {
    await page.keyboard.press('ControlOrMeta+Shift+D')
    await expect(page.getByRole('tab', { name: /^Changes/ })).toHaveAttribute('aria-selected', 'true')
    await expect(fileList(page).getByRole('option')).toHaveCount(5)
    await expect(fileRow(page, 'src/app.ts')).toHaveAttribute('aria-label', 'Modified, src/app.ts, 3 added, 3 deleted')
    await expect(fileRow(page, 'src/feature.ts')).toHaveAttribute('aria-label', 'Added, src/feature.ts, 3 added, 0 deleted')
    await expect(fileRow(page, 'obsolete.txt')).toHaveAttribute('aria-label', 'Deleted, obsolete.txt, 0 added, 1 deleted')
    await expect(fileRow(page, 'new-name.txt')).toHaveAttribute('aria-label', 'Renamed, old-name.txt → new-name.txt, 0 added, 0 deleted')
    await expect(fileRow(page, 'new-name.txt')).toContainText('old-name.txt→new-name.txt')
    await expect(fileRow(page, 'assets/logo.png')).toHaveAttribute('aria-label', /binary/)
    await expect(fileRow(page, 'assets/logo.png')).toContainText('BIN')
    await expect(page.locator('.changes-summary')).toContainText('5 files')
  })

  await test.step('a file edited while the tab is open appears without a reload', async () => {
    put(worktree, 'src/late.ts', 'export const late = true\n')
    await expect(fileRow(page, 'src/late.ts')).toHaveAttribute('aria-label', 'Added, src/late.ts, 1 added, 0 deleted')
    await expect(fileList(page).getByRole('option')).toHaveCount(6)
  })

  await test.step('a diff side by side, then inline', async () => {
    await openDiff(page, 'src/app.ts')
    await expectDiffReady(page)
    await expect(monacoDiff(page).locator('.monaco-diff-editor')).toBeVisible()
    await expect(monacoDiff(page).locator('.editor.original')).toBeVisible()
    await expect(modifiedLine(page, 'export const added1 = "new"')).toBeVisible()
    await expect(monacoDiff(page).locator('.editor.original .view-lines')).toContainText('export const setting5 = 5')
    await page.getByRole('radio', { name: 'Inline' }).click()
    await expect(monacoDiff(page)).toHaveAttribute('data-layout', 'inline')
    // Inline, the original side shrinks to a column of its line numbers beside the modified editor.
    await expect
      .poll(() =>
        monacoDiff(page)
          .locator('.editor.original')
          .evaluate((el) => el.getBoundingClientRect().width)
      )
      .toBeLessThan(80)
    await expect(modifiedLine(page, 'export const setting5 = 500 // tuned')).toBeVisible()
    // Inline, the deleted line shows in the modified editor's deleted-lines zone.
    await expect(modifiedLines(page).locator('..').locator('.view-zones')).toContainText('export const setting5 = 5')
    await page.getByRole('radio', { name: 'Side by side' }).click()
    await expect
      .poll(() =>
        monacoDiff(page)
          .locator('.editor.original')
          .evaluate((el) => el.getBoundingClientRect().width)
      )
      .toBeGreaterThan(200)
  })

  await test.step('two comments: one from the gutter +, one on selected lines; one edited', async () => {
    await modifiedLine(page, 'export const added1 = "new"').hover()
    await monacoDiff(page).locator('.editor.modified .comment-glyph').click()
    const box = page.getByRole('textbox', { name: 'Comment on line 11' })
    await expect(box).toBeFocused()
    await box.fill('Why a string here?')
    await page.getByRole('button', { name: 'Comment', exact: true }).click()
    await expect(commentCards(page)).toHaveCount(1)
    await expect(commentCards(page).first()).toContainText('Why a string here?')
    await expect(commentCards(page).first()).toContainText('Pending')

    // Select lines 5–6 from the line numbers, then "Comment on lines 5–6".
    const numbers = monacoDiff(page).locator('.editor.modified .margin .line-numbers')
    await numbers.filter({ hasText: /^5$/ }).click()
    await numbers.filter({ hasText: /^6$/ }).click({ modifiers: ['Shift'] })
    await diffPane(page).getByRole('button', { name: 'Comment on lines 5–6' }).click()
    const second = page.getByRole('textbox', { name: 'Comment on lines 5–6' })
    await expect(second).toBeFocused()
    await second.fill('Is 500 too high?')
    await second.press('ControlOrMeta+Enter')
    await expect(commentCards(page)).toHaveCount(2)

    const first = commentCards(page).filter({ hasText: 'Why a string here?' })
    await first.getByRole('button', { name: 'Edit' }).click()
    const edit = page.getByRole('textbox', { name: 'Edit comment on line 11' })
    await edit.fill('Why a string here? Use a number.')
    await edit.press('ControlOrMeta+Enter')
    await expect(first).toContainText('Why a string here? Use a number.')
    await expect(page.getByRole('region', { name: 'Review' })).toContainText('2 pending comments')
    await screenshotBothThemes(page, 'changes-comments-side-by-side')
    await page.getByRole('radio', { name: 'Inline' }).click()
    await expect(commentCards(page)).toHaveCount(2)
    await screenshotBothThemes(page, 'changes-comments-inline')
    // The layout is remembered across a reload.
    await page.reload()
    await openChangesTab(page)
    await openDiff(page, 'src/app.ts')
    await expect(monacoDiff(page)).toHaveAttribute('data-layout', 'inline')
    await expect(page.getByRole('radio', { name: 'Inline' })).toHaveAttribute('aria-checked', 'true')
    await expect(commentCards(page)).toHaveCount(2)
    await page.getByRole('radio', { name: 'Side by side' }).click()
  })

  await test.step('Ctrl+Enter sends both comments to the agent as one message', async () => {
    const before = server.requests.length
    await fileRow(page, 'src/app.ts').focus()
    await page.keyboard.press('ControlOrMeta+Enter')
    await expect(page.getByRole('status').filter({ hasText: 'Sent 2 review comments to the built-in agent' })).toBeVisible()
    await expect.poll(() => server.requests.length).toBeGreaterThan(before)
    const sent = server.requests
      .slice(before)
      .map((r) => lastText(r.body))
      .filter((t) => t.includes('Review of your changes'))
    expect(sent).toHaveLength(1)
    const message = sent[0]
    expect(message).toContain('2 comments')
    expect(message).toContain('src/app.ts:11')
    expect(message).toContain('export const added1 = "new"')
    expect(message).toContain('Why a string here? Use a number.')
    expect(message).toContain('src/app.ts:5-6')
    expect(message).toContain('export const setting5 = 500 // tuned')
    expect(message).toContain('Is 500 too high?')
    await expect(commentCards(page).filter({ hasText: 'Sent' })).toHaveCount(2)
    await expect(page.getByRole('region', { name: 'Review' })).toContainText('No pending comments')
  })

  await test.step('the agent edits the open file: the diff reloads and the comments stay on their lines', async () => {
    await expect(monacoDiff(page)).toHaveAttribute('data-changes', '3')
    put(worktree, 'src/app.ts', `${readFileSync(join(worktree, 'src/app.ts'), 'utf8')}export const appended = true\n`)
    await expect(monacoDiff(page)).toHaveAttribute('data-changes', '4')
    await expect(commentCards(page).filter({ hasText: 'Sent' })).toHaveCount(2)
    await expect(commentCards(page).filter({ hasText: 'Is 500 too high?' })).toBeVisible()
  })

  expect(readFileSync(join(worktree, 'src/app.ts'), 'utf8')).toContain('setting5 = 500')
  expect(csp).toEqual([])
})

test('notices for binary, non-UTF-8 and large files; reverting a change and a file; outdated comments are kept', async ({ page }) => {
  const csp = await recordCspViolations(page)
  const { worktree } = await setUp(page, 'Notices and reverts')
  editWorktree(worktree)
  put(worktree, 'latin1.txt', Buffer.from('caf\xe9 cr\xe8me br\xfbl\xe9e\n', 'latin1'))
  put(worktree, 'minified.js', `${'x'.repeat(6000)}\n`)
  await openChangesTab(page)

  await test.step('binary: a notice with the sizes', async () => {
    await openDiff(page, 'assets/logo.png')
    await expect(diffPane(page).getByRole('status')).toContainText('Binary file')
    await expect(diffPane(page).getByRole('status')).toContainText('Added, 20 B.')
    await expect(monacoDiff(page)).toHaveCount(0)
  })

  await test.step('not UTF-8: a notice, never a garbled editor', async () => {
    await openDiff(page, 'latin1.txt')
    await expect(diffPane(page).getByRole('status')).toContainText('Not UTF-8; open it in your editor')
    await expect(monacoDiff(page)).toHaveCount(0)
  })

  await test.step('over the size guard: a summary, then "Open anyway"', async () => {
    await openDiff(page, 'minified.js')
    const notice = diffPane(page).getByRole('status')
    await expect(notice).toContainText('This diff is large')
    await expect(notice).toContainText('It has a line too long to show comfortably.')
    await expect(notice).toContainText('6,000 characters')
    await expect(monacoDiff(page)).toHaveCount(0)
    await screenshotBothThemes(page, 'changes-too-large')
    await notice.getByRole('button', { name: 'Open anyway' }).click()
    await expectDiffReady(page)
  })

  await test.step('n / Shift+N move between changes; the hunk button reverts one change after a confirmation', async () => {
    await openDiff(page, 'src/app.ts')
    await expectDiffReady(page)
    await expect(diffPane(page).getByRole('group', { name: 'Changes in this file' })).toContainText('3 changes')
    await fileRow(page, 'src/app.ts').focus()
    await page.keyboard.press('n')
    await expect(diffPane(page).getByRole('group', { name: 'Changes in this file' })).toContainText('Change 1 of 3')
    await page.keyboard.press('n')
    await expect(diffPane(page).getByRole('group', { name: 'Changes in this file' })).toContainText('Change 2 of 3')
    await page.keyboard.press('Shift+N')
    await expect(diffPane(page).getByRole('group', { name: 'Changes in this file' })).toContainText('Change 1 of 3')
    await monacoDiff(page).getByRole('button', { name: 'Revert change' }).click()
    const dialog = page.getByRole('alertdialog', { name: 'Revert this change?' })
    await expect(dialog).toContainText('Puts line 5 back in src/app.ts as on main.')
    await expect(dialog).toContainText('export const setting5 = 500 // tuned')
    await screenshotBothThemes(page, 'changes-revert-hunk')
    await dialog.getByRole('button', { name: 'Revert change' }).click()
    await expect(dialog).toBeHidden()
    await expect.poll(() => readFileSync(join(worktree, 'src/app.ts'), 'utf8')).toContain('export const setting5 = 5\n')
    const text = readFileSync(join(worktree, 'src/app.ts'), 'utf8')
    expect(text).toContain('export const added1 = "new"') // the other changes stay
    expect(text).not.toContain('export const setting29 = 29')
    await expect(fileRow(page, 'src/app.ts')).toHaveAttribute('aria-label', 'Modified, src/app.ts, 2 added, 2 deleted')
    await expect(monacoDiff(page)).toHaveAttribute('data-changes', '2')
  })

  await test.step('a comment whose lines are rewritten becomes outdated and stays listed', async () => {
    await modifiedLine(page, 'export const added2 = "newer"').hover()
    await monacoDiff(page).locator('.editor.modified .comment-glyph').click()
    await page.getByRole('textbox', { name: 'Comment on line 12' }).fill('Name this better')
    await page.getByRole('textbox', { name: 'Comment on line 12' }).press('ControlOrMeta+Enter')
    await expect(commentCards(page)).toHaveCount(1)
    put(
      worktree,
      'src/app.ts',
      readFileSync(join(worktree, 'src/app.ts'), 'utf8').replace('export const added2 = "newer"', 'export const renamed = "newest"')
    )
    const outdated = diffPane(page).getByRole('region', { name: 'Outdated comments' })
    await expect(outdated).toContainText('1 outdated comment')
    await expect(outdated.locator('.comment-card')).toContainText('Name this better')
    await expect(outdated.locator('.comment-card')).toContainText('Outdated')
    await expect(outdated.locator('.comment-code')).toHaveText('export const added2 = "newer"')
    await expect(commentCards(page)).toHaveCount(0)
    await expect(fileRow(page, 'src/app.ts').locator('.file-marker.is-outdated')).toHaveText('!1')
    await screenshotBothThemes(page, 'changes-outdated')
  })

  await test.step('revert a whole file from its menu, after a confirmation', async () => {
    await fileRow(page, 'src/feature.ts').click({ button: 'right' })
    await page.getByRole('menu', { name: 'Actions for src/feature.ts' }).getByRole('menuitem', { name: 'Revert file…' }).click()
    const dialog = page.getByRole('alertdialog', { name: 'Revert src/feature.ts?' })
    await expect(dialog).toContainText("goes back to how it is at the thread's base")
    await expect(dialog).toContainText('or is deleted if it is not there')
    await dialog.getByRole('button', { name: 'Revert file' }).click()
    await expect(fileRow(page, 'src/feature.ts')).toHaveCount(0)
    expect(existsSync(join(worktree, 'src/feature.ts'))).toBe(false)
    await expect(page.getByRole('status').filter({ hasText: 'Removed src/feature.ts' })).toBeVisible()
  })

  expect(csp).toEqual([])
})

test('git actions, the uncommitted scope, keyboard, empty and error states, and a 1,500-file change set', async ({ page }) => {
  const { core, repo, worktree } = await setUp(page, 'Ship it')
  execFileSync('git', ['branch', 'release'], { cwd: repo })
  await openChangesTab(page)

  await test.step('no changes yet', async () => {
    await expect(page.getByRole('heading', { name: 'No changes yet…' })).toBeVisible()
    await expect(page.getByText('Nothing differs from main.')).toBeVisible()
  })

  await test.step('Commit… commits everything; "Uncommitted only" then shows nothing', async () => {
    editWorktree(worktree)
    await expect(fileList(page).getByRole('option')).toHaveCount(5)
    await page.getByRole('group', { name: 'Git actions' }).getByRole('button', { name: 'Commit…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Commit changes' })
    await dialog.getByLabel('Commit message').fill('Tune the settings')
    await dialog.getByLabel('Commit message').press('ControlOrMeta+Enter')
    await expect(dialog).toBeHidden()
    await expect(page.getByRole('status').filter({ hasText: 'Committed' })).toContainText('Tune the settings')
    await expect(fileList(page).getByRole('option')).toHaveCount(5) // still different from main
    await page.getByRole('radio', { name: 'Uncommitted only' }).click()
    await expect(page.getByRole('heading', { name: 'No changes yet…' })).toBeVisible()
    await expect(page.getByText('Everything is committed.')).toBeVisible()
    put(worktree, 'docs/guide.md', '# Guide\n\nStart here. Then read on.\n')
    await expect(fileList(page).getByRole('option')).toHaveCount(1)
    await expect(fileRow(page, 'docs/guide.md')).toHaveAttribute('aria-label', 'Modified, docs/guide.md, 1 added, 1 deleted')
    await page.getByRole('radio', { name: 'Since main' }).click()
    await expect(fileList(page).getByRole('option')).toHaveCount(6)
  })

  await test.step('Merge into base… previews first and will not merge uncommitted work; Push explains a missing remote', async () => {
    await page.getByRole('button', { name: 'Merge into base…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Merge into main?' })
    await expect(dialog.getByRole('alert')).toContainText('1 uncommitted change')
    await expect(dialog.getByRole('button', { name: 'Merge into main' })).toHaveCount(0)
    await expect(dialog.getByRole('button', { name: 'Close', exact: true })).toBeFocused()
    await page.keyboard.press('Escape')
    await expect(dialog).toBeHidden()
    rmSync(join(worktree, 'docs/guide.md'))
    execFileSync('git', ['checkout', '--', 'docs/guide.md'], { cwd: worktree })
    await expect(fileList(page).getByRole('option')).toHaveCount(5)
    await page.getByRole('button', { name: 'Push' }).click()
    await expect(page.getByRole('alert').filter({ hasText: 'Could not push' })).toContainText('no remote')
  })

  await test.step('keyboard: ] and [ open the next and previous file; j/k and Enter in the list; / filters', async () => {
    await openDiff(page, 'assets/logo.png')
    await fileRow(page, 'assets/logo.png').focus()
    await page.keyboard.press(']')
    await expect(fileRow(page, 'new-name.txt')).toHaveAttribute('aria-selected', 'true')
    await page.keyboard.press('[')
    await expect(fileRow(page, 'assets/logo.png')).toHaveAttribute('aria-selected', 'true')
    await page.keyboard.press('j')
    await page.keyboard.press('j')
    await expect(fileRow(page, 'obsolete.txt')).toBeFocused()
    await page.keyboard.press('k')
    await expect(fileRow(page, 'new-name.txt')).toBeFocused()
    await page.keyboard.press('Enter')
    await expect(fileRow(page, 'new-name.txt')).toHaveAttribute('aria-selected', 'true')
    await expect(diffPane(page)).toHaveAttribute('aria-label', 'Diff of new-name.txt')
    await page.keyboard.press('/')
    await expect(page.getByLabel('Filter files')).toBeFocused()
    await page.keyboard.type('src')
    await expect(fileList(page).getByRole('option')).toHaveCount(2)
    await page.keyboard.press('Escape')
    await expect(fileList(page).getByRole('option')).toHaveCount(5)
  })

  await test.step('1,500 changed files: the list stays virtualized, filters, and nothing opens past the size guard', async () => {
    for (let i = 0; i < 1500; i++) put(worktree, `gen/module-${String(i).padStart(4, '0')}.ts`, `export const value${i} = ${i}\n`)
    put(worktree, 'gen/huge.txt', Array.from({ length: 50_001 }, (_, i) => `line ${i}`).join('\n') + '\n')
    await expect(page.locator('.changes-summary')).toContainText('1,506 files')
    await expect(page.getByRole('note').filter({ hasText: 'This change set is large' })).toContainText(
      '51,511 changed lines in 1,506 files'
    )
    // After a reload nothing is open yet, and over the guard no diff opens by itself.
    await page.reload()
    await openChangesTab(page)
    await expect(page.locator('.changes-summary')).toContainText('1,506 files')
    await expect(page.getByText('Pick a file to see its diff.', { exact: true })).toBeVisible()
    await expect(diffPane(page)).toHaveCount(0)
    const rendered = await fileList(page).getByRole('option').count()
    expect(rendered).toBeLessThan(100)
    await page.getByLabel('Filter files').fill('module-1499')
    await expect(fileList(page).getByRole('option')).toHaveCount(1)
    await fileRow(page, 'gen/module-1499.ts').click()
    await expectDiffReady(page)
    await page.getByLabel('Filter files').fill('')
    await screenshotBothThemes(page, 'changes-large-set')
  })

  await test.step('a deleted base ref and an archived thread show the core’s message', async () => {
    const client = await connectClient(core)
    try {
      const { threads } = await client.request('thread/list', {})
      const repoId = threads[0].repoId
      await client.request('thread/create', { repoId, title: 'On release', baseRef: 'release' })
    } finally {
      client.dispose()
    }
    execFileSync('git', ['branch', '-D', 'release'], { cwd: repo })
    await page.getByRole('treeitem', { name: /^On release/ }).click()
    await openChangesTab(page)
    await expect(page.getByRole('alert').filter({ hasText: 'The base ref "release" cannot be compared' })).toBeVisible()
    await page.getByRole('button', { name: 'Show uncommitted changes' }).click()
    await expect(page.getByRole('heading', { name: 'No changes yet…' })).toBeVisible()
    await threadMenu(page, 'On release', 'Archive')
    await page.getByRole('treeitem', { name: /^On release/ }).click()
    await openChangesTab(page)
    await expect(page.getByRole('alert').filter({ hasText: 'has no worktree' })).toBeVisible()
  })
})

test('Merge into base: preview, blocked by a local change, confirm, "Merged into main", archive', async ({ page }) => {
  const { repo, worktree } = await setUp(page, 'Merge me')
  await openChangesTab(page)
  commitIn(worktree, 'src/util.ts', 'export function add(a: number, b: number): number {\n  return a + b + 0\n}\n', 'Tidy add')
  const head = commitIn(worktree, 'NOTES.md', '# Notes\n\nMerged by Skein.\n', 'Add notes')
  await expect(fileList(page).getByRole('option')).toHaveCount(2)
  const before = git(repo, 'rev-parse', 'HEAD')

  await test.step("a local change in the person's checkout to a file the merge changes blocks it, listed; nothing changes", async () => {
    put(repo, 'src/util.ts', '// my own edit\n')
    await page.getByRole('button', { name: 'Merge into base…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Merge into main?' })
    await expect(dialog.getByLabel('Merge kind')).toHaveText('Fast-forward · 2 commits · 2 files')
    await expect(dialog.getByRole('list', { name: 'Local changes in the way' })).toHaveText('src/util.ts')
    await expect(dialog.getByRole('button', { name: 'Merge into main' })).toHaveCount(0)
    await screenshotBothThemes(page, 'merge-blocked')
    await dialog.getByRole('button', { name: 'Close', exact: true }).click()
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(before)
    expect(readFileSync(join(repo, 'src/util.ts'), 'utf8')).toBe('// my own edit\n')
    git(repo, 'checkout', '--', 'src/util.ts')
  })

  await test.step('the preview lists commits and files; the focused confirm merges in the checkout', async () => {
    put(repo, 'scratch.txt', 'unrelated and untracked\n')
    await page.getByRole('button', { name: 'Merge into base…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Merge into main?' })
    const confirm = dialog.getByRole('button', { name: 'Merge into main' })
    await expect(confirm).toBeFocused()
    await expect(dialog.getByRole('list', { name: 'Commits' }).getByRole('listitem')).toHaveText([/Add notes$/, /Tidy add$/])
    await expect(dialog.getByRole('list', { name: 'Files' }).getByRole('listitem')).toHaveText(['A NOTES.md +3 −0', 'M src/util.ts +1 −1'])
    await expect(dialog).toContainText(`main is checked out in ${repo}`)
    await screenshotBothThemes(page, 'merge-preview')
    await page.keyboard.press('Enter')
    await expect(dialog).toBeHidden()
    await expect(page.getByRole('status').filter({ hasText: 'Merged into main' })).toBeVisible()
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head)
    expect(readFileSync(join(repo, 'NOTES.md'), 'utf8')).toBe('# Notes\n\nMerged by Skein.\n')
    expect(readFileSync(join(repo, 'scratch.txt'), 'utf8')).toBe('unrelated and untracked\n')
  })

  await test.step('the Changes tab says "Merged into main" and offers to archive', async () => {
    await expect(page.getByRole('heading', { name: 'Merged into main' })).toBeVisible()
    await expect(page.getByRole('heading', { name: 'No changes yet…' })).toHaveCount(0)
    await screenshotBothThemes(page, 'merge-merged')
    await page.getByRole('button', { name: 'Archive thread' }).click()
    await expect(page.getByRole('status').filter({ hasText: 'Archived' })).toBeVisible()
  })
})
