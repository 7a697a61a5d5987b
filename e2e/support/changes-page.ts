import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { expect, type Locator, type Page } from '@playwright/test'

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'E2E',
      GIT_AUTHOR_EMAIL: 'e2e@example.com',
      GIT_COMMITTER_NAME: 'E2E',
      GIT_COMMITTER_EMAIL: 'e2e@example.com'
    }
  })

/** The 40 lines of src/app.ts on main: numbered, so a test can find and change any one. */
export const APP_LINES = Array.from({ length: 40 }, (_, i) => `export const setting${i + 1} = ${i + 1}`)

/** Writes a file (making its folders) under a root. */
export function put(root: string, path: string, content: string | Buffer): void {
  mkdirSync(dirname(join(root, path)), { recursive: true })
  writeFileSync(join(root, path), content)
}

/** A repository on `main` with files to edit, delete and rename: src/app.ts, src/util.ts, docs/guide.md, old-name.txt, obsolete.txt. */
export function makeReviewRepo(name: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'skein-e2e-repo-')), name)
  mkdirSync(path)
  git(path, 'init', '-q', '-b', 'main')
  put(path, 'README.md', `# ${name}\n`)
  put(path, 'src/app.ts', `${APP_LINES.join('\n')}\n`)
  put(path, 'src/util.ts', 'export function add(a: number, b: number): number {\n  return a + b\n}\n')
  put(path, 'docs/guide.md', '# Guide\n\nStart here.\n')
  put(path, 'old-name.txt', Array.from({ length: 12 }, (_, i) => `a line of the file to rename, number ${i + 1}`).join('\n') + '\n')
  put(path, 'obsolete.txt', 'nobody needs this any more\n')
  git(path, 'add', '-A')
  git(path, 'commit', '-q', '-m', 'Initial commit')
  return path
}

/** The thread view's Changes tab button. */
export const changesTabButton = (page: Page): Locator =>
  page.getByRole('tablist', { name: 'Thread views' }).getByRole('tab', { name: /^Changes/ })

/** Opens the Changes tab with a click. */
export async function openChangesTab(page: Page): Promise<void> {
  await changesTabButton(page).click()
  await expect(changesTabButton(page)).toHaveAttribute('aria-selected', 'true')
}

/** The list of changed files. */
export const fileList = (page: Page): Locator => page.getByRole('listbox', { name: 'Changed files' })

/** The row of one changed file, by its path. */
export const fileRow = (page: Page, path: string): Locator => fileList(page).locator(`[role="option"][data-path="${path}"]`)

/** The diff pane of the open file. */
export const diffPane = (page: Page): Locator => page.getByRole('region', { name: /^Diff of / })

/** The Monaco diff of the open file (its data-diff-ready turns "true" once the diff is computed). */
export const monacoDiff = (page: Page): Locator => page.locator('.monaco-diff')

/** The modified (right-hand, file on disk) editor's lines. */
export const modifiedLines = (page: Page): Locator => monacoDiff(page).locator('.editor.modified .view-lines')

/** One rendered line of the modified side, by its text (Monaco renders spaces as no-break spaces). */
export const modifiedLine = (page: Page, text: string): Locator =>
  modifiedLines(page)
    .locator('.view-line')
    .filter({ hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '[ \u00a0]')}$`) })

/** Opens a file's diff by clicking its row and waits for Monaco to show the computed diff. */
export async function openDiff(page: Page, path: string): Promise<void> {
  await fileRow(page, path).click()
  await expect(fileRow(page, path)).toHaveAttribute('aria-selected', 'true')
  await expect(diffPane(page)).toHaveAttribute('aria-label', `Diff of ${path}`)
}

/** Waits until the open text diff is computed and has changes. */
export async function expectDiffReady(page: Page): Promise<void> {
  await expect(monacoDiff(page)).toHaveAttribute('data-diff-ready', 'true')
  await expect(monacoDiff(page)).not.toHaveAttribute('data-changes', '0')
}

/** The comment cards shown in the diff (inside Monaco's zones). */
export const commentCards = (page: Page): Locator => monacoDiff(page).locator('article.comment-card')

/**
 * Collects Content-Security-Policy violations (the page's securitypolicyviolation events and the console's
 * reports), and Monaco's warning that its worker could not start (diffs would then block the main thread).
 */
export async function recordCspViolations(page: Page): Promise<string[]> {
  const violations: string[] = []
  await page.exposeFunction('__skeinCspViolation', (text: string) => {
    violations.push(text)
  })
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      ;(window as unknown as { __skeinCspViolation: (t: string) => void }).__skeinCspViolation(
        `${e.violatedDirective} blocked ${e.blockedURI || 'inline code'} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`
      )
    })
  })
  page.on('console', (m) => {
    if (/Content Security Policy|Could not create web worker/i.test(m.text())) violations.push(m.text())
  })
  return violations
}
