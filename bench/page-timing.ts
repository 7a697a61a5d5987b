// Timing inside the page: when an element was first painted, and when the last click landed.
// Playwright's own waiting polls at growing intervals (up to hundreds of ms), so "click, then waitFor"
// measures the harness as much as the app; these marks are taken by the page itself, in epoch ms.
// Page code is passed as source text: tsx's helpers would not exist inside the page.
import type { Page } from 'playwright-core'

/** An element to time: the first match of `selector` whose text contains `text` (when given). */
export interface Watched {
  name: string
  selector: string
  text?: string
}

const RECORDER = `(() => {
  const b = (window.__bench = { seen: {}, clicks: [], watch: WATCHED })
  const now = () => performance.timeOrigin + performance.now()
  // After the frame that shows it: a rAF, then a task (the paint happens between the two).
  const painted = (name) => {
    b.seen[name] = -1
    requestAnimationFrame(() => {
      const ch = new MessageChannel()
      ch.port1.onmessage = () => (b.seen[name] = now())
      ch.port2.postMessage(0)
    })
  }
  b.check = () => {
    for (const x of b.watch) {
      if (x.name in b.seen) continue
      for (const el of document.querySelectorAll(x.selector)) {
        if (!x.text || (el.textContent || '').includes(x.text)) {
          painted(x.name)
          break
        }
      }
    }
  }
  new MutationObserver(b.check).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-path', 'data-thread-id'] })
  document.addEventListener('pointerdown', () => b.clicks.push(now()), true)
})()`

/** Records, from the first script of every page load, when each watched element is first painted and when clicks land. */
export async function recordAppearances(page: Page, watched: Watched[]): Promise<void> {
  await page.addInitScript({ content: RECORDER.replace('WATCHED', JSON.stringify(watched)) })
}

/** Starts timing more elements on the current page (and forgets earlier marks of the same names). */
export async function watchFor(page: Page, watched: Watched[]): Promise<void> {
  await page.evaluate(`(() => {
    const b = window.__bench
    for (const x of ${JSON.stringify(watched)}) {
      delete b.seen[x.name]
      b.watch = [...b.watch.filter((y) => y.name !== x.name), x]
    }
    b.check()
  })()`)
}

/** When a watched element was first painted (epoch ms); waits for it. */
export async function paintedAt(page: Page, name: string): Promise<number> {
  const handle = await page.waitForFunction(
    `(() => { const t = window.__bench.seen[${JSON.stringify(name)}]; return t !== undefined && t > 0 ? t : null })()`
  )
  return (await handle.jsonValue()) as number
}

/** When the last pointer press landed in the page (epoch ms). */
export async function lastClickAt(page: Page): Promise<number> {
  return (await page.evaluate('window.__bench.clicks.at(-1) ?? NaN')) as number
}

/** Epoch ms in this process, on the same clock as the page's marks. */
export const epochNow = (): number => performance.timeOrigin + performance.now()
