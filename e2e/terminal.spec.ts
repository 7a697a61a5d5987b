import { expect, test } from '@playwright/test'
import { rmSync } from 'node:fs'
import { startCore, type CoreProcess } from './support/core-process'
import { makeGitRepo } from './support/git-repo'
import { addRepository, createThread, openNewThreadDialog, repoRow, screenshotBothThemes, threadRow } from './support/skein-page'
import {
  clickNotification,
  expectPrompt,
  expectTerminalText,
  focusTerminal,
  openTerminalTab,
  prepareTerminalPage,
  runCommand,
  shellEnv,
  shownNotifications,
  terminal,
  terminalTabs
} from './support/terminal-page'

let core: CoreProcess | null = null
test.afterEach(async () => {
  await core?.stop('SIGKILL')
  core = null
})

const rowLabel = (page: import('@playwright/test').Page, title: string) => threadRow(page, title)

test('shell sessions: type, interrupt a flood, more shells, state across thread switches, activity and unread', async ({ page }) => {
  const repo = makeGitRepo('term-app')
  core = await startCore({ env: shellEnv() })
  await prepareTerminalPage(page)
  await page.goto(core.url)
  await addRepository(page, repo)

  await test.step('the new-thread dialog offers the agents; missing CLIs are disabled with an install hint', async () => {
    const dialog = await openNewThreadDialog(page, 'shortcut')
    const agent = dialog.getByLabel('Agent', { exact: true })
    await expect(agent).toHaveValue('builtin')
    await expect(agent.locator('option', { hasText: 'Just a shell' })).toBeEnabled()
    await expect(agent.locator('option', { hasText: /^Claude Code/ })).toBeDisabled()
    await dialog.getByText('Claude Code and Codex are not available here').click()
    await expect(dialog.getByText(/npm install -g @anthropic-ai\/claude-code/)).toBeVisible()
    await agent.selectOption({ label: 'Just a shell' })
    // A shell takes no prompt: text meant for an agent is never typed into bash; the box only names the thread.
    await expect(dialog.getByRole('textbox', { name: 'Prompt' })).toHaveAttribute('placeholder', /nothing is typed into the shell/)
    await expect(dialog.getByLabel('Title', { exact: true })).toHaveAttribute('placeholder', 'Shell')
    await expect(dialog.getByText('No agent yet')).toHaveCount(0)
    await screenshotBothThemes(page, 'new-thread-dialog-profiles')
    await page.keyboard.press('Escape')
    await expect(dialog).toBeHidden()
  })

  await test.step('create a thread with the Shell profile: it opens on its Terminal tab', async () => {
    await createThread(page, { via: 'shortcut', repo: 'term-app', title: 'Shell thread A', profile: 'Shell' })
    await expect(page.getByRole('tablist', { name: 'Thread views' }).getByRole('tab', { name: 'Terminal' })).toHaveAttribute(
      'aria-selected',
      'true'
    )
    await expect(terminalTabs(page).getByRole('tab', { name: 'Shell' })).toHaveAttribute('aria-selected', 'true')
    await expectPrompt(page)
  })

  await test.step('type a command and see its output', async () => {
    await focusTerminal(page)
    await runCommand(page, 'echo hello-$((6*7))')
    await expectTerminalText(page, 'hello-42')
  })

  await test.step('a quiet shell prompt shows as "Idle" (a shell never waits for input) in the sidebar', async () => {
    await expect(rowLabel(page, 'Shell thread A')).toHaveAttribute('aria-label', /\(Idle\)/)
  })

  await test.step('a flood of output shows "Running"; Ctrl+C stops it and the prompt comes back quickly', async () => {
    await runCommand(page, 'yes')
    await expect(rowLabel(page, 'Shell thread A')).toHaveAttribute('aria-label', /Running/)
    await expectTerminalText(page, 'yyyyyyyy') // rows of "y" (the text is read without line breaks)
    // How quickly the prompt comes back is a timing figure: bench/pty-latency.ts and bench/xterm-clients.ts.
    await page.keyboard.press('Control+c')
    await runCommand(page, 'echo after-$((40+2))')
    await expectTerminalText(page, 'after-42')
  })

  await test.step('open a second shell with the + button and use it', async () => {
    await terminalTabs(page).locator('..').getByRole('button', { name: 'New shell' }).click()
    const second = terminalTabs(page).getByRole('tab', { name: 'Terminal 1' })
    await expect(second).toHaveAttribute('aria-selected', 'true')
    await expect(terminal(page).locator('textarea.xterm-helper-textarea')).toBeFocused()
    await expectPrompt(page)
    await runCommand(page, 'echo second-$((1+1))')
    await expectTerminalText(page, 'second-2')
  })

  await test.step('a second thread without an agent offers the profile picker; Start runs the shell', async () => {
    await createThread(page, { via: 'sidebar-button', repo: 'term-app', title: 'Shell thread B' })
    await openTerminalTab(page)
    const start = page.getByRole('form', { name: 'Start an agent session' })
    await expect(start).toBeVisible()
    await expect(start.getByRole('radio', { name: /^Claude Code/ })).toBeDisabled()
    await start.getByRole('radio', { name: /^Shell/ }).check()
    await start.getByRole('button', { name: 'Start' }).click()
    await expect(terminalTabs(page).getByRole('tab', { name: 'Shell' })).toHaveAttribute('aria-selected', 'true')
    await expectPrompt(page)
    await focusTerminal(page)
    await runCommand(page, 'echo in-$((2+3))b')
    await expectTerminalText(page, 'in-5b')
  })

  await test.step('switching back to the first thread keeps its terminals and their output', async () => {
    await rowLabel(page, 'Shell thread A').click()
    await expect(terminalTabs(page).getByRole('tab', { name: 'Terminal 1' })).toHaveAttribute('aria-selected', 'true')
    await expectTerminalText(page, 'second-2')
    await terminalTabs(page).getByRole('tab', { name: 'Shell' }).click()
    await expectTerminalText(page, 'after-42') // hello-42 went out of the bounded scrollback under the flood
  })

  await test.step('Ctrl+F finds text in the terminal; Escape closes the find bar', async () => {
    await focusTerminal(page)
    await page.keyboard.press('ControlOrMeta+f')
    const find = page.getByRole('search', { name: 'Find in terminal' })
    await expect(find).toBeVisible()
    await find.getByRole('textbox').fill('after-42')
    await expect(find).toContainText('1 of 1')
    await page.keyboard.press('Escape')
    await expect(find).toBeHidden()
  })

  await test.step('Ctrl+V pastes, the context menu pastes, a selection is copied with Ctrl+C', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
    await page.evaluate(() => navigator.clipboard.writeText('echo pasted-$((5*5))'))
    await focusTerminal(page)
    await page.keyboard.press('ControlOrMeta+v')
    await page.keyboard.press('Enter')
    await expectTerminalText(page, 'pasted-25')
    await page.evaluate(() => navigator.clipboard.writeText('echo menu-$((7*7))'))
    await terminal(page)
      .locator('.xterm-screen')
      .click({ button: 'right', position: { x: 80, y: 30 } })
    await page.getByRole('menu', { name: 'Terminal' }).getByRole('menuitem', { name: 'Paste' }).click()
    await page.keyboard.press('Enter')
    await expectTerminalText(page, 'menu-49')
    // Double-click the word where it is drawn (xterm's screen layer takes the mouse, not the row text).
    const box = await terminal(page)
      .locator('.xterm-rows > div', { hasText: /^menu-49$/ })
      .last()
      .boundingBox()
    if (!box) throw new Error('menu-49 is not on screen')
    await page.mouse.dblclick(box.x + 12, box.y + box.height / 2)
    await page.keyboard.press('ControlOrMeta+c')
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('menu-49')
  })

  await test.step('the context menu offers Copy, Paste, Clear and Find', async () => {
    await terminal(page)
      .locator('.xterm-screen')
      .click({ button: 'right', position: { x: 80, y: 30 } })
    const menu = page.getByRole('menu', { name: 'Terminal' })
    await expect(menu).toBeVisible()
    for (const item of ['Copy', 'Paste', 'Clear', 'Find…']) await expect(menu.getByRole('menuitem', { name: item })).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(menu).toBeHidden()
  })

  await test.step('screenshot the terminal tab', async () => {
    await screenshotBothThemes(page, 'terminal-tab')
  })

  await test.step('a thread whose agent exits while another thread is viewed becomes unread, with a notification', async () => {
    await focusTerminal(page)
    await runCommand(page, 'sleep 2; exit 3')
    await rowLabel(page, 'Shell thread B').click()
    await expect(page.getByRole('heading', { level: 1, name: 'Shell thread B' })).toBeVisible()
    const rowA = rowLabel(page, 'Shell thread A')
    await expect(rowA).toHaveAttribute('aria-label', 'Shell thread A (Exited 3, unread)')
    await expect(rowA.locator('.badge')).toHaveText('Exited 3')
    // The OS notification (tagged with the thread, so a later one replaces an earlier one) ends on the exit.
    const tagA = await rowA.getAttribute('data-thread-id')
    await expect
      .poll(async () => (await shownNotifications(page)).filter((n) => n.tag === tagA).pop())
      .toEqual({ title: 'Shell thread A', body: 'Exited with code 3', tag: tagA })
  })

  await test.step('a new shell session starts at its prompt, with nothing typed into it, and is Idle', async () => {
    await createThread(page, { via: 'shortcut', repo: 'term-app', title: 'Shell thread C', profile: 'Shell' })
    await expectPrompt(page)
    await expect(rowLabel(page, 'Shell thread C')).toHaveAttribute('aria-label', /\(Idle\)/)
  })

  await test.step('sidebar and dashboard show activity: running, idle, exited and unread', async () => {
    await rowLabel(page, 'Shell thread B').click()
    await focusTerminal(page)
    await runCommand(page, 'while true; do echo tick; sleep 0.3; done')
    await expect(rowLabel(page, 'Shell thread B')).toHaveAttribute('aria-label', /Running/)
    await expect(rowLabel(page, 'Shell thread C')).toHaveAttribute('aria-label', /\(Idle\)/)
    await expect(rowLabel(page, 'Shell thread A')).toHaveAttribute('aria-label', 'Shell thread A (Exited 3, unread)')
    await screenshotBothThemes(page, 'sidebar-activity')
    // Ctrl/⌘+0 skips the shell (no shell binds it), so the dashboard opens from a focused terminal.
    await page.keyboard.press('ControlOrMeta+0')
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible()
    const cards = page.getByRole('list', { name: 'Threads' })
    await expect(cards.getByRole('listitem', { name: 'Shell thread A (unread)' })).toBeVisible()
    await expect(page.locator('.thread-card').filter({ hasText: 'Shell thread A' }).locator('.badge')).toHaveText('Exited 3')
    await expect(page.locator('.thread-card').filter({ hasText: 'Shell thread B' }).locator('.badge')).toHaveText('Running')
    await screenshotBothThemes(page, 'dashboard-activity')
    await rowLabel(page, 'Shell thread B').click()
    await focusTerminal(page)
    await page.keyboard.press('Control+c')
  })

  await test.step('clicking the notification opens the thread on its terminal and marks it read', async () => {
    const threadA = await rowLabel(page, 'Shell thread A').getAttribute('data-thread-id')
    await clickNotification(page, threadA ?? '')
    await expect(page.getByRole('heading', { level: 1, name: 'Shell thread A' })).toBeVisible()
    await expect(rowLabel(page, 'Shell thread A')).toHaveAttribute('aria-label', 'Shell thread A (Exited 3)')
    await terminalTabs(page)
      .getByRole('tab', { name: /^Shell/ })
      .click()
    await expect(terminalTabs(page).getByRole('tab', { name: 'Shell, exited 3' })).toBeVisible()
    await expect(page.getByRole('status').filter({ hasText: 'exited with code 3' })).toBeVisible()
    await expectTerminalText(page, 'session ended (exit code 3)')
  })

  await test.step('Ctrl+` focuses the terminal, Ctrl+Shift+` opens another shell', async () => {
    await page.getByRole('tablist', { name: 'Thread views' }).getByRole('tab', { name: 'Overview' }).click()
    await page.keyboard.press('Control+Backquote')
    await expect(page.getByRole('tablist', { name: 'Thread views' }).getByRole('tab', { name: 'Terminal' })).toHaveAttribute(
      'aria-selected',
      'true'
    )
    await expect(terminal(page).locator('textarea.xterm-helper-textarea')).toBeFocused()
    await page.keyboard.press('Control+Shift+Backquote')
    await expect(terminalTabs(page).getByRole('tab', { name: 'Terminal 2' })).toHaveAttribute('aria-selected', 'true')
    await expect(terminal(page).locator('textarea.xterm-helper-textarea')).toBeFocused()
    await expectPrompt(page)
    await runCommand(page, 'echo third-$((3*1))')
    await expectTerminalText(page, 'third-3')
  })
})

test('WebGL is held only by visible terminals; the least recently used are evicted and replay their scrollback', async ({ page }) => {
  const repo = makeGitRepo('pool-app')
  core = await startCore({ env: shellEnv() })
  await prepareTerminalPage(page, { domRenderer: false })
  const warnings: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'warning' || m.type() === 'error') warnings.push(m.text())
  })
  await page.goto(core.url)
  await addRepository(page, repo)
  await createThread(page, { via: 'shortcut', repo: 'pool-app', title: 'Many shells', profile: 'Shell' })

  // The WebGL renderer leaves no text in the DOM, so the search is how we see output arrive: it
  // searches once per query, so search again until the output is in the buffer.
  const find = async (text: string, expected: string) => {
    await focusTerminal(page)
    await page.keyboard.press('ControlOrMeta+f')
    const bar = page.getByRole('search', { name: 'Find in terminal' })
    await expect(async () => {
      await bar.getByRole('textbox').fill('')
      await bar.getByRole('textbox').fill(text)
      await expect(bar).toContainText(expected, { timeout: 1000 })
    }).toPass()
    await page.keyboard.press('Escape')
    await expect(bar).toBeHidden()
  }

  await test.step('the visible terminal renders with WebGL', async () => {
    await expect(terminal(page).locator('.xterm-screen canvas').first()).toBeAttached()
    await focusTerminal(page)
    await runCommand(page, 'echo mark-$((10+1))')
    await expect.poll(() => page.evaluate(() => document.querySelectorAll('.terminal-view canvas').length)).toBeGreaterThan(0)
    await find('mark-11', '1 of 1')
  })

  await test.step('25 more shells, one after another: no WebGL context is ever lost', async () => {
    const newShell = page.getByRole('button', { name: 'New shell' })
    for (let i = 1; i <= 25; i++) {
      await newShell.click()
      await expect(terminalTabs(page).getByRole('tab', { name: `Terminal ${i}`, exact: true })).toHaveAttribute('aria-selected', 'true')
      await expect(terminal(page).locator('.xterm-screen canvas').first()).toBeAttached()
    }
    expect(warnings.filter((w) => /Too many active WebGL contexts|context lost|CONTEXT_LOST/i.test(w))).toEqual([])
  })

  await test.step('the first shell was evicted from the pool; showing it again replays its scrollback', async () => {
    await terminalTabs(page).getByRole('tab', { name: 'Shell', exact: true }).click()
    await expect(terminalTabs(page).getByRole('tab', { name: 'Shell', exact: true })).toHaveAttribute('aria-selected', 'true')
    await find('mark-11', '1 of 1')
    await focusTerminal(page)
    await runCommand(page, 'echo again-$((6+6))')
    await find('again-12', '1 of 1')
  })
})

test('agent settings, a custom command that exits, closing tabs, errors in the terminal area, and sessions ended by a restart', async ({
  page
}) => {
  const repo = makeGitRepo('custom-app')
  core = await startCore({ env: shellEnv() })
  await prepareTerminalPage(page)
  await page.goto(core.url)
  await addRepository(page, repo)

  await test.step('agent settings from the repository menu: a custom command for this repository', async () => {
    await repoRow(page, 'custom-app').click({ button: 'right' })
    await page.getByRole('menu').getByRole('menuitem', { name: 'Agent settings…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Agent settings' })
    await expect(dialog.getByRole('radio', { name: /custom-app/ })).toBeChecked()
    await expect(dialog.getByLabel('Default agent')).toHaveValue('shell')
    // Runs for a moment: a command that exits at once can leave the thread "Running" (a core race, reported).
    await dialog.getByLabel('Custom command').fill("/bin/sh -c 'echo custom-ready; sleep 0.5'")
    await screenshotBothThemes(page, 'agent-settings-dialog')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await expect(dialog).toBeHidden()
  })

  await test.step('the Custom profile is now offered; a thread started with it shows its output and exit', async () => {
    const dialog = await openNewThreadDialog(page, 'shortcut')
    await expect(dialog.getByLabel('Agent', { exact: true }).locator('option', { hasText: /^Custom$/ })).toBeEnabled()
    await dialog.getByLabel('Agent', { exact: true }).selectOption({ label: 'Custom' })
    await expect(dialog.locator('.nt-note', { hasText: 'custom-ready' })).toBeVisible()
    await page.keyboard.press('Escape')
    await createThread(page, { via: 'shortcut', repo: 'custom-app', title: 'Custom thread', profile: 'Custom' })
    await expect(terminalTabs(page).getByRole('tab', { name: 'Custom, exited 0' })).toHaveAttribute('aria-selected', 'true')
    await expectTerminalText(page, 'custom-ready')
    await expectTerminalText(page, 'session ended (exit code 0)')
    await expect(page.getByRole('status').filter({ hasText: 'The process exited with code 0.' })).toBeVisible()
    await expect(threadRow(page, 'Custom thread')).toHaveAttribute('aria-label', 'Custom thread (Exited 0)')
  })

  await test.step('"Start again" runs the profile anew; an ended tab closes without asking', async () => {
    await page.getByRole('status').getByRole('button', { name: 'Start again' }).click()
    await expect(terminalTabs(page).getByRole('tab', { name: 'Custom 2, exited 0' })).toHaveAttribute('aria-selected', 'true')
    await terminalTabs(page).getByRole('button', { name: 'Close Custom 2' }).click()
    await expect(terminalTabs(page).getByRole('tab', { name: /^Custom 2/ })).toHaveCount(0)
    await expect(terminalTabs(page).getByRole('tab', { name: 'Custom, exited 0' })).toBeVisible()
  })

  await test.step('closing a running shell asks first', async () => {
    await page.getByRole('button', { name: 'New shell' }).click()
    await expect(terminalTabs(page).getByRole('tab', { name: 'Terminal 1' })).toHaveAttribute('aria-selected', 'true')
    await expectPrompt(page)
    await terminalTabs(page).getByRole('button', { name: 'Close Terminal 1' }).click()
    const confirm = page.getByRole('alertdialog', { name: 'Close Terminal 1?' })
    await expect(confirm).toContainText('is still running')
    await confirm.getByRole('button', { name: 'Close terminal' }).click()
    await expect(confirm).toBeHidden()
    await expect(terminalTabs(page).getByRole('tab', { name: 'Terminal 1' })).toHaveCount(0)
  })

  await test.step("a failure to start is shown in the terminal area with the core's message", async () => {
    await createThread(page, { via: 'shortcut', repo: 'custom-app', title: 'Broken thread' })
    const worktree = await page.locator('.thread-meta .path-text').textContent()
    rmSync(worktree ?? '', { recursive: true, force: true })
    await openTerminalTab(page)
    const start = page.getByRole('form', { name: 'Start an agent session' })
    await start.getByRole('radio', { name: /^Shell/ }).check()
    await start.getByRole('button', { name: 'Start' }).click()
    const error = page.locator('.terminal-panel').getByRole('alert')
    await expect(error).toContainText(/does not exist|no worktree/)
    await screenshotBothThemes(page, 'terminal-start-error')
    await error.getByRole('button', { name: 'Dismiss error' }).click()
    await expect(error).toBeHidden()
  })

  await test.step('sessions that a restart of Skein ended are shown as such, with their output', async () => {
    await createThread(page, { via: 'shortcut', repo: 'custom-app', title: 'Restarted thread', profile: 'Shell' })
    await expectPrompt(page)
    await focusTerminal(page)
    await runCommand(page, 'echo before-$((50+50))')
    await expectTerminalText(page, 'before-100')
    const { home, port, token } = core!
    await core!.stop('SIGTERM')
    await expect(page.getByRole('alert').filter({ hasText: 'Disconnected from the Skein core' })).toBeVisible()
    core = await startCore({ home, port, token, env: shellEnv() })
    await expect(page.getByText('Disconnected from the Skein core')).toBeHidden()
    await expect(terminalTabs(page).getByRole('tab', { name: 'Shell, ended' })).toBeVisible()
    await expectTerminalText(page, 'before-100')
    await expectTerminalText(page, 'session ended when Skein quit')
    await expect(page.getByRole('status').filter({ hasText: 'This session ended when Skein quit' })).toBeVisible()
    await screenshotBothThemes(page, 'terminal-ended-by-restart')
  })
})
