/**
 * Setup for driving the real Claude Code and Codex CLIs (the pinned devDependencies) in Skein ptys
 * against the scripted local servers: a temp HOME each CLI starts in without asking anything, the
 * CLIs on PATH, Skein's own delivery of prompts, and cleanup of what Codex leaves running.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { AgentDelivery } from '../../src/main/core/agent/send-to-agent'
import type { Core } from '../../src/main/core/core'
import { tempDir } from './fixtures'
import { startModelServer, type ModelServer } from './model-server'

/** The folder holding the real `claude` and `codex` executables. */
export const CLI_BIN = resolve(__dirname, '../../node_modules/.bin')

/** The key Claude Code is given; the scripted server accepts any. */
const CLAUDE_KEY = 'sk-ant-test-0123456789abcdefghijklmnop'

/**
 * Points this process's environment (which Skein's ptys inherit) at a fresh HOME where Claude Code
 * has finished onboarding, trusts `folders` and accepts the test key, talking to `serverUrl`.
 */
export function useClaudeHome(folders: string[], serverUrl: string): { home: string; trust(folder: string): void } {
  const home = tempDir('skein-claude-user-')
  const config = join(home, '.claude.json')
  writeFileSync(
    config,
    JSON.stringify({
      hasCompletedOnboarding: true,
      projects: Object.fromEntries(folders.map((f) => [f, { hasTrustDialogAccepted: true }])),
      customApiKeyResponses: { approved: [CLAUDE_KEY.slice(-20)], rejected: [] }
    })
  )
  Object.assign(process.env, {
    HOME: home,
    PATH: `${CLI_BIN}:${process.env.PATH}`,
    ANTHROPIC_BASE_URL: serverUrl,
    ANTHROPIC_API_KEY: CLAUDE_KEY,
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1'
  })
  // Claude Code rewrites this file as it runs: read it afresh to add a folder (e.g. a new worktree).
  const trust = (folder: string) => {
    const json = JSON.parse(readFileSync(config, 'utf8'))
    writeFileSync(config, JSON.stringify({ ...json, projects: { ...json.projects, [folder]: { hasTrustDialogAccepted: true } } }))
  }
  return { home, trust }
}

/** Points this process's environment at a fresh HOME and CODEX_HOME where Codex uses `serverUrl` and trusts `folders`. */
export function useCodexHome(folders: string[], serverUrl: string): { home: string; codexHome: string; trust(folder: string): void } {
  const home = tempDir('skein-codex-user-')
  const codexHome = join(home, '.codex')
  mkdirSync(codexHome)
  const config = join(codexHome, 'config.toml')
  const trusted = (f: string) => [`[projects."${f}"]`, 'trust_level = "trusted"', '']
  writeFileSync(
    config,
    [
      'model = "scripted"',
      'model_provider = "local"',
      '',
      '[model_providers.local]',
      'name = "local"',
      `base_url = "${serverUrl}"`,
      'wire_api = "responses"',
      'env_key = "LOCAL_KEY"',
      '',
      ...folders.flatMap(trusted),
      ''
    ].join('\n')
  )
  Object.assign(process.env, {
    HOME: home,
    CODEX_HOME: codexHome,
    LOCAL_KEY: 'sk-local-test',
    DISABLE_AUTOUPDATER: '1',
    PATH: `${CLI_BIN}:${process.env.PATH}`
  })
  return { home, codexHome, trust: (folder) => appendFileSync(config, trusted(folder).join('\n')) }
}

/**
 * Codex 0.171 starts a shared app-server daemon (and its pid-update loop) that outlives the TUI;
 * ends the ones started under this test's CODEX_HOME, checked by their command line, by pid.
 */
export function stopCodexDaemons(codexHome: string): void {
  const dir = join(codexHome, 'app-server-daemon')
  if (!existsSync(dir)) return
  const pids = new Set<number>()
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.pid'))) {
    const text = readFileSync(join(dir, name), 'utf8').trim()
    const pid = Number(/"pid"\s*:\s*(\d+)/.exec(text)?.[1] ?? text)
    if (Number.isInteger(pid) && pid > 1) pids.add(pid)
  }
  // The pid-update loop writes no pid file of its own: find it by the daemon binary under this CODEX_HOME.
  for (const entry of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    const cmdline = readCmdline(Number(entry))
    if (cmdline.startsWith(join(codexHome, 'packages'))) pids.add(Number(entry))
  }
  for (const pid of pids) {
    if (!readCmdline(pid).includes(codexHome)) continue
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // Already gone.
    }
  }
}

function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')
  } catch {
    return ''
  }
}

/** Skein's own delivery of text to a thread's CLI agent (bracketed paste, then Enter), on this core's ptys. */
export function deliveryFor(core: Core): AgentDelivery {
  return new AgentDelivery({
    writeToPty: (ptyId, data) => core.ptys.write(ptyId, data),
    sendToAgent: async () => {
      throw new Error('these threads have a CLI agent, never the built-in one')
    },
    tapPty: (ptyId, listener) => core.ptys.tap(ptyId, listener),
    bracketedPaste: (ptyId) => core.ptys.bracketedPaste(ptyId),
    acceptsPrompt: () => true
  })
}

/** The PROMPT-x / REPLY-x markers in a text, in order: what a conversation held. */
export const markers = (text: string): string[] => text.match(/(?:PROMPT|REPLY)-[A-Z]+/g) ?? []

/** The conversation each streamed turn request carried, as its markers (Claude Code's side requests are not streamed). */
export const conversations = (s: ModelServer): string[][] =>
  s.requests.filter((r) => r.body?.stream).map((r) => markers(JSON.stringify(r.body?.messages ?? [])))

/** A scripted Messages server whose every reply names the latest prompt of its request: REPLY-ONE answers PROMPT-ONE. */
export function startEchoServer(): Promise<ModelServer> {
  const latestPrompt = (body: { messages?: unknown }) =>
    markers(JSON.stringify(body.messages ?? []))
      .filter((m) => m.startsWith('PROMPT-'))
      .at(-1)
  return startModelServer({ respond: (body) => ({ text: `REPLY-${latestPrompt(body)?.slice('PROMPT-'.length) ?? 'NONE'}` }) })
}
