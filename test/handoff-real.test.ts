import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { itemIdPrefix, type ImportedSession, type SessionSource } from '../src/main/core/handoff/import-types'
import { importSession } from '../src/main/core/handoff/session-import'
import type { ImportReport, Item } from '../src/shared/models'
import { cleanupTemp, must, tempDir } from './helpers/fixtures'

// Real recorded Claude Code and Codex session files (see test/fixtures/sessions/SOURCES.md), imported
// and checked against count_session.py: a counter written from the file formats, not from the importers.

afterEach(cleanupTemp)

const SESSIONS = fileURLToPath(new URL('./fixtures/sessions', import.meta.url))
const COUNTER = join(SESSIONS, 'count_session.py')
const SUMMARY_ONLY = 'claude/d0608523-a955-427f-bdb4-4ea27ddc16b8.jsonl'
const opts = { threadId: 'thread-real' }

const COUNT_KEYS = ['prompts', 'replies', 'toolCalls', 'toolResults', 'failedTools', 'interruptions', 'compactions'] as const
type Counts = Pick<ImportReport, (typeof COUNT_KEYS)[number]>
interface Counted extends Counts {
  /** Claude: the prompt records' uuids, in file order. */
  promptIds?: string[]
  /** Failed tool calls by id, with the exit code the file states (null when it states none). */
  failed: Record<string, number | null>
}

type Rec = Record<string, unknown> & {
  uuid?: string
  type?: string
  subtype?: string
  logicalParentUuid?: string
  isSidechain?: boolean
  isCompactSummary?: boolean
}

/** Every .jsonl under test/fixtures/sessions/{claude,codex}, as "claude/…" paths. */
function fixtureFiles(): { rel: string; source: SessionSource; path: string }[] {
  const out: { rel: string; source: SessionSource; path: string }[] = []
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.name.endsWith('.jsonl'))
        out.push({
          rel: relative(SESSIONS, p).split('\\').join('/'),
          source: relative(SESSIONS, p).startsWith('claude') ? 'claude' : 'codex',
          path: p
        })
    }
  }
  for (const source of ['claude', 'codex'] as const) walk(join(SESSIONS, source))
  return out
}

const FILES = fixtureFiles()
const pathOf = (rel: string): string => join(SESSIONS, rel)

function count(source: SessionSource, path: string): Counted {
  return JSON.parse(execFileSync('python3', [COUNTER, source, path, '--ids'], { encoding: 'utf8' })) as Counted
}

function records(path: string): Rec[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Rec)
}

// Imports are cached: the big files are imported once per check, plus once more for idempotence.
const imported = new Map<string, ImportedSession>()
async function load(rel: string): Promise<ImportedSession> {
  const cached = imported.get(rel)
  if (cached) return cached
  const s = must(await importSession(rel.startsWith('claude') ? 'claude' : 'codex', pathOf(rel), opts))
  imported.set(rel, s)
  return s
}

const pick = (r: Counts): Counts => Object.fromEntries(COUNT_KEYS.map((k) => [k, r[k]])) as Counts
/** What follows an item id's session prefix: a record uuid, `tool-<id>`, `L<line>`, … */
const idTail = (s: ImportedSession, item: Item): string => item.id.slice(itemIdPrefix(s.source, s.sessionId).length + 1)
const tools = (s: ImportedSession): Item[] => s.items.filter((i) => i.kind === 'tool')
const userText = (r: Rec): string => {
  const content = (r.message as { content?: unknown } | undefined)?.content
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  return content.map((b: { type?: string; text?: string }) => (b?.type === 'text' ? (b.text ?? '') : '')).join('\n')
}

describe('real session files: the import matches an independent count of the file', () => {
  it('finds the fixture files', () => {
    expect(FILES.filter((f) => f.source === 'claude').length).toBeGreaterThanOrEqual(14)
    expect(FILES.filter((f) => f.source === 'codex').length).toBeGreaterThanOrEqual(8)
    expect(FILES.map((f) => f.rel)).toContain(SUMMARY_ONLY)
  })

  for (const f of FILES.filter((x) => x.rel !== SUMMARY_ONLY)) {
    it(`${f.rel}: counts equal count_session.py, no warnings, the same prompts and failures`, async () => {
      const s = await load(f.rel)
      const counted = count(f.source, f.path)
      expect(pick(s.report)).toEqual(pick(counted))
      expect(s.report.warnings).toEqual([])
      if (counted.promptIds) {
        expect(s.items.filter((i) => i.kind === 'user').map((i) => idTail(s, i))).toEqual(counted.promptIds)
      }
      // Every failure the file states is an error item, with the exit code the file states.
      const byUse = new Map(tools(s).map((t) => [t.tool!.useId, t.tool!]))
      for (const [useId, exitCode] of Object.entries(counted.failed)) {
        const tool = byUse.get(useId)
        expect(tool, useId).toBeDefined()
        expect(tool!.isError, useId).toBe(true)
        if (exitCode !== null) expect(tool!.exitCode, useId).toBe(exitCode)
      }
      expect(
        tools(s)
          .filter((t) => t.tool!.isError)
          .map((t) => t.tool!.useId)
          .sort()
      ).toEqual(Object.keys(counted.failed).sort())
    })

    it(`${f.rel}: importing again gives identical items`, async () => {
      const a = await load(f.rel)
      const b = must(await importSession(f.source, f.path, opts))
      expect(b.items.map((i) => i.id)).toEqual(a.items.map((i) => i.id))
      expect(new Set(a.items.map((i) => i.id)).size).toBe(a.items.length)
      expect(b.importKey).toBe(a.importKey)
      expect(b.report).toEqual(a.report)
    })
  }

  it('a summary-only session file is refused: it holds no conversation', async () => {
    const r = await importSession('claude', pathOf(SUMMARY_ONLY), opts)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.message).toMatch(/holds no conversation/)
  })
})

describe('real session files: shapes', () => {
  // Files with <task-notification> records, and how many each has.
  const NOTIFIED: Record<string, number> = {
    'claude/4d5611e5-241a-462a-8d15-5122611a9569.jsonl': 1,
    'claude/text-replaced/9a6e9f2f-17d2-46d1-b68a-cea0a7a21158.jsonl': 3
  }
  for (const [rel, n] of Object.entries(NOTIFIED)) {
    it(`${rel}: task notifications are notices, never prompts or the title`, async () => {
      const s = await load(rel)
      const notes = records(pathOf(rel)).filter(
        (r) => r.type === 'user' && !r.isSidechain && userText(r).trimStart().startsWith('<task-notification>')
      )
      expect(notes).toHaveLength(n)
      for (const r of notes) {
        const item = s.items.find((i) => idTail(s, i) === r.uuid)
        expect(item, r.uuid).toBeDefined()
        expect(item!.kind).toBe('notice')
        const status = /<status>([\s\S]*?)<\/status>/.exec(userText(r))![1]!.trim()
        const summary = /<summary>([\s\S]*?)<\/summary>/.exec(userText(r))![1]!.trim()
        expect(item!.text).toBe(`Background task ${status}: ${summary}`)
        expect(s.title).not.toContain(summary)
      }
      expect(s.items.filter((i) => i.kind === 'user' && /task-notification/.test(i.text ?? ''))).toEqual([])
      expect(s.title).not.toMatch(/task-notification|^Background task/)
    })
  }

  // Files with compact_boundary records whose logicalParentUuid is not in the file, and how many.
  const COMPACTED: Record<string, number> = {
    'claude/4d5611e5-241a-462a-8d15-5122611a9569.jsonl': 1,
    'claude/text-replaced/675b2557-7e98-4a6c-9795-be2262cc9825.jsonl': 3,
    'claude/text-replaced/cd12a960-09e7-4ae0-bacc-11eec8d87447.jsonl': 1,
    'claude/text-replaced/05541cb5-fe43-41c9-87ef-2a6d89bba271.jsonl': 1
  }
  for (const [rel, n] of Object.entries(COMPACTED)) {
    it(`${rel}: a compaction whose logical parent is missing keeps the history before it`, async () => {
      const s = await load(rel)
      const recs = records(pathOf(rel))
      const uuids = new Set(recs.map((r) => r.uuid).filter(Boolean))
      const boundaries = recs.flatMap((r, line) =>
        r.subtype === 'compact_boundary' && r.logicalParentUuid && !uuids.has(r.logicalParentUuid) ? [line] : []
      )
      expect(boundaries).toHaveLength(n)
      const promptIds = count('claude', pathOf(rel)).promptIds!
      const lineOf = new Map(recs.map((r, line) => [r.uuid, line]))
      const index = new Map(s.items.map((i, k) => [idTail(s, i), k]))
      for (const b of boundaries) {
        const before = promptIds.filter((u) => lineOf.get(u)! < b)
        const after = promptIds.filter((u) => lineOf.get(u)! > b)
        expect(before.length, `prompts before the boundary on line ${b + 1}`).toBeGreaterThan(0)
        for (const u of [...before, ...after]) expect(index.has(u), u).toBe(true)
        // The compaction's notice sits between the last prompt before the boundary and the first after it.
        const summary = recs.find((r, line) => line > b && r.isCompactSummary === true)!
        const notice = s.items[index.get(summary.uuid!)!]!
        expect(notice.kind).toBe('notice')
        expect(notice.text).toMatch(/compacted the conversation/)
        expect(index.get(before.at(-1)!)!).toBeLessThan(index.get(summary.uuid!)!)
        if (after.length) expect(index.get(summary.uuid!)!).toBeLessThan(index.get(after[0]!)!)
      }
    })
  }

  // Files whose failed commands state an exit code, and how many such failures each has.
  const EXIT_CODES: Record<string, number> = {
    'claude/4d5611e5-241a-462a-8d15-5122611a9569.jsonl': 2,
    'claude/text-replaced/e1dfbe01-dcf6-44fc-94df-f21d14450da6.jsonl': 1,
    'claude/text-replaced/cd12a960-09e7-4ae0-bacc-11eec8d87447.jsonl': 7,
    'claude/text-replaced/05541cb5-fe43-41c9-87ef-2a6d89bba271.jsonl': 9,
    'codex/rollout-2025-11-12T17-48-11-019a7ae6-1945-7c63-98f2-210adb922af9.jsonl': 14,
    'codex/rollout-2025-11-24T13-02-00-019ab73e-8c11-7ad2-b604-5987891db560.jsonl': 3,
    'codex/rollout-2025-11-24T13-38-49-019ab760-3d78-7fd0-9ea1-4c39e889b87b.jsonl': 2,
    'codex/rollout-2025-11-24T14-01-05-019ab774-a2e4-7891-a22a-3c11d9deb235.jsonl': 1,
    'codex/text-replaced/rollout-2025-12-25T22-45-23-019b55c1-d022-7061-bbb9-b0c90708472b.jsonl': 9,
    'codex/text-replaced/rollout-2026-04-08T22-02-46-019d6d67-1952-7e83-93ef-94497e3c15b6.jsonl': 11
  }
  for (const [rel, n] of Object.entries(EXIT_CODES)) {
    it(`${rel}: failed commands are errors with their exit code`, async () => {
      const s = await load(rel)
      const failed = Object.entries(count(rel.startsWith('claude') ? 'claude' : 'codex', pathOf(rel)).failed).filter(
        ([, code]) => code !== null
      )
      expect(failed).toHaveLength(n)
      const byUse = new Map(tools(s).map((t) => [t.tool!.useId, t.tool!]))
      for (const [useId, code] of failed) {
        expect(code).not.toBe(0)
        expect(byUse.get(useId)?.isError, useId).toBe(true)
        expect(byUse.get(useId)?.exitCode, useId).toBe(code)
      }
      // A command that succeeded is no error, and says so when the file states its exit code.
      const ok = tools(s).filter((t) => t.tool!.exitCode === 0)
      for (const t of ok) expect(t.tool!.isError, t.tool!.useId).toBe(false)
    })
  }

  it('codex: rejected patches are errors', async () => {
    for (const rel of [
      'codex/rollout-2025-11-12T17-48-11-019a7ae6-1945-7c63-98f2-210adb922af9.jsonl',
      'codex/text-replaced/rollout-2025-12-25T22-45-23-019b55c1-d022-7061-bbb9-b0c90708472b.jsonl'
    ]) {
      const s = await load(rel)
      const rejected = tools(s).filter((t) => /^apply_patch verification failed/.test(t.tool!.output ?? ''))
      expect(rejected.length, rel).toBeGreaterThan(0)
      for (const t of rejected) expect(t.tool!.isError, t.tool!.useId).toBe(true)
    }
  })

  // Codex files with turn_aborted events.
  const ABORTED = [
    'codex/rollout-2025-11-12T17-48-11-019a7ae6-1945-7c63-98f2-210adb922af9.jsonl',
    'codex/rollout-2025-11-24T13-38-49-019ab760-3d78-7fd0-9ea1-4c39e889b87b.jsonl',
    'codex/text-replaced/rollout-2025-12-25T22-45-23-019b55c1-d022-7061-bbb9-b0c90708472b.jsonl',
    'codex/text-replaced/rollout-2026-04-08T22-02-46-019d6d67-1952-7e83-93ef-94497e3c15b6.jsonl'
  ]
  for (const rel of ABORTED) {
    it(`${rel}: turn_aborted gives an interruption notice where it happened`, async () => {
      const s = await load(rel)
      const lines = readFileSync(pathOf(rel), 'utf8').split('\n')
      const aborts = lines.flatMap((l, k) =>
        l.includes('"type":"event_msg"') && JSON.parse(l).payload?.type === 'turn_aborted' ? [k + 1] : []
      )
      expect(aborts.length).toBeGreaterThan(0)
      const lineOf = (i: Item): number => Number(/^L(\d+)$/.exec(idTail(s, i))?.[1] ?? NaN)
      for (const line of aborts) {
        const k = s.items.findIndex((i) => idTail(s, i) === `L${line}`)
        expect(k, `line ${line}`).toBeGreaterThan(0)
        expect(s.items[k]!.kind).toBe('notice')
        expect(s.items[k]!.text).toBe('Interrupted by the user.')
        // In file order: after the prompt of the turn it ended, before the next prompt.
        const prompts = s.items.filter((i) => i.kind === 'user')
        const prev = prompts.filter((p) => lineOf(p) < line).at(-1)
        const next = prompts.find((p) => lineOf(p) > line)
        expect(prev).toBeDefined()
        expect(s.items.indexOf(prev!)).toBeLessThan(k)
        if (next) expect(s.items.indexOf(next)).toBeGreaterThan(k)
      }
      expect(s.report.interruptions).toBe(aborts.length)
    })
  }

  it('claude: sessions on priced models have a cost; others have none', async () => {
    const priced = /^claude-(opus|sonnet|haiku)-4-/
    let checked = 0
    for (const f of FILES.filter((x) => x.source === 'claude' && x.rel !== SUMMARY_ONLY)) {
      const s = await load(f.rel)
      const models = new Set(
        records(f.path).flatMap((r) => (r.type === 'assistant' && !r.isSidechain ? [String((r.message as { model?: string })?.model)] : []))
      )
      models.delete('<synthetic>')
      expect(models.size, f.rel).toBeGreaterThan(0)
      if ([...models].every((m) => priced.test(m))) {
        expect(s.usage?.costUsd, f.rel).not.toBeNull()
        expect(s.usage!.costUsd!, f.rel).toBeGreaterThan(0)
        checked++
      } else expect(s.usage?.costUsd ?? null, f.rel).toBeNull()
    }
    expect(checked).toBeGreaterThanOrEqual(12)
  })

  for (const rel of ['claude/tool_heavy.jsonl', 'claude/text-replaced/e1dfbe01-dcf6-44fc-94df-f21d14450da6.jsonl']) {
    it(`${rel} without any parent links keeps every message in file order`, async () => {
      const dir = tempDir('skein-real-')
      // The same file name, so the session id (and so the item ids) stay the same.
      const path = join(dir, rel.split('/').at(-1)!)
      const recs = records(pathOf(rel)).map(({ parentUuid: _parent, ...r }) => r)
      expect(recs.some((r) => 'parentUuid' in r)).toBe(false)
      writeFileSync(path, recs.map((r) => JSON.stringify(r)).join('\n') + '\n')
      const s = must(await importSession('claude', path, opts))
      const counted = count('claude', path)
      expect(pick(s.report)).toEqual(pick(counted))
      expect(s.report.warnings).toEqual([])
      expect(s.items.filter((i) => i.kind === 'user').map((i) => idTail(s, i))).toEqual(counted.promptIds)
      // Every tool call, in the order the file has them.
      const calls = [
        ...new Set(
          recs.flatMap((r) =>
            r.type === 'assistant' && !r.isSidechain
              ? ((r.message as { content?: { type?: string; id?: string }[] }).content ?? [])
                  .filter((b) => b?.type === 'tool_use')
                  .map((b) => b.id!)
              : []
          )
        )
      ]
      expect(tools(s).map((t) => t.tool!.useId)).toEqual(calls)
      // Every message of the conversation, in file order.
      const order = s.items.flatMap((i) => {
        const tail = idTail(s, i)
        const uuid = i.kind === 'tool' ? null : /^([0-9a-f-]{36})/.exec(tail)?.[1]
        return uuid ? [recs.findIndex((r) => r.uuid === uuid)] : []
      })
      // Every item but the marker and the tool calls comes from a record of the file.
      expect(order.length).toBe(s.items.length - 1 - tools(s).length)
      expect(order).not.toContain(-1)
      expect(order).toEqual([...order].sort((a, b) => a - b))
    })
  }
})
