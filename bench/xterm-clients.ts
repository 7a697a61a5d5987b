import { chromium, type Page } from 'playwright-core'
import { now } from './bench-utils'
import type { BenchCore } from './core-process'
import { readFileSync } from 'node:fs'
import { until } from './pty-stream'

/**
 * Aggregate MB/s of `cat <file>; exit` into n xterm.js terminals shown in Chromium pages (one page
 * per terminal, each visible). Flow control holds `cat` until the page has rendered all but the
 * last 100,000 characters, so the pty's exit marks the end of rendering.
 */
export async function browserTerminals(core: BenchCore, repoId: string, file: string, n: number): Promise<number> {
  const c = await core.client()
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-renderer-backgrounding',
      '--disable-background-timer-throttling'
    ]
  })
  const ptys: { id: string; page: Page }[] = []
  for (let i = 0; i < n; i++) {
    const title = `xterm ${n}-${i}`
    const t = await c.request('thread/create', { repoId, title, mode: 'local' })
    // The agent session is the tab a thread opens on; a shell profile makes it a plain terminal.
    const pty = await c.request('pty/open', { threadId: t.id, kind: 'agent', profileId: 'shell', cols: 120, rows: 32 })
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
    await page.addInitScript(
      (r) => localStorage.setItem('skein.terminal.renderer', r),
      process.env.BENCH_RENDERER === 'webgl' ? 'webgl' : 'dom'
    )
    await page.goto(core.url)
    await page.getByRole('treeitem', { name: new RegExp(`^${title} `) }).click()
    await page.getByRole('tablist', { name: 'Thread views' }).getByRole('tab', { name: 'Terminal' }).click()
    await page.locator('.terminal-view .xterm-screen').waitFor({ state: 'visible', timeout: 20_000 })
    ptys.push({ id: pty.id, page })
  }
  await new Promise((r) => setTimeout(r, 1000))
  const exited = new Set<string>()
  c.on('pty/exit', (p) => exited.add(p.ptyId))
  const t0 = now()
  for (const p of ptys) await c.request('pty/write', { ptyId: p.id, data: `cat ${file}; exit\r` })
  await until(() => ptys.every((p) => exited.has(p.id)), 600_000, 'all terminals to finish')
  const secs = (now() - t0) / 1000
  await browser.close()
  c.dispose()
  // A pty turns each \n into \r\n.
  const text = readFileSync(file, 'utf8')
  const chars = text.length + text.split('\n').length - 1
  return (chars * n) / 1e6 / secs
}

/**
 * The ceiling: MB/s of xterm.js alone in the same Chromium (no core, no WebSocket), writing the
 * same data in 64 KB chunks with write callbacks, into n visible terminals at once.
 */
export async function rawXtermRate(file: string, n: number, renderer: 'dom' | 'webgl' = 'dom'): Promise<number> {
  const { resolve } = await import('node:path')
  const xtermJs = readFileSync(resolve(__dirname, '../node_modules/@xterm/xterm/lib/xterm.js'), 'utf8')
  const webglJs = readFileSync(resolve(__dirname, '../node_modules/@xterm/addon-webgl/lib/addon-webgl.js'), 'utf8')
  const css = readFileSync(resolve(__dirname, '../node_modules/@xterm/xterm/css/xterm.css'), 'utf8')
  const data = readFileSync(file, 'utf8').replace(/\n/g, '\r\n')
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-renderer-backgrounding', '--disable-background-timer-throttling']
  })
  const pages = []
  for (let i = 0; i < n; i++) {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
    await page.setContent(`<style>${css} body{margin:0} #t{width:1000px;height:640px}</style><div id="t"></div>`)
    await page.addScriptTag({ content: xtermJs })
    await page.addScriptTag({ content: webglJs })
    await page.evaluate(`(() => {
      window.term = new Terminal({ cols: 120, rows: 32, scrollback: 10000 })
      term.open(document.getElementById('t'))
      if (${renderer === 'webgl'}) { try { term.loadAddon(new WebglAddon.WebglAddon()) } catch {} }
    })()`)
    pages.push(page)
  }
  const t0 = now()
  await Promise.all(
    pages.map((page) =>
      page.evaluate(
        `(async (data) => {
          const CHUNK = 65536
          let i = 0
          await new Promise((done) => {
            const next = () => {
              if (i >= data.length) return done()
              const part = data.slice(i, i + CHUNK)
              i += CHUNK
              term.write(part, next)
            }
            next()
          })
        })`.replace(/^\(async/, '(async') + `(${JSON.stringify(data)})`
      )
    )
  )
  const secs = (now() - t0) / 1000
  await browser.close()
  return (data.length * n) / 1e6 / secs
}

/**
 * Ctrl-C under a `yes` flood as a person sees it: the key pressed in the page, and the time until
 * the terminal on screen shows the interruption (`^C` and the prompt after it).
 */
export async function browserCtrlC(core: BenchCore, repoId: string, rounds: number): Promise<number[]> {
  const c = await core.client()
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  await page.addInitScript(() => localStorage.setItem('skein.terminal.renderer', 'dom'))
  const t = await c.request('thread/create', { repoId, title: 'ctrl-c', mode: 'local' })
  await c.request('pty/open', { threadId: t.id, kind: 'agent', profileId: 'shell', cols: 120, rows: 32 })
  await page.goto(core.url)
  await page.getByRole('treeitem', { name: /^ctrl-c / }).click()
  await page.getByRole('tablist', { name: 'Thread views' }).getByRole('tab', { name: 'Terminal' }).click()
  const screen = page.locator('.terminal-view .xterm-screen')
  await screen.waitFor({ state: 'visible', timeout: 20_000 })
  await screen.click({ position: { x: 40, y: 10 } })
  const times: number[] = []
  for (let round = 0; round < rounds; round++) {
    await page.keyboard.type('yes\n')
    await page.waitForTimeout(700)
    const t0 = now()
    await page.keyboard.press('Control+c')
    // The flood has scrolled earlier ^C lines away: a ^C followed by a prompt line is this one.
    await page.waitForFunction(
      () => /\^C\s*\n[^\n]*[$#]/.test((document.querySelector('.terminal-view .xterm-rows') as HTMLElement | null)?.innerText ?? ''),
      undefined,
      { polling: 'raf', timeout: 30_000 }
    )
    times.push(now() - t0)
    await page.keyboard.type('clear\n')
    await page.waitForTimeout(300)
  }
  await browser.close()
  c.dispose()
  return times
}
