import { expect, test, type Page } from '@playwright/test'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { startModelServer, type ModelServer } from '../test/helpers/model-server'
import {
  commentCards,
  diffPane,
  expectDiffReady,
  fileList,
  makeReviewRepo,
  modifiedLine,
  monacoDiff,
  openChangesTab,
  openDiff,
  put
} from './support/changes-page'
import { git } from './support/ci-page'
import { threadNamed } from './support/core-client'
import { startCore, type CoreProcess } from './support/core-process'
import { openConversationTab, rows, sendMessage } from './support/conversation-page'
import { addRepository, createThread, screenshotBothThemes, threadRow } from './support/skein-page'
import {
  expectPrompt,
  expectTerminalText,
  focusTerminal,
  openTerminalTab,
  prepareTerminalPage,
  runCommand,
  shellEnv,
  terminal
} from './support/terminal-page'

let cores: CoreProcess[] = []
let servers: ModelServer[] = []
test.afterEach(async () => {
  await Promise.all(cores.map((c) => c.stop('SIGKILL')))
  await Promise.all(servers.map((s) => s.close()))
  cores = []
  servers = []
})

/** A core (with a scripted model server) and a worktree thread on a fixture repository. */
async function setUp(page: Page, title: string, reply = 'Done.') {
  const server = await startModelServer({ respond: () => ({ text: reply }), apiKey: 'test-key' })
  servers.push(server)
  const core = await startCore({ env: { ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: 'test-key' } })
  cores.push(core)
  const repo = makeReviewRepo('polish-app')
  await page.goto(core.url)
  await addRepository(page, repo)
  await createThread(page, { via: 'sidebar-button', repo: 'polish-app', title })
  return { core, server, repo, worktree: (await threadNamed(core, title)).worktreePath }
}

test('an added or a deleted file shows only its own lines: no phantom line on the empty side', async ({ page }) => {
  const { worktree } = await setUp(page, 'Drop obsolete')
  rmSync(join(worktree, 'obsolete.txt'))
  put(worktree, 'src/new.ts', 'export const fresh = 1\nexport const fresher = 2\n')
  await openChangesTab(page)
  const shown = (side: 'original' | 'modified', what: string) =>
    monacoDiff(page).locator(`.editor.${side} ${what}`).filter({ visible: true })

  await test.step('deleted: one removed line, nothing added', async () => {
    await openDiff(page, 'obsolete.txt')
    await expectDiffReady(page)
    await expect(monacoDiff(page)).toHaveAttribute('data-empty-side', 'modified')
    await expect(shown('original', '.line-delete')).toHaveCount(1)
    await expect(shown('modified', '.line-insert')).toHaveCount(0)
    await expect(shown('modified', '.line-numbers')).toHaveCount(0)
    await expect(diffPane(page).locator('.change-count')).toHaveText('1 change')
    await screenshotBothThemes(page, 'polish-deleted-file')
  })

  await test.step('added: two added lines (not three), nothing removed, side by side and inline', async () => {
    await openDiff(page, 'src/new.ts')
    await expectDiffReady(page)
    await expect(monacoDiff(page)).toHaveAttribute('data-empty-side', 'original')
    await expect(shown('modified', '.line-insert')).toHaveCount(2)
    await expect(shown('original', '.line-delete')).toHaveCount(0)
    await expect(shown('original', '.line-numbers')).toHaveCount(0)
    await screenshotBothThemes(page, 'polish-added-file')
    await page.getByRole('radio', { name: 'Inline' }).click()
    await expect(monacoDiff(page)).toHaveAttribute('data-layout', 'inline')
    await expect(shown('modified', '.line-insert')).toHaveCount(2)
    await expect(
      monacoDiff(page).locator('.view-zones .line-delete, .inline-deleted-margin-view-zone').filter({ visible: true })
    ).toHaveCount(0)
    await screenshotBothThemes(page, 'polish-added-file-inline')
    await openDiff(page, 'obsolete.txt')
    await expectDiffReady(page)
    await expect(shown('modified', '.line-insert')).toHaveCount(0)
    await screenshotBothThemes(page, 'polish-deleted-file-inline')
  })
})

test('toasts: a repeated error is counted on one toast, sits above the composer, and goes by itself', async ({ page }) => {
  await setUp(page, 'Push it')
  await openChangesTab(page)
  const pushError = page.getByRole('alert').filter({ hasText: 'Could not push' })

  await test.step('four failed pushes make one toast counting four', async () => {
    for (let i = 1; i <= 4; i++) {
      await page.getByRole('button', { name: 'Push', exact: true }).click()
      if (i === 1) await expect(pushError).toContainText('no remote')
      else await expect(pushError.getByLabel(`${i} times`)).toBeVisible()
    }
    await expect(pushError).toHaveCount(1)
    await expect(page.locator('.toast')).toHaveCount(1)
  })

  await test.step('on the Conversation tab it sits above the composer, so Send stays reachable', async () => {
    await openConversationTab(page)
    const composerBox = await page.locator('.composer').boundingBox()
    const toastBox = await pushError.boundingBox()
    expect(composerBox && toastBox).toBeTruthy()
    expect(toastBox!.y + toastBox!.height).toBeLessThanOrEqual(composerBox!.y)
    await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeVisible()
    await screenshotBothThemes(page, 'polish-toast-above-composer')
  })

  await test.step('it goes by itself', async () => {
    await expect(pushError).toHaveCount(0)
    await expect(page.locator('.toast')).toHaveCount(0)
  })
})

test('the Commit dialog focuses its message, suggested from the thread title and the uncommitted files', async ({ page }) => {
  const { worktree } = await setUp(page, 'tune the settings.')
  put(worktree, 'src/app.ts', 'export const setting1 = 100\n')
  put(worktree, 'src/feature.ts', 'export const feature = true\n')
  await openChangesTab(page)
  await expect(fileList(page).getByRole('option')).toHaveCount(2)
  await page.getByRole('group', { name: 'Git actions' }).getByRole('button', { name: 'Commit…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Commit changes' })
  const box = dialog.getByLabel('Commit message')
  await expect(box).toBeFocused()
  await expect(box).toHaveValue('Tune the settings\n\n- Update src/app.ts\n- Add src/feature.ts')
  await expect(dialog).toContainText('2 uncommitted files')
  await screenshotBothThemes(page, 'polish-commit-dialog')
  // The suggestion is selected, so typing replaces it; Ctrl+Enter takes it as it is.
  await expect.poll(() => box.evaluate((el: HTMLTextAreaElement) => [el.selectionStart, el.selectionEnd - el.value.length])).toEqual([0, 0])
  await box.press('ControlOrMeta+Enter')
  await expect(dialog).toBeHidden()
  await expect(page.getByRole('status').filter({ hasText: 'Committed' })).toContainText('Tune the settings')
  expect(git(worktree, 'log', '-1', '--format=%B')).toBe('Tune the settings\n\n- Update src/app.ts\n- Add src/feature.ts')

  await test.step('the branch’s commits are listed under the files; a click shows a commit’s files', async () => {
    const commits = page.getByRole('region', { name: 'Commits on this branch' })
    const sha = git(worktree, 'rev-parse', '--short', 'HEAD')
    await expect(commits.getByRole('button', { name: /Commits/ })).toContainText('1')
    const row = commits.getByRole('button', { name: new RegExp(`^${sha} Tune the settings`) })
    await expect(row).toContainText('now')
    // A commit made outside Skein (the agent in its terminal) shows up once the change set moves.
    put(worktree, 'docs/later.md', '# Later\n')
    git(worktree, 'add', '-A')
    git(worktree, 'commit', '-q', '-m', 'Write the later notes')
    await expect(commits.getByRole('button', { name: /Write the later notes/ })).toBeVisible()
    await expect(commits.getByRole('button', { name: /Commits/ })).toContainText('2')
    await row.click()
    await expect(row).toHaveAttribute('aria-expanded', 'true')
    const files = commits.getByRole('list', { name: 'Files in this commit' })
    await expect(files.getByRole('listitem')).toHaveCount(2)
    await expect(files.getByRole('listitem', { name: 'Modified, src/app.ts, 1 added, 40 deleted' })).toBeVisible()
    await expect(files.getByRole('listitem', { name: 'Added, src/feature.ts, 1 added, 0 deleted' })).toBeVisible()
    await screenshotBothThemes(page, 'polish-commit-list')
  })
})

test('after a comment is saved with Ctrl/⌘+Enter the diff has the focus, so the next Ctrl/⌘+Enter sends the review', async ({ page }) => {
  const { server, worktree } = await setUp(page, 'Review flow')
  put(worktree, 'src/util.ts', 'export function add(a: number, b: number): number {\n  return a + b + 0\n}\n')
  await openChangesTab(page)
  await openDiff(page, 'src/util.ts')
  await expectDiffReady(page)
  const inDiff = () => page.evaluate(() => !!document.activeElement?.closest('.monaco-diff .editor.modified'))

  await test.step('save a comment with the keyboard: focus is back in the diff', async () => {
    await modifiedLine(page, '  return a + b + 0').hover()
    await monacoDiff(page).locator('.editor.modified .comment-glyph').click()
    const box = page.getByRole('textbox', { name: 'Comment on line 2' })
    await expect(box).toBeFocused()
    await box.fill('Why add zero?')
    await box.press('ControlOrMeta+Enter')
    await expect(commentCards(page)).toHaveCount(1)
    await expect.poll(inDiff).toBe(true)
  })

  await test.step('an edit saved with the keyboard gives the focus back too', async () => {
    await commentCards(page).getByRole('button', { name: 'Edit' }).click()
    const edit = page.getByRole('textbox', { name: 'Edit comment on line 2' })
    await edit.fill('Why add zero? Drop it.')
    await edit.press('ControlOrMeta+Enter')
    await expect(commentCards(page)).toContainText('Why add zero? Drop it.')
    await expect.poll(inDiff).toBe(true)
  })

  await test.step('the next Ctrl/⌘+Enter sends the review', async () => {
    const before = server.requests.length
    await page.keyboard.press('ControlOrMeta+Enter')
    await expect(page.getByRole('status').filter({ hasText: 'Sent the review comment to the built-in agent' })).toBeVisible()
    await expect.poll(() => server.requests.slice(before).some((r) => JSON.stringify(r.body).includes('Why add zero? Drop it.'))).toBe(true)
    await expect(commentCards(page).filter({ hasText: 'Sent' })).toHaveCount(1)
  })
})

test('from a focused terminal: Ctrl+N stays the shell’s, the documented app shortcuts reach the app; the theme setting repaints terminal and diff', async ({
  page
}) => {
  const core = await startCore({ env: shellEnv() })
  cores.push(core)
  await prepareTerminalPage(page)
  await page.goto(core.url)
  const repo = makeReviewRepo('term-polish')
  await addRepository(page, repo)
  await createThread(page, { via: 'sidebar-button', repo: 'term-polish', title: 'Keys', profile: 'Shell' })
  await expectPrompt(page)
  const worktree = (await threadNamed(core, 'Keys')).worktreePath
  const newThread = page.getByRole('dialog', { name: 'New thread' })
  const viewTab = (name: string) => page.getByRole('tablist', { name: 'Thread views' }).getByRole('tab', { name: new RegExp(`^${name}`) })

  await test.step('Ctrl+N (Linux) reaches the shell: cat -v shows ^N and no dialog opens', async () => {
    await focusTerminal(page)
    await runCommand(page, 'cat -v')
    await page.keyboard.press('Control+n')
    await page.keyboard.press('Enter')
    await expectTerminalText(page, '^N')
    await expect(newThread).toHaveCount(0)
  })

  await test.step('Ctrl/⌘+Shift+N opens New thread; Esc gives the terminal its focus back', async () => {
    await page.keyboard.press('ControlOrMeta+Shift+N')
    await expect(newThread).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(newThread).toHaveCount(0)
    await expect(terminal(page).locator('textarea.xterm-helper-textarea')).toBeFocused()
  })

  await test.step('Ctrl/⌘+Shift+D opens the Changes tab, and the shell did not get Ctrl+D (cat is still running)', async () => {
    await page.keyboard.press('ControlOrMeta+Shift+D')
    await expect(viewTab('Changes')).toHaveAttribute('aria-selected', 'true')
    await openTerminalTab(page)
    await focusTerminal(page)
    await runCommand(page, 'still-here')
    await expectTerminalText(page, /still-here\s*still-here/)
  })

  await test.step('Ctrl/⌘+0 shows the dashboard', async () => {
    await page.keyboard.press('ControlOrMeta+0')
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()
  })

  await test.step('Settings → Theme: Dark repaints the page, the terminal and the diff at once, and is remembered', async () => {
    await page.emulateMedia({ colorScheme: 'light' })
    await threadRow(page, 'Keys').click()
    await openTerminalTab(page)
    // xterm paints its own background from the theme it was given (the container's CSS would follow by itself).
    const termBg = () =>
      terminal(page)
        .locator('.xterm-scrollable-element')
        .evaluate((el) => getComputedStyle(el).backgroundColor)
    await expect.poll(termBg).toBe('rgb(251, 251, 252)')
    await page.getByRole('navigation', { name: 'Sidebar' }).getByRole('button', { name: 'Settings' }).click()
    const settings = page.getByRole('dialog', { name: 'Settings' })
    await expect(settings.getByRole('radio', { name: 'System' })).toHaveAttribute('aria-checked', 'true')
    await screenshotBothThemes(page, 'polish-settings-theme')
    await settings.getByRole('radio', { name: 'Dark' }).click()
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
    await expect(settings).toContainText('Always dark.')
    await page.keyboard.press('Escape')
    await expect.poll(termBg).toBe('rgb(20, 20, 22)')
    put(worktree, 'src/util.ts', 'export const two = 2\n')
    await openChangesTab(page)
    await openDiff(page, 'src/util.ts')
    await expectDiffReady(page)
    const editorBg = () =>
      monacoDiff(page)
        .locator('.editor.modified .monaco-editor-background')
        .evaluate((el) => getComputedStyle(el).backgroundColor)
    await expect.poll(editorBg).toBe('rgb(25, 25, 28)')
    await page.screenshot({ path: join(__dirname, '..', 'test-results', 'screenshots', 'polish-theme-dark-on-light-os.png') })
    await page.reload()
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
    await page.getByRole('navigation', { name: 'Sidebar' }).getByRole('button', { name: 'Settings' }).click()
    await settings.getByRole('radio', { name: 'Light' }).click()
    await page.keyboard.press('Escape')
    await openChangesTab(page)
    await openDiff(page, 'src/util.ts')
    await expectDiffReady(page)
    await expect.poll(editorBg).toBe('rgb(255, 255, 255)')
    await page.emulateMedia({ colorScheme: 'dark' })
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light') // Light means light, whatever the OS says
    await page.getByRole('navigation', { name: 'Sidebar' }).getByRole('button', { name: 'Settings' }).click()
    await settings.getByRole('radio', { name: 'System' }).click()
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
    await expect(settings).toContainText('Follows your system (dark now).')
  })
})

const TS_CODE = 'const limit: number = 42 // the cap\nexport function clamp(n: number): number {\n  return Math.min(n, limit)\n}'
const PY_CODE = 'def greet(name):\n    return "hi " + name'

test('code blocks in the transcript are highlighted and have a Copy button', async ({ page }) => {
  const reply = `Here is the change:\n\n\`\`\`ts\n${TS_CODE}\n\`\`\`\n\nAnd in Python:\n\n\`\`\`python\n${PY_CODE}\n\`\`\`\n\nA plain block:\n\n\`\`\`\nnpm test\n\`\`\``
  await setUp(page, 'Show code', reply)
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
  await openConversationTab(page)
  await sendMessage(page, 'Show me the clamp function')
  const answer = rows(page, 'assistant').last()
  const blocks = answer.locator('.md-code-block')
  await expect(blocks).toHaveCount(3)

  await test.step('a known language is coloured with Monaco’s grammar; an untagged block stays plain', async () => {
    const ts = blocks.nth(0).locator('pre')
    await expect(ts).toHaveAttribute('data-highlighted', 'true')
    await expect(ts.locator('.tok-keyword').first()).toHaveText('const')
    await expect(ts.locator('.tok-comment')).toHaveText('// the cap')
    await expect(ts.locator('.tok-number').first()).toHaveText('42')
    await expect(ts).toHaveText(TS_CODE) // colouring never changes the text
    const py = blocks.nth(1).locator('pre')
    await expect(py).toHaveAttribute('data-highlighted', 'true')
    await expect(py.locator('.tok-keyword').first()).toHaveText('def')
    await expect.poll(async () => (await py.locator('.tok-string').allTextContents()).join('')).toBe('"hi "')
    await expect(blocks.nth(2).locator('pre')).not.toHaveAttribute('data-highlighted', 'true')
    // Light and dark use different colours for the same token.
    const keywordColour = () =>
      ts
        .locator('.tok-keyword')
        .first()
        .evaluate((el) => getComputedStyle(el).color)
    const light = await keywordColour()
    await page.emulateMedia({ colorScheme: 'dark' })
    await expect.poll(keywordColour).not.toBe(light)
    await page.emulateMedia({ colorScheme: 'light' })
    await screenshotBothThemes(page, 'polish-code-blocks')
  })

  await test.step('Copy puts the block’s exact text on the clipboard', async () => {
    await blocks.nth(0).hover()
    await blocks.nth(0).getByRole('button', { name: 'Copy code' }).click()
    await expect(blocks.nth(0).getByRole('button', { name: 'Copy code' })).toHaveAttribute('title', 'Copied')
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(TS_CODE)
    await blocks.nth(1).getByRole('button', { name: 'Copy code' }).click()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(PY_CODE)
  })
})

test('replies render GitHub markdown (tables, links, quotes, task lists) as elements, never as HTML', async ({ page }) => {
  const reply = [
    '## Findings',
    '',
    '| File | Cause |',
    '| --- | --- |',
    '| `auth.ts` | **expired** token |',
    '| `db.ts` | ~~pool~~ retry |',
    '',
    '> The retry hides the real error.',
    '',
    '- [x] reproduce',
    '- [ ] fix',
    '',
    'See [the docs](https://example.com/docs) and [this](javascript:alert(1)).',
    'Second line of the same paragraph.',
    '',
    '<img src="x" onerror="window.__pwned = 1"><script>window.__pwned = 2</script>',
    '',
    '![diagram](https://example.com/d.png)'
  ].join('\n')
  await setUp(page, 'Markdown reply', reply)
  await openConversationTab(page)
  await sendMessage(page, 'What did you find?')
  const answer = rows(page, 'assistant').last()
  await expect(answer.getByRole('heading', { name: 'Findings' })).toBeVisible()
  const table = answer.getByRole('table')
  await expect(table.getByRole('row')).toHaveCount(3)
  await expect(table.getByRole('columnheader')).toHaveText(['File', 'Cause'])
  await expect(table.getByRole('row').nth(1).getByRole('cell')).toHaveText(['auth.ts', 'expired token'])
  await expect(table.locator('strong')).toHaveText('expired')
  await expect(table.locator('del')).toHaveText('pool')
  await expect(answer.locator('blockquote')).toHaveText('The retry hides the real error.')
  await expect(answer.getByRole('checkbox')).toHaveCount(2)
  await expect(answer.getByRole('checkbox').first()).toBeChecked()
  const docs = answer.getByRole('link', { name: 'the docs' })
  await expect(docs).toHaveAttribute('href', 'https://example.com/docs')
  await expect(docs).toHaveAttribute('target', '_blank')
  // A javascript: link loses its target; the image stays a link, so nothing remote loads.
  expect(await answer.getByRole('link', { name: 'this' }).getAttribute('href')).not.toContain('javascript')
  await expect(answer.locator('img')).toHaveCount(0)
  await expect(answer.getByRole('link', { name: 'diagram' })).toHaveAttribute('href', 'https://example.com/d.png')
  // Raw HTML is dropped, not run.
  await expect(answer.locator('script')).toHaveCount(0)
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined()
  // A single line break inside a paragraph is kept.
  const para = answer.locator('p', { hasText: 'See the docs' })
  expect((await para.boundingBox())!.height).toBeGreaterThan(28)
  await screenshotBothThemes(page, 'polish-markdown')
})
