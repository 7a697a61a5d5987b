/**
 * Session points, fork copies and rollout discovery on session files laid out the way Claude Code
 * 2.1 and Codex 0.171 write them (records as seen in their real files), in temp homes: which
 * message a point is while a turn is still open, what a fork copy holds, that the original is never
 * written, and which rollout a launched Codex session is matched to, found by file events alone.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, readdirSync, writeFileSync, appendFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { forkLaunch, planCliLaunch, sessionPoint } from '../src/main/core/agents/cli-session'
import { RolloutWatch } from '../src/main/core/agents/codex-rollout-watch'
import { uuidv7 } from '../src/main/core/agents/codex-session'
import { ErrorCode } from '../src/shared/errors'
import { cleanupTemp, must, tempDir } from './helpers/fixtures'
import { eventually } from './helpers/pty-client'

afterEach(cleanupTemp)

const SID = '6f1c2a9e-0b7d-4c1e-9a51-2f4e8d0c3b7a'
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')
const jsonl = (records: object[]) => records.map((r) => `${JSON.stringify(r)}\n`).join('')

describe('Claude Code session points and forks', () => {
  const base = { isSidechain: false, sessionId: SID, cwd: '/w' }
  const prompt = (uuid: string, text: string) => ({ ...base, type: 'user', uuid, message: { role: 'user', content: text } })
  const reply = (uuid: string, content: object[], stop: string | null) => ({
    ...base,
    type: 'assistant',
    uuid,
    message: { id: `msg_${uuid}`, role: 'assistant', content, stop_reason: stop }
  })
  const text = (t: string) => ({ type: 'text', text: t })
  const turnEnd = (uuid: string) => ({ ...base, type: 'system', subtype: 'turn_duration', uuid })
  const toolResult = (uuid: string) => ({
    ...base,
    type: 'user',
    uuid,
    message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'done' }] }
  })

  function claudeHome(cwd: string): { env: Record<string, string>; file: string } {
    const home = tempDir('skein-claude-home-')
    const dir = join(home, '.claude', 'projects', cwd.replace(/[^a-zA-Z0-9]/g, '-'))
    mkdirSync(dir, { recursive: true })
    return { env: { HOME: home }, file: join(dir, `${SID}.jsonl`) }
  }

  it('points at the last reply of the last finished turn, never into a turn still open', async () => {
    const cwd = tempDir('skein-work-')
    const { env, file } = claudeHome(cwd)
    const point = async () => (await sessionPoint({ source: 'claude', sessionId: SID }, cwd, env))?.at
    expect(await sessionPoint({ source: 'claude', sessionId: SID }, cwd, env), 'no file: no point').toBeNull()
    writeFileSync(file, jsonl([{ type: 'file-history-snapshot', messageId: 'u1' }, prompt('u1', 'first')]))
    expect(await point(), 'a prompt without a reply').toBeNull()
    // Stored with no stop_reason, the reply's turn ends with the CLI's turn_duration record.
    appendFileSync(file, jsonl([reply('a1', [text('one')], null)]))
    expect(await point()).toBeNull()
    appendFileSync(file, jsonl([turnEnd('t1')]))
    expect(await point()).toBe('a1')
    // Turn 2 calls a tool: while it runs, and after its result, the point stays at turn 1.
    appendFileSync(
      file,
      jsonl([
        prompt('u2', 'second'),
        reply('a2a', [text('looking')], null),
        reply('a2b', [{ type: 'tool_use', id: 'toolu_1', name: 'Bash', input: {} }], 'tool_use')
      ])
    )
    expect(await point()).toBe('a1')
    appendFileSync(file, jsonl([toolResult('r2')]))
    expect(await point()).toBe('a1')
    // A failed request and a sub-agent's reply are not the conversation's.
    appendFileSync(
      file,
      jsonl([
        { ...reply('err', [text('API Error')], 'end_turn'), isApiErrorMessage: true },
        { ...reply('side', [text('x')], 'end_turn'), isSidechain: true }
      ])
    )
    expect(await point()).toBe('a1')
    // A reply that stopped on its own ends the turn before the CLI writes turn_duration.
    appendFileSync(file, jsonl([reply('a2c', [text('done')], 'end_turn')]))
    expect(await point()).toBe('a2c')
    // The person's next prompt closes a turn too (an older CLI, or one interrupted after its reply).
    appendFileSync(file, jsonl([prompt('u3', 'third'), reply('a3', [text('three')], null), prompt('u4', 'fourth')]))
    expect(await point()).toBe('a3')
  })

  it('forks from a copy cut at the point, and never writes the original', async () => {
    const cwd = tempDir('skein-work-')
    const { env, file } = claudeHome(cwd)
    writeFileSync(
      file,
      jsonl([
        prompt('u1', 'first'),
        reply('a1', [text('one')], 'end_turn'),
        turnEnd('t1'),
        prompt('u2', 'second'),
        reply('a2', [text('two')], 'end_turn')
      ])
    )
    const before = sha(file)
    const scratchDir = tempDir('skein-claude-forks-')
    const fork = must(await forkLaunch({ source: 'claude', sessionId: SID, at: 'a1' }, cwd, { env, scratchDir }))
    const copy = fork.args[fork.args.indexOf('--resume') + 1]!
    expect(fork.args).toEqual(['--session-id', fork.sessionId, '--fork-session', '--resume', copy])
    expect(copy.startsWith(scratchDir)).toBe(true)
    expect(readFileSync(copy, 'utf8')).toBe(jsonl([prompt('u1', 'first'), reply('a1', [text('one')], 'end_turn')]))
    expect(sha(file)).toBe(before)

    const gone = await forkLaunch({ source: 'claude', sessionId: SID, at: 'not-there' }, cwd, { env, scratchDir })
    expect(gone.ok || gone.error.code).toBe(ErrorCode.SessionNotFound)
    const missing = await forkLaunch({ source: 'claude', sessionId: '00000000-0000-4000-8000-000000000000', at: 'a1' }, cwd, {
      env,
      scratchDir
    })
    expect(missing.ok || missing.error.code).toBe(ErrorCode.SessionNotFound)
    // Neither left a copy behind.
    expect(readdirSync(scratchDir).flatMap((d) => readdirSync(join(scratchDir, d)))).toHaveLength(1)
    // Nothing to keep: a new session, named.
    const empty = must(await forkLaunch({ source: 'claude', sessionId: SID, at: null }, cwd, { env, scratchDir }))
    expect(empty.args).toEqual(['--session-id', empty.sessionId])
  })

  it('finds a session that ran in another folder', async () => {
    const { env, file } = claudeHome('/somewhere/else')
    writeFileSync(file, jsonl([prompt('u1', 'first'), reply('a1', [text('one')], 'end_turn')]))
    expect(await sessionPoint({ source: 'claude', sessionId: SID }, tempDir('skein-work-'), env)).toEqual({
      source: 'claude',
      sessionId: SID,
      at: 'a1'
    })
  })
})

describe('Codex session points and forks', () => {
  const at = (s: number) => new Date(s).toISOString()
  const meta = (id: string, cwd: string, extra: object = {}, time = Date.now()) => ({
    timestamp: at(time),
    type: 'session_meta',
    payload: { id, session_id: id, timestamp: at(time), cwd, originator: 'codex-tui', thread_source: 'user', ...extra }
  })
  const event = (type: string, extra: object = {}) => ({
    timestamp: at(Date.now()),
    type: 'event_msg',
    payload: { type, thread_id: SID, ...extra }
  })
  const message = (role: string, t: string) => ({
    timestamp: at(Date.now()),
    type: 'response_item',
    payload: { type: 'message', role, content: [{ type: role === 'user' ? 'input_text' : 'output_text', text: t }] }
  })
  const context = { timestamp: at(Date.now()), type: 'turn_context', payload: { cwd: '/w', approval_policy: 'on-request' } }
  const turn = (n: number, end = 'task_complete') => [
    event('task_started'),
    context,
    message('user', `<environment_context><cwd>/w</cwd></environment_context> prompt ${n}`),
    message('assistant', `reply ${n}`),
    event(end)
  ]

  function rollout(codexHome: string, id: string, records: object[]): string {
    const d = new Date()
    const two = (n: number) => String(n).padStart(2, '0')
    const dir = join(codexHome, 'sessions', String(d.getFullYear()), two(d.getMonth() + 1), two(d.getDate()))
    mkdirSync(dir, { recursive: true })
    const file = join(dir, `rollout-2026-01-01T00-00-00-${id}.jsonl`)
    writeFileSync(file, jsonl(records))
    return file
  }

  it('counts finished turns (interrupted ones too), and forks a copy of the first N under a new id', async () => {
    const home = tempDir('skein-codex-home-')
    const env = { HOME: home }
    const codexHome = join(home, '.codex')
    const snapshot = { timestamp: at(Date.now()), type: 'event_msg', payload: { type: 'note', path: `/x/shell_snapshots/${SID}.123.sh` } }
    const records = [
      meta(SID, '/w', { runtime_workspace_roots: ['/w'] }),
      ...turn(1),
      snapshot,
      ...turn(2, 'turn_aborted'),
      ...turn(3),
      event('task_started')
    ]
    const file = rollout(codexHome, SID, records)
    const before = sha(file)
    expect(await sessionPoint({ source: 'codex', sessionId: SID }, '/w', env)).toEqual({ source: 'codex', sessionId: SID, at: '3' })

    // Forked into another folder: the copy's header names that folder, so Codex does not ask which one to use.
    const fork = must(await forkLaunch({ source: 'codex', sessionId: SID, at: '2' }, '/v', { env }))
    const id = fork.sessionId!
    expect(fork.args).toEqual(['resume', id])
    const copies = readdirSync(join(file, '..')).filter((n) => n.includes(id))
    expect(copies).toHaveLength(1)
    const copied = readFileSync(join(file, '..', copies[0]!), 'utf8')
    // Up to the end of turn 2; the id replaced where it is a whole value (not inside a path), the folder in the header only.
    const header = JSON.stringify(records[0]).split(`"${SID}"`).join(`"${id}"`).split('"/w"').join('"/v"')
    expect(copied).toBe(`${header}\n${jsonl(records.slice(1, 12)).split(`"${SID}"`).join(`"${id}"`)}`)
    const lines = copied
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines[0].payload).toMatchObject({ id, session_id: id, cwd: '/v', runtime_workspace_roots: ['/v'] })
    expect(lines.filter((l) => l.type === 'turn_context').map((l) => l.payload.cwd)).toEqual(['/w', '/w'])
    expect(copied).toContain('<cwd>/w</cwd>')
    expect(lines.at(-1).payload.type).toBe('turn_aborted')
    expect(copied).not.toContain(SID + '"')
    expect(copied).toContain(`/x/shell_snapshots/${SID}.123.sh`)
    expect(await sessionPoint({ source: 'codex', sessionId: id }, '/w', env)).toEqual({ source: 'codex', sessionId: id, at: '2' })
    expect(sha(file)).toBe(before)

    const tooFar = await forkLaunch({ source: 'codex', sessionId: SID, at: '4' }, '/w', { env })
    expect(tooFar.ok || tooFar.error.code).toBe(ErrorCode.SessionNotFound)
    const empty = must(await forkLaunch({ source: 'codex', sessionId: SID, at: null }, '/w', { env }))
    expect(empty).toMatchObject({ args: [], sessionId: null })
  })

  it('keeps a fork with no turn of its own at "0": its header carries the history it forked', async () => {
    const home = tempDir('skein-codex-home-')
    const child = uuidv7()
    rollout(join(home, '.codex'), child, [meta(child, '/w', { forked_from_id: SID }), event('thread_settings_applied')])
    const point = await sessionPoint({ source: 'codex', sessionId: child }, '/w', { HOME: home })
    expect(point?.at).toBe('0')
    const fork = must(await forkLaunch(point!, '/w', { env: { HOME: home } }))
    const copy = (await sessionPoint({ source: 'codex', sessionId: fork.sessionId! }, '/w', { HOME: home }))!
    expect(copy.at).toBe('0')
  })
})

describe('finding the rollout of a launched Codex session', () => {
  const header = (id: string, cwd: string, extra: object = {}, time = Date.now()) =>
    `${JSON.stringify({ timestamp: new Date(time).toISOString(), type: 'session_meta', payload: { id, timestamp: new Date(time).toISOString(), cwd, thread_source: 'user', ...extra } })}\n`
  const dayDir = (codexHome: string) => {
    const d = new Date()
    const two = (n: number) => String(n).padStart(2, '0')
    return join(codexHome, 'sessions', String(d.getFullYear()), two(d.getMonth() + 1), two(d.getDate()))
  }

  it('takes the first rollout begun in its folder since the launch, from file events alone, and each only once', async () => {
    const codexHome = join(tempDir('skein-codex-home-'), '.codex')
    mkdirSync(codexHome)
    const cwd = tempDir('skein-work-')
    const since = Date.now()
    const found: string[][] = [[], []]
    // Polling is off (an hour): only file events can find them.
    const watches = [0, 1].map(
      (i) =>
        new RolloutWatch({ env: { CODEX_HOME: codexHome }, cwd, since, forkedFrom: null, pollMs: 3_600_000 }, (id) => found[i]!.push(id))
    )
    const day = dayDir(codexHome)
    mkdirSync(day, { recursive: true })
    const write = (name: string, text: string) => writeFileSync(join(day, `rollout-x-${name}.jsonl`), text)
    write('other-folder', header(uuidv7(), tempDir('skein-elsewhere-')))
    write('older', header(uuidv7(), cwd, {}, since - 60_000))
    write('a-fork', header(uuidv7(), cwd, { forked_from_id: SID }))
    write('sub-agent', header(uuidv7(), cwd, { thread_source: 'subagent' }))
    const first = uuidv7()
    // Half a header, as when Codex is still writing it: read, not taken, and not given up on.
    write('first', header(first, cwd).slice(0, 40))
    await Promise.all(watches.map((w) => w.check()))
    expect(found.flat()).toEqual([])
    write('first', header(first, cwd))
    await eventually(() => found.flat().length === 1, 'one watch to take the rollout')
    expect(found.flat()).toEqual([first])
    const second = uuidv7()
    write('second', header(second, cwd))
    await eventually(() => found.flat().length === 2, 'the other watch to take the second rollout')
    expect(found.flat().sort()).toEqual([first, second].sort())
    for (const w of watches) await w.stop()
  })

  it('for `codex fork <id>`, takes only a rollout forked from that session; stopping looks once more', async () => {
    const codexHome = join(tempDir('skein-codex-home-'), '.codex')
    const cwd = tempDir('skein-work-')
    const found: string[] = []
    // Codex has never run here: no folder to watch yet, so the last look on stop is what finds it.
    const watch = new RolloutWatch({ env: { CODEX_HOME: codexHome }, cwd, since: Date.now(), forkedFrom: SID, pollMs: 3_600_000 }, (id) =>
      found.push(id)
    )
    mkdirSync(dayDir(codexHome), { recursive: true })
    const plain = uuidv7()
    const fork = uuidv7()
    writeFileSync(join(dayDir(codexHome), `rollout-x-${plain}.jsonl`), header(plain, cwd))
    writeFileSync(join(dayDir(codexHome), `rollout-x-${fork}.jsonl`), header(fork, cwd, { forked_from_id: SID }))
    await watch.stop()
    expect(found).toEqual([fork])
  })
})

describe('what a launch tells of its session', () => {
  const ID = '11111111-2222-4333-8444-555555555555'

  it('names a new Claude Code session, keeps a resumed or forked one, and looks for Codex rollouts', () => {
    const fresh = planCliLaunch('claude')!
    expect(fresh.leadArgs).toEqual(['--session-id', fresh.sessionId])
    expect(planCliLaunch('claude', ['--resume', ID])).toMatchObject({ sessionId: ID, resumeArgs: ['--resume', ID] })
    const fork = planCliLaunch('claude', ['--resume', ID, '--fork-session'])!
    expect(fork.sessionId).not.toBe(ID)
    expect(fork.resumeArgs).toEqual(['--session-id', fork.sessionId, '--resume', ID, '--fork-session'])
    expect(planCliLaunch('claude', ['--session-id', ID, '--fork-session', '--resume', '/tmp/x.jsonl'])?.sessionId).toBe(ID)
    expect(planCliLaunch('claude', ['--continue'])?.sessionId).toBeNull()
    expect(planCliLaunch('codex')).toMatchObject({ sessionId: null, discover: { forkedFrom: null } })
    expect(planCliLaunch('codex', ['resume', ID])).toMatchObject({ sessionId: ID, discover: null })
    expect(planCliLaunch('codex', ['fork', ID])).toMatchObject({ sessionId: null, discover: { forkedFrom: ID } })
    expect(planCliLaunch('codex', ['resume', '--last'])).toMatchObject({ sessionId: null, discover: null })
    expect(planCliLaunch('shell')).toBeNull()
    expect(planCliLaunch('custom')).toBeNull()
  })
})
