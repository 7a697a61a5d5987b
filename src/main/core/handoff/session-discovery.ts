import { open, readdir, realpath } from 'node:fs/promises'
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { promptOf } from './claude-records'
import { codexLine, codexPrompt } from './codex-records'
import { parseRecord, parseTime, str, type SessionSource } from './import-types'
import { forEachLine } from './jsonl-reader'
import { promptPreview } from './prompt-text'

/** A session on disk, as a picker lists it. Read from the head of the file only. */
export interface SessionSummary {
  source: SessionSource
  sessionId: string
  path: string
  /** The directory the CLI ran in, from the records (never decoded from a folder name). */
  cwd: string
  /** The person's first prompt on one line, cut to 200 characters; '' when the head has none. */
  firstPrompt: string
  /** Epoch ms of the first record, or the file's mtime. */
  startedAt: number
  /** The file's mtime. */
  updatedAt: number
  sizeBytes: number
}

/** Where to look: the home dir and environment are injected, so tests use temp dirs. */
export interface DiscoveryOptions {
  home: string
  /** Read for CLAUDE_CONFIG_DIR and CODEX_HOME. */
  env?: Record<string, string | undefined>
  /** Default both. */
  sources?: readonly SessionSource[]
  /** The most of each file read for its summary. Default 256 KB. */
  headBytes?: number
  /** Files read at once. Default 16. */
  concurrency?: number
}

/** A session file found on disk. */
export interface SessionFile {
  source: SessionSource
  path: string
}

const DEFAULT_HEAD = 256 * 1024
const UUID_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const UUID_TAIL = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i
// Records put cwd near their start, so it can be found even in a first line too long to parse.
const CWD_FIELD = /"cwd"\s*:\s*("(?:[^"\\]|\\.)*")/

/** The folders each CLI keeps its sessions in: `$CLAUDE_CONFIG_DIR/projects`, `$CODEX_HOME/sessions`. */
export function sessionRoots(home: string, env: Record<string, string | undefined> = {}): Record<SessionSource, string> {
  const claude = env.CLAUDE_CONFIG_DIR ? resolve(home, env.CLAUDE_CONFIG_DIR) : join(home, '.claude')
  const codex = env.CODEX_HOME ? resolve(home, env.CODEX_HOME) : join(home, '.codex')
  return { claude: join(claude, 'projects'), codex: join(codex, 'sessions') }
}

/** Every session file: `projects/<dir>/<id>.jsonl` (sub-agent `agent-*` files left out) and `sessions/YYYY/MM/DD/rollout-*.jsonl`. */
export async function sessionFiles(options: DiscoveryOptions): Promise<SessionFile[]> {
  const roots = sessionRoots(options.home, options.env)
  const sources = options.sources ?? ['claude', 'codex']
  const out: SessionFile[] = []
  if (sources.includes('claude')) {
    const projects = (await dirents(roots.claude)).filter((d) => d.isDirectory())
    const lists = await Promise.all(projects.map((d) => dirents(join(roots.claude, d.name)).then((files) => ({ dir: d.name, files }))))
    for (const { dir, files } of lists) {
      for (const f of files)
        if (f.isFile() && f.name.endsWith('.jsonl') && !f.name.startsWith('agent-'))
          out.push({ source: 'claude', path: join(roots.claude, dir, f.name) })
    }
  }
  if (sources.includes('codex')) await walkRollouts(roots.codex, 0, out)
  return out
}

async function walkRollouts(dir: string, depth: number, out: SessionFile[]): Promise<void> {
  const entries = await dirents(dir)
  for (const e of entries)
    if (e.isFile() && e.name.startsWith('rollout-') && e.name.endsWith('.jsonl')) out.push({ source: 'codex', path: join(dir, e.name) })
  if (depth < 3) await Promise.all(entries.filter((e) => e.isDirectory()).map((e) => walkRollouts(join(dir, e.name), depth + 1, out)))
}

async function dirents(dir: string) {
  return readdir(dir, { withFileTypes: true }).catch(() => [])
}

/**
 * Summarizes one session from the head of its file: lines are read until the directory and the
 * first prompt are known, never past `headBytes`. Null when the file is unreadable or names no directory.
 */
export async function readSessionHead(source: SessionSource, path: string, headBytes = DEFAULT_HEAD): Promise<SessionSummary | null> {
  let cwd: string | undefined
  let prompt: string | undefined
  let id: string | undefined
  let started: number | null = null
  let records = 0
  const onLine = (line: string): boolean => {
    const r = parseRecord(line)
    if (!r) return true
    if (source === 'claude') {
      if (r.isSidechain === true) return true
      cwd ??= str(r.cwd)
      id ??= str(r.sessionId)
      if (started === null && (r.type === 'user' || r.type === 'assistant' || r.type === 'system')) started = parseTime(r.timestamp)
      prompt ??= promptOf(r) ?? undefined
    } else {
      const l = codexLine(r, records++ === 0)
      if (!l) return true
      if (l.type === 'session_meta') {
        id ??= str(l.payload.id)
        cwd ??= str(l.payload.cwd)
        started ??= parseTime(l.payload.timestamp) ?? l.at
      }
      if (l.type === 'turn_context') cwd ??= str(l.payload.cwd)
      started ??= l.at
      prompt ??= codexPrompt(l)?.text
    }
    return !(cwd && prompt && id)
  }
  let stat
  try {
    const read = await forEachLine(path, onLine, { maxBytes: headBytes, chunkBytes: 16 * 1024, maxLineBytes: headBytes })
    stat = read.stat
    cwd ??= await cwdFromRawHead(path)
  } catch {
    return null
  }
  if (!cwd) return null
  const base = basename(path, '.jsonl')
  const sessionId = source === 'claude' ? (UUID_NAME.test(base) ? base : (id ?? base)) : (id ?? UUID_TAIL.exec(path)?.[1] ?? base)
  return {
    source,
    sessionId,
    path,
    cwd,
    firstPrompt: prompt ? promptPreview(prompt) : '',
    startedAt: started ?? stat.mtimeMs,
    updatedAt: stat.mtimeMs,
    sizeBytes: stat.size
  }
}

async function cwdFromRawHead(path: string): Promise<string | undefined> {
  const handle = await open(path, 'r')
  try {
    const buf = Buffer.alloc(64 * 1024)
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0)
    const m = CWD_FIELD.exec(buf.toString('utf8', 0, bytesRead))
    if (!m) return undefined
    try {
      return str(JSON.parse(m[1]!))
    } catch {
      return undefined
    }
  } finally {
    await handle.close()
  }
}

/** Every importable session, most recently updated first. Unreadable files are left out. */
export async function listSessions(options: DiscoveryOptions): Promise<SessionSummary[]> {
  const files = await sessionFiles(options)
  const out: (SessionSummary | null)[] = new Array(files.length).fill(null)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const i = next++
      out[i] = await readSessionHead(files[i]!.source, files[i]!.path, options.headBytes)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 16) }, worker))
  return out.filter((s): s is SessionSummary => s !== null).sort((a, b) => b.updatedAt - a.updatedAt)
}

/** A session by its id (the latest file, should a copy exist), or null. */
export async function findSession(options: DiscoveryOptions, source: SessionSource, sessionId: string): Promise<SessionSummary | null> {
  const files = (await sessionFiles({ ...options, sources: [source] })).filter((f) => basename(f.path).includes(sessionId))
  const heads = await Promise.all(files.map((f) => readSessionHead(f.source, f.path, options.headBytes)))
  return heads.filter((h): h is SessionSummary => h?.sessionId === sessionId).sort((a, b) => b.updatedAt - a.updatedAt)[0] ?? null
}

/** The sessions that ran in `dir` or below it, comparing real paths (symlinks and `..` resolved). */
export async function sessionsInDirectory(sessions: readonly SessionSummary[], dir: string): Promise<SessionSummary[]> {
  const real = new Map<string, Promise<string>>()
  const realOf = (p: string): Promise<string> => {
    let r = real.get(p)
    if (!r) {
      r = realpath(p).catch(() => resolve(p))
      real.set(p, r)
    }
    return r
  }
  const root = await realOf(dir)
  const inside = await Promise.all(sessions.map(async (s) => isWithin(root, await realOf(s.cwd))))
  return sessions.filter((_, i) => inside[i]).sort((a, b) => b.updatedAt - a.updatedAt)
}

/** `--last`: the most recently updated session that ran in `dir` or below it, or null. */
export async function lastSession(sessions: readonly SessionSummary[], dir: string): Promise<SessionSummary | null> {
  return (await sessionsInDirectory(sessions, dir))[0] ?? null
}

function isWithin(root: string, path: string): boolean {
  const rel = relative(root, path)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))
}
