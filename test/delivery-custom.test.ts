/**
 * Delivery to a custom CLI in a real Skein pty, the way a terminal pastes: typed line by line to a
 * program that reads lines, one bracketed paste to a program that turned bracketed paste on, and
 * nothing at all while the profile is not marked as taking prompts.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { PasteMode } from '../src/main/core/pty/paste-mode'
import { formatReview } from '../src/main/core/review/review-comments'
import { cleanupTemp, makeCore, makeRepo, must, tempDir } from './helpers/fixtures'
import { eventually, recordingConnection } from './helpers/pty-client'

afterEach(cleanupTemp)

// Reads lines (the terminal in its normal, line-by-line mode) and records each as JSON.
const LINE_READER = `const fs = require('fs')
process.stdout.write('ready> ')
require('readline').createInterface({ input: process.stdin }).on('line', (l) => { fs.appendFileSync(process.argv[2], JSON.stringify(l) + '\\n'); process.stdout.write('got it\\n> ') })
`
// Turns bracketed paste on, like an agent's input box, and records every byte it is sent.
const PASTE_READER = `const fs = require('fs')
process.stdin.setRawMode(true)
process.stdout.write('\\x1b[?2004hready> ')
process.stdin.on('data', (d) => { fs.appendFileSync(process.argv[2], d); process.stdout.write('.') })
`

async function customThread(script: string, acceptsPrompt: boolean) {
  const dir = tempDir('skein-custom-cli-')
  const file = join(dir, 'cli.js')
  const out = join(dir, 'received')
  writeFileSync(file, script)
  const { core } = await makeCore()
  const repo = must(await core.repos.add(makeRepo()))
  must(await core.profiles.configure(repo.id, { customCommand: `node ${file} ${out}`, customAcceptsPrompt: acceptsPrompt }))
  const t = must(await core.threads.create({ repoId: repo.id, title: 'custom cli', mode: 'local', profileId: 'custom' }))
  const c = recordingConnection()
  must(await core.ptys.attach(t.agent!.ptyId, c))
  await eventually(() => c.output().includes('ready>'), 'the custom CLI to start')
  must(
    await core.review.add(t.id, {
      path: 'README.md',
      startLine: 1,
      endLine: 1,
      body: 'CUSTOM-REVIEW first line\nsecond: `touch x` and $(touch x)'
    })
  )
  const text = formatReview(must(await core.review.list(t.id)))
  return { core, t, c, out, text, cwd: repo.path }
}

describe('delivery to a custom CLI', () => {
  it('types the text line by line into a CLI that reads lines, each line intact and nothing more', async () => {
    const { core, t, out, text, cwd } = await customThread(LINE_READER, true)
    const sent = must(await core.review.submit(t.id))
    expect(sent.delivery).toMatchObject({ delivered: true, to: 'cli-agent', agent: 'Custom' })
    const lines = text.split('\n')
    const received = () =>
      existsSync(out)
        ? readFileSync(out, 'utf8')
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as string)
        : []
    await eventually(() => received().length >= lines.length, 'the CLI to read every line')
    expect(received()).toEqual(lines)
    expect(existsSync(join(cwd, 'x'))).toBe(false)
  })

  it('sends one bracketed paste, then Enter, to a CLI that turned bracketed paste on', async () => {
    const { core, t, out, text } = await customThread(PASTE_READER, true)
    const sent = must(await core.review.submit(t.id))
    expect(sent.delivery).toMatchObject({ delivered: true, to: 'cli-agent' })
    await eventually(() => existsSync(out) && readFileSync(out, 'utf8').endsWith('\r'), 'the CLI to receive the paste and Enter')
    expect(readFileSync(out, 'utf8')).toBe(`\x1b[200~${text}\x1b[201~\r`)
  })

  it('sends nothing to a custom CLI not marked as taking prompts, and says so', async () => {
    const { core, t, c, out } = await customThread(LINE_READER, false)
    const sent = must(await core.review.submit(t.id))
    expect(sent.delivery).toMatchObject({ delivered: false, reason: 'no-prompt', agent: 'Custom' })
    expect(must(await core.review.list(t.id)).map((x) => x.status)).toEqual(['pending'])
    // A line typed by hand reaches the CLI: had the review been typed before it, it would be there too.
    must(core.ptys.write(t.agent!.ptyId, 'by hand\r'))
    await eventually(() => c.output().includes('got it'), 'the CLI to read the typed line')
    expect(readFileSync(out, 'utf8')).toBe('"by hand"\n')
  })
})

describe('bracketed paste mode, read from output', () => {
  it('follows the last set or reset of mode 2004, also across chunks and in parameter lists', () => {
    const m = new PasteMode()
    expect(m.bracketed).toBe(false)
    m.feed('hello \x1b[?20')
    m.feed('04h prompt')
    expect(m.bracketed).toBe(true)
    m.feed('\x1b[?1049;2004l')
    expect(m.bracketed).toBe(false)
    m.feed('\x1b[?2004h\x1b[?25l text '.repeat(3) + '\x1b[?2004l')
    expect(m.bracketed).toBe(false)
    m.feed('\x1b[?20045h \x1b[?12004h')
    expect(m.bracketed).toBe(false)
    m.feed('\x1b[?1004h\x1b[?2004h')
    expect(m.bracketed).toBe(true)
  })
})
