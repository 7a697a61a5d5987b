/**
 * The handoff importer against session files written by the real CLIs: Claude Code and Codex run
 * here for real (pinned devDependencies), each talking to a scripted model server on 127.0.0.1, so
 * the files have exactly the shape the shipped CLI versions write. Nothing is skipped: a missing
 * CLI fails the test, because CI installs them.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { HandoffService } from '../src/main/core/handoff/handoff-service'
import { listSessions } from '../src/main/core/handoff/session-discovery'
import { importSession } from '../src/main/core/handoff/session-import'
import { Item } from '../src/shared/models'
import { cleanupTemp, makeCore, makeRepo, must, tempDir } from './helpers/fixtures'
import { startModelServer, type ScriptedStep } from './helpers/model-server'
import { eventually } from './helpers/pty-client'
import { startResponsesServer, type ResponsesStep } from './helpers/responses-server'

/** A ceiling for one CLI run on a busy 2-core machine; runs normally take a few seconds. */
const RUN_CEILING_MS = 75_000
const TEST_CEILING_MS = 180_000

/**
 * The CLI binary: the pinned devDependency in node_modules/.bin, or `$SKEIN_TEST_CLI_DIR/<name>`.
 * Throws (failing the test, not skipping it) when neither exists.
 */
function cliPath(name: 'claude' | 'codex'): string {
  const pinned = resolve(__dirname, '../node_modules/.bin', name)
  if (existsSync(pinned)) return pinned
  const dir = process.env.SKEIN_TEST_CLI_DIR
  if (dir && existsSync(join(dir, name))) return join(dir, name)
  const pkg = name === 'claude' ? '@anthropic-ai/claude-code' : '@openai/codex'
  throw new Error(
    `The ${name} CLI is not installed: expected ${pinned} (the pinned devDependency ${pkg}; run npm install)` +
      (dir ? ` or ${join(dir, name)} (SKEIN_TEST_CLI_DIR).` : ', or set SKEIN_TEST_CLI_DIR to a folder holding it.')
  )
}

// ---- processes: every CLI runs in its own process group, killed after each test whatever happened ----

interface Finished {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}
interface Running {
  child: ChildProcess
  what: string
  output(): string
  exited: Promise<Finished>
}

const started: ChildProcess[] = []
/** Pids of processes the CLIs started for a test (a `sleep` it leaves behind), killed afterwards. */
const strays: number[] = []
const closers: (() => Promise<void>)[] = []

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return
  try {
    process.kill(-child.pid, 'SIGKILL')
  } catch {
    // The group is gone already.
  }
}

afterEach(async () => {
  for (const child of started.splice(0)) killGroup(child)
  for (const pid of strays.splice(0)) {
    try {
      // Only while it is still the command the test started (a pid can be reused once it ended).
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('sleep\0')) process.kill(pid, 'SIGKILL')
    } catch {
      // Ended already.
    }
  }
  for (const close of closers.splice(0)) await close()
  await cleanupTemp()
})

/** Starts a CLI with stdin closed (it waits for input otherwise), collecting its output. */
function start(what: string, cmd: string, args: string[], cwd: string, env: Record<string, string>): Running {
  // detached: a process group of its own, so the CLI and anything it started can be killed together.
  const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  started.push(child)
  let stdout = ''
  let stderr = ''
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const exited = new Promise<Finished>((done, fail) => {
    child.once('error', fail)
    // 'exit', not 'close': a process the CLI left behind may hold the pipes open.
    child.once('exit', (code, signal) => done({ code, signal, stdout, stderr }))
  })
  return { child, what, exited, output: () => `--- stdout:\n${stdout.slice(-3000)}\n--- stderr:\n${stderr.slice(-3000)}` }
}

/** Waits for the run to end (killing it past the ceiling) and fails unless it exited 0. */
async function finish(run: Running, expectCode: number | null = 0): Promise<Finished> {
  let timer: NodeJS.Timeout | undefined
  const ceiling = new Promise<never>((_, fail) => {
    timer = setTimeout(() => {
      killGroup(run.child)
      fail(new Error(`${run.what} did not end within ${RUN_CEILING_MS / 1000} s\n${run.output()}`))
    }, RUN_CEILING_MS)
  })
  try {
    const result = await Promise.race([run.exited, ceiling])
    if (expectCode !== null && result.code !== expectCode)
      throw new Error(`${run.what} exited with ${result.code ?? result.signal}, expected ${expectCode}\n${run.output()}`)
    return result
  } finally {
    clearTimeout(timer)
  }
}

// ---- files ----

/** Every file under `dir` (recursively) whose name passes `keep`. */
function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return []
  const out: string[] = []
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...filesUnder(p, keep))
    else if (e.isFile() && keep(e.name)) out.push(p)
  }
  return out.sort()
}

function jsonLines(path: string): Record<string, any>[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, any>)
}

/** The tool items of an import, reduced to what the CLI ran and what came back. */
function toolsOf(items: Item[], command: (input: Record<string, unknown>) => unknown) {
  return items
    .filter((i) => i.kind === 'tool')
    .map((i) => ({
      name: i.tool!.name,
      command: command(i.tool!.input as Record<string, unknown>),
      output: i.tool!.output,
      isError: i.tool!.isError ?? false,
      exitCode: i.tool!.exitCode ?? null,
      status: i.status
    }))
}

const texts = (items: Item[], kind: Item['kind']): (string | undefined)[] => items.filter((i) => i.kind === kind).map((i) => i.text)

// ---- Claude Code ----

const C_PROMPT1 = 'Check the build helpers: run both of them.'
const C_PROMPT2 = 'Now print the second marker, please.'
const C_OK = 'echo claude-ok-$((6*7))'
const C_FAIL = 'exit 3'
const C_SECOND = 'echo claude-second-$((2+3))'
const C_REPLY1 = 'The first helper printed claude-ok-42; the second one failed with exit code 3.'
const C_REPLY2 = 'The second marker is claude-second-5.'

/** The text of a Messages API message's content (string or blocks, tool results left out). */
function messageText(content: unknown): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  return content.map((b: any) => (b?.type === 'text' && typeof b.text === 'string' ? b.text : '')).join('\n')
}

/**
 * The scripted model: decides from what came after the last assistant message (the prompt, or the
 * tool results), whatever else Claude Code asks. Claude Code 2.1.332 sends the environment as a
 * trailing `system` message after the prompt, so the prompt is not always the last message.
 */
function claudeModel(body: any): ScriptedStep {
  // Requests without the Bash tool are Claude Code's own side queries, not the conversation.
  if (!(body.tools ?? []).some((t: any) => t?.name === 'Bash')) return { text: 'ok' }
  const messages: any[] = body.messages ?? []
  const since = messages.slice(messages.findLastIndex((m) => m?.role === 'assistant') + 1)
  const results = since.flatMap((m) => (Array.isArray(m?.content) ? m.content : [])).filter((c: any) => c?.type === 'tool_result')
  if (results.length) {
    const out = JSON.stringify(results)
    if (out.includes('claude-second-5')) return { text: C_REPLY2 }
    if (out.includes('claude-ok-42') && results.length === 2) return { text: C_REPLY1 }
    return { text: `unexpected tool results: ${out.slice(0, 200)}` }
  }
  const text = since.map((m) => messageText(m?.content)).join('\n')
  if (text.includes(C_PROMPT2))
    return { toolUses: [{ name: 'Bash', input: { command: C_SECOND, description: 'Print the second marker' } }] }
  if (text.includes(C_PROMPT1)) {
    // Two calls in one reply: Claude Code runs them in parallel and writes each as its own line.
    return {
      toolUses: [
        { name: 'Bash', input: { command: C_OK, description: 'Run the first helper' } },
        { name: 'Bash', input: { command: C_FAIL, description: 'Run the second helper' } }
      ]
    }
  }
  return { text: 'ok' }
}

// ---- Codex ----

const X_PROMPT1 = 'Run the two health checks for me.'
const X_PROMPT2 = 'And now the follow-up check.'
const X_PROMPT3 = 'Wait for the long job to finish.'
const X_OK = 'echo codex-ok-$((6*7))'
const X_FAIL = 'exit 3'
const X_SECOND = 'echo codex-second-$((2+3))'
const X_REPLY1 = 'Check one printed codex-ok-42; check two exited with 3.'
const X_REPLY2 = 'The follow-up printed codex-second-5.'

function inputText(content: unknown): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  return content.map((c: any) => (typeof c?.text === 'string' ? c.text : '')).join('\n')
}

/**
 * The scripted Responses model: finds the latest of the test's prompts in the request's input and
 * answers from what followed it (no outputs yet: the calls; outputs: the reply).
 */
function codexModel(sleepCommand: string) {
  return (body: any): ResponsesStep => {
    const input: any[] = Array.isArray(body?.input) ? body.input : []
    let at = -1
    let prompt: string | undefined
    for (let i = input.length - 1; i >= 0 && !prompt; i--) {
      if (input[i]?.role !== 'user') continue
      const t = inputText(input[i].content)
      prompt = [X_PROMPT1, X_PROMPT2, X_PROMPT3].find((p) => t.includes(p))
      at = i
    }
    if (!prompt) return { text: 'ok' }
    const outputs = input.slice(at + 1).filter((x) => x?.type === 'function_call_output')
    if (prompt === X_PROMPT1)
      return outputs.length >= 2
        ? { text: X_REPLY1 }
        : {
            calls: [
              { name: 'exec_command', arguments: { cmd: X_OK } },
              { name: 'exec_command', arguments: { cmd: X_FAIL } }
            ]
          }
    if (prompt === X_PROMPT2)
      return outputs.length ? { text: X_REPLY2 } : { calls: [{ name: 'exec_command', arguments: { cmd: X_SECOND } }] }
    // The long job: held open well past the time the test takes to interrupt it.
    return outputs.length
      ? { text: 'The long job ended.' }
      : { calls: [{ name: 'exec_command', arguments: { cmd: sleepCommand, yield_time_ms: 30_000 } }] }
  }
}

/** A CODEX_HOME pointing Codex at the scripted server, and the environment to run it with. */
function codexSetup(serverUrl: string): { home: string; codexHome: string; env: Record<string, string> } {
  const home = tempDir('skein-live-codex-user-')
  const codexHome = join(home, '.codex')
  mkdirSync(codexHome)
  writeFileSync(
    join(codexHome, 'config.toml'),
    [
      'model = "scripted"',
      'model_provider = "local"',
      '',
      '[model_providers.local]',
      'name = "local"',
      `base_url = "${serverUrl}"`,
      'wire_api = "responses"',
      'env_key = "LOCAL_KEY"',
      ''
    ].join('\n')
  )
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    CODEX_HOME: codexHome,
    LOCAL_KEY: 'sk-local-test',
    SHELL: '/bin/bash',
    GIT_CONFIG_NOSYSTEM: '1'
  }
  return { home, codexHome, env }
}

const CODEX_FLAGS = ['--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox']

describe('handoff of sessions written by the real CLIs', () => {
  it(
    'imports a two-turn Claude Code session with parallel, failing and resumed tool calls, lists it, and imports it through the service',
    async () => {
      const claude = cliPath('claude')
      const repo = makeRepo('live-claude')
      const home = tempDir('skein-live-claude-user-')
      writeFileSync(join(home, '.claude.json'), JSON.stringify({ hasCompletedOnboarding: true }))
      const server = await startModelServer({ respond: (body) => claudeModel(body) })
      closers.push(() => server.close())
      const env = {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: home,
        SHELL: '/bin/bash',
        GIT_CONFIG_NOSYSTEM: '1',
        ANTHROPIC_BASE_URL: server.url,
        ANTHROPIC_API_KEY: 'sk-test',
        DISABLE_AUTOUPDATER: '1',
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1'
      }
      const projects = join(home, '.claude', 'projects')
      const sessionFiles = () => filesUnder(projects, (n) => n.endsWith('.jsonl'))

      // Turn 1: the prompt comes right after -p (--allowedTools takes every argument after it).
      await finish(start('claude -p (turn 1)', claude, ['-p', C_PROMPT1, '--allowedTools', 'Bash'], repo, env))
      const files = sessionFiles()
      expect(files, 'one session file after the first turn').toHaveLength(1)
      const file = files[0]!
      const sessionId = basename(file, '.jsonl')

      // Turn 2: the same session, resumed.
      await finish(
        start('claude -p --resume (turn 2)', claude, ['-p', C_PROMPT2, '--resume', sessionId, '--allowedTools', 'Bash'], repo, env)
      )
      expect(sessionFiles(), 'the resumed turn is written to the same file').toEqual([file])

      // The model saw both turns' tool results: the CLI really ran the commands.
      const conversation = server.requests.filter((r) => (r.body?.tools ?? []).some((t: any) => t?.name === 'Bash'))
      expect(conversation.length).toBeGreaterThanOrEqual(4)
      const model = conversation[0]!.body.model as string

      const s = must(await importSession('claude', file, { threadId: 't' }))
      for (const item of s.items) expect(() => Item.parse(item)).not.toThrow()
      expect(s).toMatchObject({ source: 'claude', sessionId, cwd: repo, model })
      expect(s.report).toMatchObject({
        prompts: 2,
        replies: 2,
        toolCalls: 3,
        toolResults: 3,
        failedTools: 1,
        interruptions: 0,
        compactions: 0,
        warnings: []
      })
      expect(s.items.map((i) => i.kind)).toEqual(['notice', 'user', 'tool', 'tool', 'assistant', 'user', 'tool', 'assistant'])
      expect(texts(s.items, 'user')).toEqual([C_PROMPT1, C_PROMPT2])
      expect(texts(s.items, 'assistant')).toEqual([C_REPLY1, C_REPLY2])
      expect(toolsOf(s.items, (input) => input.command)).toEqual([
        { name: 'Bash', command: C_OK, output: 'claude-ok-42', isError: false, exitCode: null, status: 'completed' },
        { name: 'Bash', command: C_FAIL, output: 'Exit code 3', isError: true, exitCode: 3, status: 'completed' },
        { name: 'Bash', command: C_SECOND, output: 'claude-second-5', isError: false, exitCode: null, status: 'completed' }
      ])
      // The two parallel calls are one reply: one step.
      const [first, second, third] = s.items.filter((i) => i.kind === 'tool')
      expect(first!.stepId).toBe(second!.stepId)
      expect(third!.stepId).not.toBe(first!.stepId)
      // The title is the person's first prompt, not a notification or Claude Code's bookkeeping.
      expect(s.title).toBe(C_PROMPT1)
      // The scripted server reports usage on every reply; the default model is priced.
      expect(s.usage?.input).toBeGreaterThan(0)
      expect(s.usage?.output).toBeGreaterThan(0)
      expect(s.usage?.costUsd).toBeGreaterThan(0)
      // …and comes to what Claude Code itself counted for the session (its last cost-state record).
      const costStates = jsonLines(file).filter((r) => r.type === 'cost-state')
      expect(costStates.length).toBeGreaterThan(0)
      expect(s.usage!.costUsd).toBeCloseTo(costStates.at(-1)!.totalCostUSD as number, 6)

      // Discovery: the session is listed once; the project folder's memory/ is not a session.
      const projectDir = resolve(file, '..')
      expect(statSync(join(projectDir, 'memory')).isDirectory(), 'Claude Code keeps a memory/ folder next to the session').toBe(true)
      const listed = await listSessions({ home, env: {} })
      expect(
        listed.map((l) => ({ source: l.source, sessionId: l.sessionId, path: l.path, cwd: l.cwd, firstPrompt: l.firstPrompt }))
      ).toEqual([{ source: 'claude', sessionId, path: file, cwd: repo, firstPrompt: C_PROMPT1 }])

      // The service: listed in the repository, imported as `--last` there, as a local thread of it.
      const { core } = await makeCore()
      const handoff = new HandoffService({
        repos: core.repos,
        threads: core.threads,
        transcript: core.transcript,
        ptys: core.ptys,
        bus: core.bus,
        home,
        env: {}
      })
      expect((await handoff.list({ dir: repo })).map((l) => [l.source, l.sessionId, l.path, l.threadId])).toEqual([
        ['claude', sessionId, file, null]
      ])
      const imported = must(await handoff.import({ source: 'claude', last: true, cwd: repo }))
      expect(imported).toMatchObject({ created: true, items: s.items.length, added: s.items.length, malformed: 0 })
      expect(imported.thread).toMatchObject({
        mode: 'local',
        worktreePath: repo,
        title: C_PROMPT1,
        imported: { source: 'claude', sessionId, cwd: repo, path: file }
      })
      const saved = await core.agent.items(imported.thread.id)
      expect(saved.map((i) => [i.kind, i.text ?? i.tool?.output])).toEqual(s.items.map((i) => [i.kind, i.text ?? i.tool?.output]))
      expect((await handoff.list({ dir: repo }))[0]!.threadId).toBe(imported.thread.id)
    },
    TEST_CEILING_MS
  )

  it(
    'imports a two-turn Codex session (exec, then exec resume --last) with a failing command',
    async () => {
      const codex = cliPath('codex')
      const proj = tempDir('skein-live-codex-proj-')
      const server = await startResponsesServer(codexModel('true'))
      closers.push(() => server.close())
      const { codexHome, env } = codexSetup(server.url)
      const rollouts = () => filesUnder(join(codexHome, 'sessions'), (n) => n.startsWith('rollout-') && n.endsWith('.jsonl'))

      await finish(start('codex exec (turn 1)', codex, ['exec', ...CODEX_FLAGS, X_PROMPT1], proj, env))
      const files = rollouts()
      expect(files, 'one rollout after the first turn').toHaveLength(1)
      const file = files[0]!
      // `resume --last` picks the newest session of this folder; its first positional is the prompt.
      await finish(start('codex exec resume --last (turn 2)', codex, ['exec', 'resume', '--last', ...CODEX_FLAGS, X_PROMPT2], proj, env))
      expect(rollouts(), 'the resumed turn is written to the same rollout').toEqual([file])

      const meta = jsonLines(file)[0]!
      expect(meta.type).toBe('session_meta')
      const s = must(await importSession('codex', file, { threadId: 't' }))
      for (const item of s.items) expect(() => Item.parse(item)).not.toThrow()
      expect(s).toMatchObject({ source: 'codex', sessionId: meta.payload.id, cwd: proj, model: 'scripted', title: X_PROMPT1 })
      expect(file.endsWith(`${s.sessionId}.jsonl`)).toBe(true)
      expect(s.report).toMatchObject({
        prompts: 2,
        replies: 2,
        toolCalls: 3,
        toolResults: 3,
        failedTools: 1,
        interruptions: 0,
        compactions: 0,
        warnings: []
      })
      expect(s.items.map((i) => i.kind)).toEqual(['notice', 'user', 'tool', 'tool', 'assistant', 'user', 'tool', 'assistant'])
      expect(texts(s.items, 'user')).toEqual([X_PROMPT1, X_PROMPT2])
      expect(texts(s.items, 'assistant')).toEqual([X_REPLY1, X_REPLY2])
      const tools = toolsOf(s.items, (input) => input.cmd)
      expect(tools.map(({ output, ...t }) => t)).toEqual([
        { name: 'exec_command', command: X_OK, isError: false, exitCode: 0, status: 'completed' },
        { name: 'exec_command', command: X_FAIL, isError: true, exitCode: 3, status: 'completed' },
        { name: 'exec_command', command: X_SECOND, isError: false, exitCode: 0, status: 'completed' }
      ])
      // exec_command outputs carry a header (chunk id, wall time, exit) before the command's output.
      expect(tools[0]!.output).toMatch(/Process exited with code 0[\s\S]*\nOutput:\ncodex-ok-42\n?$/)
      expect(tools[1]!.output).toMatch(/Process exited with code 3/)
      expect(tools[2]!.output).toMatch(/Output:\ncodex-second-5\n?$/)
      // Both turns' usage: the server reports 100 in / 20 out per response, four responses at least.
      expect(s.usage?.input).toBeGreaterThanOrEqual(400)
      expect(s.usage?.output).toBeGreaterThanOrEqual(80)
    },
    TEST_CEILING_MS
  )

  it(
    'imports a Codex turn interrupted (SIGINT) while its command runs, as an interruption',
    async () => {
      const codex = cliPath('codex')
      const proj = tempDir('skein-live-codex-proj-')
      const pidFile = join(proj, 'long-job.pid')
      // The command records its pid (exec: the pid is sleep's) so the test knows it runs, and can end it.
      const server = await startResponsesServer(codexModel(`echo $$ > ${pidFile}; exec sleep 120`))
      closers.push(() => server.close())
      const { codexHome, env } = codexSetup(server.url)

      const run = start('codex exec (interrupted)', codex, ['exec', ...CODEX_FLAGS, X_PROMPT3], proj, env)
      await eventually(
        () => existsSync(pidFile) && /^\d+\s*$/.test(readFileSync(pidFile, 'utf8')),
        'the long command to start',
        RUN_CEILING_MS
      )
      const sleepPid = Number(readFileSync(pidFile, 'utf8').trim())
      strays.push(sleepPid)
      // Ctrl-C, as in a terminal: to the CLI only (the npm wrapper execs the native binary: same pid).
      process.kill(run.child.pid!, 'SIGINT')
      await finish(run, null)

      const files = filesUnder(join(codexHome, 'sessions'), (n) => n.startsWith('rollout-') && n.endsWith('.jsonl'))
      expect(files).toHaveLength(1)
      const records = jsonLines(files[0]!)
      const aborted = records.filter((r) => r.type === 'event_msg' && r.payload?.type === 'turn_aborted')
      expect(aborted, 'the rollout records the aborted turn').toHaveLength(1)
      expect(aborted[0]!.payload.reason).toBe('interrupted')

      const s = must(await importSession('codex', files[0]!, { threadId: 't' }))
      for (const item of s.items) expect(() => Item.parse(item)).not.toThrow()
      expect(texts(s.items, 'user')).toEqual([X_PROMPT3])
      expect(s.report).toMatchObject({ prompts: 1, toolCalls: 1, interruptions: 1, warnings: [] })
      expect(s.items.filter((i) => i.kind === 'notice').map((i) => i.text)).toEqual([
        `Imported from Codex session ${s.sessionId}`,
        'Interrupted by the user.'
      ])
      const [tool] = s.items.filter((i) => i.kind === 'tool')
      expect(tool!.tool).toMatchObject({ name: 'exec_command', input: { cmd: `echo $$ > ${pidFile}; exec sleep 120` } })
      // Codex 0.171 answers the aborted call itself ("Wall time: …\naborted by user").
      expect(tool!.tool!.output).toMatch(/aborted by user/)
      // A killed command is never shown as a success.
      expect(tool).toMatchObject({ status: 'interrupted', tool: { isError: true } })
      expect(s.report.failedTools).toBe(1)
      // The notice comes after the call it interrupted.
      expect(s.items.findIndex((i) => i.text === 'Interrupted by the user.')).toBeGreaterThan(s.items.indexOf(tool!))
    },
    TEST_CEILING_MS
  )
})
