import { expect, test } from '@playwright/test'
import { startCore, type CoreProcess } from './support/core-process'

let core: CoreProcess | null = null
test.afterEach(async () => {
  await core?.stop('SIGKILL')
  core = null
})

test('the served UI runs under the strict CSP: injected scripts and inline handlers are blocked, the app itself is not', async ({
  page
}) => {
  core = await startCore()
  const violations: string[] = []
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text())
  })
  await page.goto(core.url)
  await expect(page.getByRole('navigation', { name: 'Sidebar' })).toBeVisible()
  expect(violations).toEqual([]) // the app's own code needs nothing the policy forbids

  await page.addScriptTag({ content: 'window.__injected = true' }).catch(() => undefined)
  expect(await page.evaluate('window.__injected === true')).toBe(false)
  // An inline event handler, as an HTML injection would plant, must not run either.
  const handlerRan = await page.evaluate(`(() => {
    const d = document.createElement('div')
    d.setAttribute('onclick', 'window.__clicked = true')
    document.body.appendChild(d)
    d.click()
    d.remove()
    return window.__clicked === true
  })()`)
  expect(handlerRan).toBe(false)
  expect(violations.length).toBeGreaterThan(0)
})

test('a page without the token is refused, and a tab with the session cookie reaches the core', async ({ page, request }) => {
  core = await startCore()
  const bare = `http://127.0.0.1:${core.port}/`
  const refused = await request.get(bare, { headers: { Cookie: '' } })
  expect(refused.status()).toBe(401)
  expect(await refused.text()).toContain('needs the token')

  await page.goto(core.url)
  await expect(page.getByRole('navigation', { name: 'Sidebar' })).toBeVisible()
  // A second tab opened on the bare address is authorised by the cookie the first visit set.
  const tab = await page.context().newPage()
  await tab.goto(bare)
  await expect(tab.getByRole('navigation', { name: 'Sidebar' }).getByText('Add a repository to get started')).toBeVisible()
  await expect(tab.getByRole('alert').filter({ hasText: 'Disconnected' })).toHaveCount(0)
})
