// The Conversation tab: (1) latency from a stream chunk leaving the model API to it being painted
// in the renderer (target p95 <= 50 ms); (2) reopening a thread of 10,000 items after a reload
// (target: interactive in <= 500 ms, virtualized). Needs `npm run build` and Debian's Chromium.
import { appendFileSync } from 'node:fs'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { benchDir, makeBenchRepo, ms, now, percentile, runBench } from './bench-utils'
import { startBenchCore } from './core-process'

const CHUNKS = 150
const wallMs = () => performance.timeOrigin + performance.now()

/** A Messages API stand-in whose text deltas carry markers ⟦k⟧ and whose send times are recorded. */
async function markerServer(sent: number[]): Promise<string> {
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => void stream(res))
  })
  const ev = (res: ServerResponse, type: string, data: object) =>
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`)
  async function stream(res: ServerResponse) {
    res.writeHead(200, { 'content-type': 'text/event-stream' })
    ev(res, 'message_start', {
      message: {
        id: 'msg_bench',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-5-5',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 10, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 }
      }
    })
    ev(res, 'content_block_start', { index: 0, content_block: { type: 'text', text: '' } })
    for (let k = 0; k < CHUNKS; k++) {
      await new Promise((r) => setTimeout(r, 25))
      sent[k] = wallMs()
      ev(res, 'content_block_delta', { index: 0, delta: { type: 'text_delta', text: `⟦${k}⟧ word word word ` } })
    }
    ev(res, 'content_block_stop', { index: 0 })
    ev(res, 'message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: CHUNKS * 5 } })
    ev(res, 'message_stop', {})
    res.end()
  }
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

function seed(threadId: string, count: number): string {
  const lines: string[] = []
  const at = Date.now() - count * 1000
  for (let i = 0; i < count; i++) {
    const base = { id: `seed-${i}`, threadId, turnId: `turn-${Math.floor(i / 4)}`, createdAt: at + i * 1000, status: 'completed' }
    const item =
      i % 4 === 0
        ? { ...base, kind: 'user', text: `Question ${i}: what does module ${i} do?` }
        : i % 4 === 1
          ? {
              ...base,
              kind: 'assistant',
              text: `Module ${i} handles **requests**.\n\n- parses \`input\`\n\n\`\`\`ts\nhandle(${i})\n\`\`\``,
              stepId: `s${i}`
            }
          : i % 4 === 2
            ? {
                ...base,
                kind: 'tool',
                stepId: `s${i - 1}`,
                tool: {
                  useId: `tu${i}`,
                  name: 'bash',
                  input: { command: `grep -n m${i} src` },
                  output: `src/a.ts:${i}: m${i}`,
                  exitCode: 0
                }
              }
            : { ...base, kind: 'notice', text: `Checkpoint ${i}` }
    lines.push(JSON.stringify({ type: 'item.completed', at: base.createdAt, item }))
  }
  return `${lines.join('\n')}\n`
}

async function main(): Promise<void> {
  const sent: number[] = []
  const home = benchDir('conversation')
  const repoPath = makeBenchRepo(home, 'repo', 5)
  process.env.ANTHROPIC_BASE_URL = await markerServer(sent)
  process.env.ANTHROPIC_API_KEY = 'bench-key'
  const core = await startBenchCore(home)
  const c = await core.client()
  const repo = await c.request('repo/add', { path: repoPath })
  const live = await c.request('thread/create', { repoId: repo.id, title: 'Streaming', mode: 'local' })
  const big = await c.request('thread/create', { repoId: repo.id, title: 'Ten thousand', mode: 'local' })
  appendFileSync(join(home, 'threads', big.id, 'events.jsonl'), seed(big.id, 10_000))

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  await page.goto(core.url)
  await page.getByRole('treeitem', { name: /^Streaming / }).click()
  await page.getByRole('tablist', { name: 'Thread views' }).getByRole('tab', { name: 'Conversation' }).click()
  // Record when each marker is first painted: a mutation, then the next animation frame.
  await page.evaluate(`(() => {
    window.__painted = {}
    new MutationObserver(() => {
      const text = document.querySelector('[role="log"]')?.textContent ?? ''
      const found = [...text.matchAll(/⟦(\\d+)⟧/g)].map((m) => Number(m[1])).filter((k) => !(k in window.__painted))
      if (found.length) requestAnimationFrame(() => { const t = performance.timeOrigin + performance.now(); for (const k of found) window.__painted[k] = t })
    }).observe(document.body, { subtree: true, childList: true, characterData: true })
  })()`)
  await c.request('turn/start', { threadId: live.id, text: 'Stream for the benchmark' })
  await page.waitForFunction((n) => Object.keys((window as unknown as { __painted: object }).__painted).length >= n, CHUNKS, {
    timeout: 60_000,
    polling: 100
  })
  const painted = (await page.evaluate('window.__painted')) as Record<string, number>
  const lat = sent.map((t, k) => painted[k]! - t).filter((x) => Number.isFinite(x))

  // Reload the page, then open the 10,000-item thread.
  const coreList: number[] = []
  for (let i = 0; i < 5; i++) {
    const t0 = now()
    await c.request('item/list', { threadId: big.id })
    coreList.push(now() - t0)
  }
  const opens: number[] = []
  for (let i = 0; i < 5; i++) {
    await page.reload()
    await page.getByRole('treeitem', { name: /^Streaming / }).click()
    await page.getByRole('heading', { level: 1, name: 'Streaming' }).waitFor()
    const t0 = now()
    await page.getByRole('treeitem', { name: /^Ten thousand / }).click()
    await page.locator('[data-item-id="seed-9999"]').waitFor({ state: 'visible' })
    await page.getByRole('textbox', { name: 'Message to the agent' }).click()
    opens.push(now() - t0)
  }
  const domRows = await page.locator('.transcript-row').count()

  console.log('conversation tab')
  console.log(
    `  stream chunk leaving the API → painted in the renderer (${lat.length} chunks)   p50 ${ms(percentile(lat, 50))}  p95 ${ms(percentile(lat, 95))}   target p95 <= 50 ms`
  )
  console.log(
    `  item/list of 10,000 items at the core (first call reads the log)   first ${ms(coreList[0]!)}  then p50 ${ms(percentile(coreList.slice(1), 50))}`
  )
  console.log(
    `  after a page reload: click → last of 10,000 items visible and composer focused   p50 ${ms(percentile(opens, 50))}  max ${ms(Math.max(...opens))}   target <= 500 ms`
  )
  console.log(`  transcript rows in the DOM: ${domRows} (virtualized)`)
  await browser.close()
  c.dispose()
  core.stop()
}

runBench(main)
