import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, type Locator, type Page } from '@playwright/test'
import { makeUserHome } from '../../test/helpers/isolated-env'

/**
 * The environment for a core whose shells are predictable: bash, with a fresh HOME whose
 * .bash_profile sets a short prompt and no history file (the machine's own rc files stay out).
 */
export function shellEnv(): Record<string, string> {
  const home = makeUserHome()
  writeFileSync(join(home, '.bash_profile'), "PS1='[\\W]\\$ '\nexport HISTFILE=/dev/null\n")
  return { SHELL: '/bin/bash', HOME: home }
}

/**
 * Makes terminals render with xterm's DOM renderer, so their text can be read from the page, and
 * records OS notifications instead of showing them (permission granted).
 */
export async function prepareTerminalPage(page: Page, o: { domRenderer?: boolean } = {}): Promise<void> {
  await page.addInitScript((dom) => {
    if (dom) localStorage.setItem('skein.terminal.renderer', 'dom')
    else localStorage.removeItem('skein.terminal.renderer')
    const shown: Array<{ title: string; body?: string; tag?: string; instance: unknown }> = []
    ;(window as unknown as { __notifications: typeof shown }).__notifications = shown
    class RecordedNotification {
      static permission = 'granted'
      static requestPermission = async () => 'granted'
      onclick: (() => void) | null = null
      constructor(title: string, options: { body?: string; tag?: string } = {}) {
        shown.push({ title, body: options.body, tag: options.tag, instance: this })
      }
      close(): void {}
    }
    ;(window as unknown as { Notification: unknown }).Notification = RecordedNotification
  }, o.domRenderer ?? true)
}

/** The notifications the page showed so far: title and body. */
export async function shownNotifications(page: Page): Promise<Array<{ title: string; body?: string; tag?: string }>> {
  return page.evaluate(() =>
    (window as unknown as { __notifications: Array<{ title: string; body?: string; tag?: string }> }).__notifications.map(
      ({ title, body, tag }) => ({ title, body, tag })
    )
  )
}

/** Clicks the notification the page showed for a thread (as the OS would on a click). */
export async function clickNotification(page: Page, tag: string): Promise<void> {
  await page.evaluate((t) => {
    const list = (window as unknown as { __notifications: Array<{ tag?: string; instance: { onclick: (() => void) | null } }> })
      .__notifications
    list.find((n) => n.tag === t)?.instance.onclick?.()
  }, tag)
}

/** The visible terminal (xterm) area of the open thread. */
export const terminal = (page: Page): Locator => page.locator('.terminal-view')

/** The strip of terminal tabs. */
export const terminalTabs = (page: Page): Locator => page.getByRole('tablist', { name: 'Terminals' })

/** The text the visible terminal shows (DOM renderer rows). */
export async function terminalText(page: Page): Promise<string> {
  return terminal(page).locator('.xterm-rows').innerText()
}

/** Waits until the visible terminal shows `text` (a string or pattern). */
export async function expectTerminalText(page: Page, text: string | RegExp): Promise<void> {
  await expect(terminal(page).locator('.xterm-rows')).toContainText(text)
}

/** Focuses the visible terminal by clicking it, the way a person would. */
export async function focusTerminal(page: Page): Promise<void> {
  await terminal(page)
    .locator('.xterm-screen')
    .click({ position: { x: 40, y: 10 } })
  await expect(terminal(page).locator('textarea.xterm-helper-textarea')).toBeFocused()
}

/** Types a command line into the focused terminal and presses Enter. */
export async function runCommand(page: Page, command: string): Promise<void> {
  await page.keyboard.type(command, { delay: 5 })
  await page.keyboard.press('Enter')
}

/** Opens a thread's Terminal tab. */
export async function openTerminalTab(page: Page): Promise<void> {
  const tab = page.getByRole('tablist', { name: 'Thread views' }).getByRole('tab', { name: 'Terminal' })
  await tab.click()
  await expect(tab).toHaveAttribute('aria-selected', 'true')
}

/** Waits until the visible terminal shows a shell prompt (`[folder]$ ` or `[folder]# `). */
export async function expectPrompt(page: Page): Promise<void> {
  await expectTerminalText(page, /\[[\w.-]+\][$#]/)
}
