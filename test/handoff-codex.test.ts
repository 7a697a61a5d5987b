import { appendFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { importCodexSession } from '../src/main/core/handoff/codex-import'
import { importKey } from '../src/main/core/handoff/import-types'
import { importSession } from '../src/main/core/handoff/session-import'
import { ErrorCode } from '../src/shared/errors'
import { Item } from '../src/shared/models'
import { cleanupTemp, must, tempDir } from './helpers/fixtures'
import { CodexRollout, isoAt, writeCodexRollout } from './helpers/session-fixtures'

afterEach(cleanupTemp)

const ID = '0199a3b2-5c1d-7e2f-8a90-1b2c3d4e5f60'
const CWD = '/home/dev/projects/shop-api'
const opts = { threadId: 'thread-9' }

/** A rollout with every record type, written as current Codex versions write them. */
function fullRollout(): CodexRollout {
  const r = new CodexRollout(ID, CWD)
  r.meta().turnContext('gpt-5-codex').injected()
  r.user('Why does the checkout test fail?')
  r.reasoning('Looking at the test')
  r.call(
    'call_1',
    'shell',
    { command: ['bash', '-lc', 'npm test'], workdir: CWD },
    JSON.stringify({ output: '1 failing\n', metadata: { exit_code: 1, duration_seconds: 2.1 } })
  )
  r.line('response_item', {
    type: 'custom_tool_call',
    status: 'completed',
    call_id: 'call_2',
    name: 'apply_patch',
    input: '*** Begin Patch\n*** End Patch'
  })
  r.line('response_item', {
    type: 'custom_tool_call_output',
    call_id: 'call_2',
    output: 'Success. Updated the following files:\nM src/cart.ts'
  })
  r.tokens(1200, 1000, 80)
  r.assistant('The discount was applied twice; fixed.')
  r.line('event_msg', { type: 'task_complete', last_agent_message: 'fixed' })
  r.raw('{"timestamp":"2025-06-01T10:01:00Z","type":"response_item","payload":{"type":"mess')
  r.raw('"just a string"')
  r.raw('7')
  r.line('brand_new_kind', { anything: true })
  r.turnContext('gpt-5.1-codex')
  r.user('Run it again')
  r.line('response_item', {
    type: 'local_shell_call',
    call_id: 'call_3',
    status: 'completed',
    action: { type: 'exec', command: ['npm', 'test'], working_directory: CWD }
  })
  r.line('response_item', { type: 'function_call_output', call_id: 'call_3', output: { content: 'all green', success: true } })
  r.line('response_item', { type: 'web_search_call', status: 'completed', action: { type: 'search', query: 'vitest retry' } })
  r.line('response_item', { type: 'function_call_output', call_id: 'call_unknown', output: 'orphan' })
  r.line('compacted', { message: 'Fixed the double discount.' })
  r.call('call_4', 'shell', { command: ['git', 'status'] }, null)
  r.tokens(5000, 4000, 300)
  return r
}

describe('Codex import', () => {
  it('reads every record type, without duplicating messages or the injected context', async () => {
    const r = fullRollout()
    const path = writeCodexRollout(tempDir(), '2025-06-01', ID, r.text())
    const s = must(await importCodexSession(path, opts))

    expect(s).toMatchObject({
      source: 'codex',
      sessionId: ID,
      importKey: importKey('codex', ID),
      cwd: CWD,
      title: 'Why does the checkout test fail?',
      model: 'gpt-5.1-codex'
    })
    for (const item of s.items) expect(() => Item.parse(item)).not.toThrow()
    expect(s.items.map((i) => [i.kind, i.text?.split('\n')[0] ?? i.tool?.name])).toEqual([
      ['notice', `Imported from Codex session ${ID}`],
      ['user', 'Why does the checkout test fail?'],
      ['tool', 'shell'],
      ['tool', 'apply_patch'],
      ['assistant', 'The discount was applied twice; fixed.'],
      ['user', 'Run it again'],
      ['tool', 'local_shell'],
      ['tool', 'web_search'],
      ['notice', 'Codex compacted the conversation here. Its summary:'],
      ['tool', 'shell']
    ])
    const tool = (id: string) => s.items.find((i) => i.tool?.useId === id)!
    expect(tool('call_1')).toMatchObject({
      status: 'completed',
      tool: {
        name: 'shell',
        input: { command: ['bash', '-lc', 'npm test'], workdir: CWD },
        output: '1 failing\n',
        exitCode: 1,
        isError: true
      }
    })
    expect(tool('call_2')).toMatchObject({
      status: 'completed',
      tool: {
        input: { input: '*** Begin Patch\n*** End Patch' },
        output: 'Success. Updated the following files:\nM src/cart.ts',
        isError: false
      }
    })
    expect(tool('call_3')).toMatchObject({
      status: 'completed',
      tool: { input: { type: 'exec', command: ['npm', 'test'] }, output: 'all green', isError: false }
    })
    expect(tool('call_4').status).toBe('interrupted')

    // Each model response after a tool output is a step of its own.
    const steps = [tool('call_1').stepId, tool('call_2').stepId, s.items[4]!.stepId]
    expect(steps.every((x) => typeof x === 'string')).toBe(true)
    expect(new Set(steps).size).toBe(3)
    expect(new Set(s.items.slice(1, 5).map((i) => i.turnId)).size).toBe(1)
    expect(s.items[5]!.turnId).not.toBe(s.items[1]!.turnId)
    expect(new Set(s.items.map((i) => i.id)).size).toBe(s.items.length)
    expect(s.items[1]!.createdAt).toBe(Date.parse(isoAt(5)))

    // The last token_count holds the totals; cached input is reported apart, as Skein does.
    expect(s.usage).toEqual({ input: 1000, cacheRead: 4000, output: 300, cacheWrite: 0, costUsd: null })
    expect(s.stats).toEqual({
      lines: r.lines.length,
      malformed: 3, // torn JSON, a string, a number
      skipped: {
        '"agent_reasoning" events': 1,
        '"brand_new_kind" records': 1,
        '"task_complete" events': 1,
        'context Codex adds as user messages': 2,
        'tool outputs without a call': 1
      },
      danglingParents: 0,
      reasoning: 1
    })
    expect(s.startedAt).toBe(Date.parse(isoAt(0)))
    expect(s.updatedAt).toBe(Date.parse(isoAt(r.lines.length - 3)))
  })

  it('falls back to user_message / agent_message events when a rollout has no response messages', async () => {
    const r = new CodexRollout(ID, CWD).meta()
    r.user('Only as an event', { response: false })
    // Two calls of one response, then both outputs: one step.
    r.call('call_1', 'shell', { command: ['ls'] }, null)
    r.call('call_2', 'shell', { command: ['pwd'] }, null)
    r.line('response_item', { type: 'function_call_output', call_id: 'call_1', output: 'a\nb\n' })
    r.line('response_item', { type: 'function_call_output', call_id: 'call_2', output: '/w\n' })
    r.assistant('Two files.', { response: false })
    const s = must(await importCodexSession(writeCodexRollout(tempDir(), '2025-06-01', ID, r.text()), opts))
    expect(s.items.slice(1).map((i) => [i.kind, i.text ?? i.tool?.output])).toEqual([
      ['user', 'Only as an event'],
      ['tool', 'a\nb\n'],
      ['tool', '/w\n'],
      ['assistant', 'Two files.']
    ])
    expect(s.items[2]!.stepId).toBe(s.items[3]!.stepId)
    expect(s.items[4]!.stepId).not.toBe(s.items[3]!.stepId)
    expect(s.title).toBe('Only as an event')
  })

  it('reads an older rollout: a bare header, bare response items and state records', async () => {
    const lines = [
      { id: ID, timestamp: '2025-04-20T08:00:00.000Z', instructions: null, git: { branch: 'main' } },
      { record_type: 'state' },
      {
        type: 'message',
        role: 'user',
        content: [{ type: 'input_text', text: '<environment_context>\n<cwd>/old/place</cwd>\n</environment_context>' }]
      },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Rename the module' }] },
      { type: 'function_call', name: 'shell', arguments: '{"command":["git","mv","a","b"]}', call_id: 'c1' },
      { type: 'function_call_output', call_id: 'c1', output: '{"output":"","metadata":{"exit_code":0,"duration_seconds":0.1}}' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Renamed.' }] },
      { record_type: 'state' }
    ]
    const path = join(tempDir(), 'rollout-2025-04-20T08-00-00-' + ID + '.jsonl')
    writeFileSync(path, lines.map((l) => JSON.stringify(l)).join('\n') + '\n')
    const s = must(await importCodexSession(path, opts))
    expect(s.sessionId).toBe(ID)
    expect(s.cwd).toBeNull()
    expect(s.items.slice(1).map((i) => [i.kind, i.text ?? i.tool?.name])).toEqual([
      ['user', 'Rename the module'],
      ['tool', 'shell'],
      ['assistant', 'Renamed.']
    ])
    expect(s.items[2]!.tool).toMatchObject({ output: '', exitCode: 0, isError: false })
    expect(s.items.every((i) => i.createdAt === Date.parse('2025-04-20T08:00:00.000Z'))).toBe(true)
    expect(s.stats).toMatchObject({ skipped: { 'context Codex adds as user messages': 1, 'records of an unknown shape': 2 }, malformed: 0 })
  })

  it('gives the same ids on every import, and keeps them when the rollout grows', async () => {
    const r = fullRollout()
    const path = writeCodexRollout(tempDir(), '2025-06-01', ID, r.text())
    const a = must(await importCodexSession(path, opts))
    expect(must(await importCodexSession(path, opts))).toEqual(a)
    r.lines.length = 0
    r.line('response_item', { type: 'function_call_output', call_id: 'call_4', output: 'clean' })
    r.assistant('Nothing to commit.')
    appendFileSync(path, r.text())
    const b = must(await importCodexSession(path, opts))
    expect(b.items.slice(0, a.items.length).map((i) => i.id)).toEqual(a.items.map((i) => i.id))
    expect(b.items.find((i) => i.tool?.useId === 'call_4')).toMatchObject({ status: 'completed', tool: { output: 'clean' } })
    expect(b.items.at(-1)!.text).toBe('Nothing to commit.')
  })

  it('caps long outputs and names a session from its file when the header is missing', async () => {
    const r = new CodexRollout(ID, CWD)
    r.user('print a lot')
    r.call('call_1', 'shell', { command: ['yes'] }, 'y\n'.repeat(600))
    const path = writeCodexRollout(tempDir(), '2025-06-01', ID, r.text())
    const s = must(await importSession('codex', path, { ...opts, maxToolOutputChars: 100 }))
    expect(s.sessionId).toBe(ID)
    expect(s.items.at(-1)!.tool!.output).toBe(`${'y\n'.repeat(50)}\n… (1100 more characters not imported)`)
  })

  it('reports a missing file and a file with no records as expected failures', async () => {
    const dir = tempDir()
    const missing = await importCodexSession(join(dir, 'rollout-x.jsonl'), opts)
    expect(missing.ok === false && missing.error.code).toBe(ErrorCode.PathNotFound)
    const empty = join(dir, 'rollout-empty.jsonl')
    writeFileSync(empty, '\n\nnot json\n')
    const r = await importCodexSession(empty, opts)
    expect(r.ok === false && r.error.code).toBe(ErrorCode.Unsupported)
  })
})
