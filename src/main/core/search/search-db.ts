import type { SearchHitKind } from '../../../shared/search'
import { loadSqlite, SqliteDb, type Queryable } from './sqlite'

/** Bumped when the schema changes: an index of another version is rebuilt from the logs. */
export const SCHEMA_VERSION = 2
/**
 * A search ranks (bm25) at most this many of the newest matches: a word found in millions of items still answers
 * at once, from the recent ones. Filters apply before the cut.
 */
export const RANKED_WINDOW = 1000
/**
 * A prefix* that stands for at most this many indexed words is searched as those words OR'ed (read newest first,
 * stopping at the window); a wider one is left to FTS5, which gathers every match of every such word first.
 */
export const PREFIX_WORDS = 64

/** A thread as the index keeps it, for filters and result titles. */
export interface ThreadRow {
  id: string
  title: string
  repoId: string
  status: string
  agent: string
  createdAt: number
  updatedAt: number
}

/** One item's searchable text. */
export interface ItemRow {
  itemId: string
  kind: SearchHitKind
  createdAt: number
  text: string
}

/** Items written per statement by putItems. */
const PER_STATEMENT = 100

/** A thread as indexed, with how far its log is indexed (bytes of its events.jsonl). */
export type IndexedThread = Omit<ThreadRow, 'id' | 'createdAt'> & { offset: number }

/** Filters of a query, as the index applies them. */
export interface QueryFilters {
  repoId?: string
  status?: string
  agent?: string
  since?: number
  until?: number
}

/** A ranked match before its snippet is made. */
interface Candidate {
  id: number
  threadId: string
  itemId: string
  kind: SearchHitKind
  createdAt: number
  title: string
  repoId: string
}

/** A match with its snippet. */
export type QueryRow = Candidate & { snippet: string }

/** Why an index file could not be used. */
export type OpenFailure = { reason: 'corrupt' | 'version' | 'unavailable'; message: string }

const SCHEMA = `
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE threads(
  id TEXT PRIMARY KEY, title TEXT NOT NULL, repo_id TEXT NOT NULL, status TEXT NOT NULL, agent TEXT NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, log_offset INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE items(id INTEGER PRIMARY KEY, thread_id TEXT NOT NULL, item_id TEXT NOT NULL, kind TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE UNIQUE INDEX items_by_thread ON items(thread_id, item_id);
CREATE VIRTUAL TABLE items_fts USING fts5(text, tokenize = 'unicode61 remove_diacritics 2');
`
/**
 * FTS5's settings, kept in the file: a bigger buffer of pending terms (flushed as a new segment when full; 1 MB by
 * default) and merges of 16 segments rather than 4 (each term is rewritten fewer times while a build runs; a search
 * probes a few more segments).
 */
const FTS_SETTINGS = `INSERT INTO items_fts(items_fts, rank) VALUES ('hashsize', 8388608);
INSERT INTO items_fts(items_fts, rank) VALUES ('automerge', 16); INSERT INTO items_fts(items_fts, rank) VALUES ('crisismerge', 32)`
const VOCAB = 'CREATE VIRTUAL TABLE IF NOT EXISTS temp.items_vocab USING fts5vocab(main, items_fts, row)'
/** Per connection: a bigger page cache, and the WAL folded back less often during a bulk build. */
const PRAGMAS = `PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768; PRAGMA temp_store = MEMORY;
PRAGMA wal_autocheckpoint = 4000`

/** The SQLite file behind search: threads for filters, items with their text in an FTS5 table. Rejects with SQLite's errors. */
export class SearchDb {
  private constructor(private readonly db: SqliteDb) {}

  /** Opens (or creates) the index; an unreadable file or another version is reported, never thrown. */
  static async open(file: string): Promise<{ ok: true; db: SearchDb; created: boolean } | { ok: false; failure: OpenFailure }> {
    try {
      await loadSqlite()
    } catch (e) {
      // The native module is missing or could not load: the file is not at fault.
      const message = `SQLite could not be loaded (${(e as Error).message}). Reinstall Skein's dependencies (npm install).`
      return { ok: false, failure: { reason: 'unavailable', message } }
    }
    let db: SqliteDb | null = null
    try {
      db = await SqliteDb.open(file)
      await db.exec(PRAGMAS)
      // Per connection, in memory: the index's vocabulary, read to expand a prefix into the words it stands for.
      if (await db.get("SELECT 1 FROM sqlite_master WHERE name = 'items_fts'")) await db.exec(VOCAB)
      const hasMeta = (await db.get("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'")) !== undefined
      if (!hasMeta) {
        const empty = (await db.get<{ n: number }>('SELECT count(*) AS n FROM sqlite_master'))!.n === 0
        if (!empty) {
          await db.close()
          return { ok: false, failure: { reason: 'corrupt', message: 'The search index holds tables it does not know.' } }
        }
        await db.transaction(async (tx) => {
          await tx.exec(SCHEMA)
          await tx.exec(FTS_SETTINGS)
          await tx.exec(VOCAB)
          await tx.run("INSERT INTO meta(key, value) VALUES ('version', ?)", [String(SCHEMA_VERSION)])
        })
        return { ok: true, db: new SearchDb(db), created: true }
      }
      const v = await db.get<{ value: string }>("SELECT value FROM meta WHERE key = 'version'")
      if (v?.value !== String(SCHEMA_VERSION)) {
        await db.close()
        return { ok: false, failure: { reason: 'version', message: `The search index is of another version (${v?.value ?? 'none'}).` } }
      }
      return { ok: true, db: new SearchDb(db), created: false }
    } catch (e) {
      // Closing a file that never opened properly: nothing more to release.
      await db?.close().catch(() => undefined)
      return { ok: false, failure: { reason: 'corrupt', message: `The search index could not be read: ${(e as Error).message}.` } }
    }
  }

  /** Runs `fn`'s writes in one transaction (rolled back if it throws). */
  write<T>(fn: (w: SearchWriter) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn(new SearchWriter(tx)))
  }

  /** Every indexed thread with its log's high-water mark, in one query (catch-up compares them in memory). */
  async threads(): Promise<Map<string, IndexedThread>> {
    // One row holding every thread as JSON: the binding makes a JS object per row and column, 1.5 s for 100k threads.
    const row = await this.db.get<{ all: string }>(
      'SELECT json_group_array(json_array(id, title, repo_id, status, agent, updated_at, log_offset)) AS "all" FROM threads'
    )
    const rows = JSON.parse(row?.all ?? '[]') as [string, string, string, string, string, number, number][]
    return new Map(
      rows.map(([id, title, repoId, status, agent, updatedAt, offset]) => [id, { title, repoId, status, agent, updatedAt, offset }])
    )
  }

  /** How many threads and items are indexed. */
  counts(): Promise<{ threads: number; items: number }> {
    return this.db.transaction(async (tx) => {
      const threads = (await tx.get<{ n: number }>('SELECT count(*) AS n FROM threads'))!.n
      // Every thread has one title row in items: counting the whole table is faster than filtering it.
      const rows = (await tx.get<{ n: number }>('SELECT count(*) AS n FROM items'))!.n
      return { threads, items: Math.max(0, rows - threads) }
    })
  }

  /**
   * The RANKED_WINDOW newest matches that pass the filters, best first (bm25, then newest), `offset` on, each with a
   * snippet around its matched words (markers \u0002 and \u0003). When the window is full (a common word) they are
   * newest first instead: bm25 counts every match of every word in the whole index first, which takes longer
   * than the first page may (hundreds of ms for a word in a million items), while reading the newest ones stops early.
   */
  query(match: string, f: QueryFilters, limit: number, offset: number): Promise<{ rows: QueryRow[]; more: boolean }> {
    const where = ['items_fts MATCH ?']
    const params: unknown[] = [match]
    const filter = (sql: string, value: unknown) => {
      if (value === undefined) return
      where.push(sql)
      params.push(value)
    }
    filter('t.repo_id = ?', f.repoId)
    filter('t.status = ?', f.status)
    filter('t.agent = ?', f.agent)
    filter('i.created_at >= ?', f.since)
    filter('i.created_at < ?', f.until)
    const newest = (score: string) => `SELECT i.id AS id, i.thread_id AS threadId, i.item_id AS itemId, i.kind AS kind,
        i.created_at AS createdAt, t.title AS title, t.repo_id AS repoId, ${score} AS score
      FROM items_fts JOIN items i ON i.id = items_fts.rowid JOIN threads t ON t.id = i.thread_id
      WHERE ${where.join(' AND ')} ORDER BY items_fts.rowid DESC LIMIT ${RANKED_WINDOW}`
    const ranked = `SELECT id, threadId, itemId, kind, createdAt, title, repoId FROM (${newest('items_fts.rank')})
      ORDER BY score, createdAt DESC LIMIT ? OFFSET ?`
    // One read transaction: the page and its snippets come from the same snapshot.
    return this.db.transaction(async (tx) => {
      params[0] = await expandPrefixes(tx, match)
      const window = await tx.all<Candidate>(newest('0'), params)
      const found =
        window.length < RANKED_WINDOW
          ? await tx.all<Candidate>(ranked, [...params, limit + 1, offset])
          : window.sort((a, b) => b.createdAt - a.createdAt || b.id - a.id).slice(offset, offset + limit + 1)
      const rows: QueryRow[] = []
      for (const c of found.slice(0, limit)) {
        // The CAST matters: the binding passes a number beyond 32 bits as REAL, and FTS5 then ignores `rowid = ?` beside MATCH.
        const s = await tx.get<{ s: string }>(
          "SELECT snippet(items_fts, 0, char(2), char(3), '…', 24) AS s FROM items_fts WHERE items_fts MATCH ? AND rowid = CAST(? AS INTEGER)",
          [params[0], c.id]
        )
        rows.push({ ...c, snippet: s?.s ?? '' })
      }
      return { rows, more: found.length > limit }
    })
  }

  /** Closes the file once what waits has run (a checkpoint folds the write-ahead log into it). */
  close(): Promise<void> {
    return this.db.close()
  }
}

/** The writes of one transaction. */
export class SearchWriter {
  constructor(private readonly tx: Queryable) {}

  /** Adds or updates a thread (its title is searchable as an item of kind `title`). */
  async putThread(t: ThreadRow): Promise<void> {
    const old = await this.tx.get<{ title: string }>('SELECT title FROM threads WHERE id = ?', [t.id])
    await this.tx.run(
      `INSERT INTO threads(id, title, repo_id, status, agent, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET title = excluded.title, repo_id = excluded.repo_id, status = excluded.status,
         agent = excluded.agent, updated_at = excluded.updated_at`,
      [t.id, t.title, t.repoId, t.status, t.agent, t.createdAt, t.updatedAt]
    )
    if (old?.title !== t.title) await this.putItem(t.id, { itemId: '', kind: 'title', createdAt: t.createdAt, text: t.title })
  }

  /** Adds or replaces one item of a thread (the latest version wins). */
  async putItem(threadId: string, item: ItemRow): Promise<void> {
    const row = await this.tx.get<{ id: number }>(
      `INSERT INTO items(thread_id, item_id, kind, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(thread_id, item_id) DO UPDATE SET kind = excluded.kind, created_at = excluded.created_at RETURNING id`,
      [threadId, item.itemId, item.kind, item.createdAt]
    )
    // OR REPLACE: an item seen again replaces its text under the same rowid.
    await this.tx.run('INSERT OR REPLACE INTO items_fts(rowid, text) VALUES (CAST(? AS INTEGER), ?)', [row!.id, item.text])
  }

  /** Adds or replaces many items, a few statements per PER_STATEMENT items (each round trip to SQLite's thread costs). */
  async putItems(rows: readonly { threadId: string; item: ItemRow }[]): Promise<void> {
    // The latest version of an item wins; one statement may not touch a row twice.
    const latest = new Map(rows.map((r) => [`${r.threadId}\u0000${r.item.itemId}`, r]))
    const all = [...latest.values()]
    for (let i = 0; i < all.length; i += PER_STATEMENT) {
      const some = all.slice(i, i + PER_STATEMENT)
      const ids = await this.tx.all<{ id: number; threadId: string; itemId: string }>(
        `INSERT INTO items(thread_id, item_id, kind, created_at) VALUES ${some.map(() => '(?, ?, ?, ?)').join(', ')}
         ON CONFLICT(thread_id, item_id) DO UPDATE SET kind = excluded.kind, created_at = excluded.created_at
         RETURNING id, thread_id AS threadId, item_id AS itemId`,
        some.flatMap((r) => [r.threadId, r.item.itemId, r.item.kind, r.item.createdAt])
      )
      // RETURNING's order is SQLite's to choose: rows are matched by key.
      const idOf = new Map(ids.map((r) => [`${r.threadId}\u0000${r.itemId}`, r.id]))
      await this.tx.run(
        `INSERT OR REPLACE INTO items_fts(rowid, text) VALUES ${some.map(() => '(CAST(? AS INTEGER), ?)').join(', ')}`,
        some.flatMap((r) => [idOf.get(`${r.threadId}\u0000${r.item.itemId}`)!, r.item.text])
      )
    }
  }

  /** Records how far a thread's log is indexed. */
  async setOffset(threadId: string, offset: number): Promise<void> {
    await this.tx.run('UPDATE threads SET log_offset = ? WHERE id = ?', [offset, threadId])
  }

  /** Forgets a thread's items (not the thread), to index its log again from the start. */
  async clearItems(threadId: string): Promise<void> {
    await this.tx.run("DELETE FROM items_fts WHERE rowid IN (SELECT id FROM items WHERE thread_id = ? AND item_id != '')", [threadId])
    await this.tx.run("DELETE FROM items WHERE thread_id = ? AND item_id != ''", [threadId])
    await this.setOffset(threadId, 0)
  }

  /** Removes a thread and everything indexed of it. */
  async removeThread(threadId: string): Promise<void> {
    await this.tx.run('DELETE FROM items_fts WHERE rowid IN (SELECT id FROM items WHERE thread_id = ?)', [threadId])
    await this.tx.run('DELETE FROM items WHERE thread_id = ?', [threadId])
    await this.tx.run('DELETE FROM threads WHERE id = ?', [threadId])
  }
}

/**
 * Rewrites each one-word prefix ("migr"*) as the indexed words it stands for ("migr"* OR "migrate" OR "migration"),
 * when there are at most PREFIX_WORDS of them: FTS5 reads OR'ed words newest first and stops at the window, where a
 * prefix makes it gather and sort every match of every word first. Only ASCII prefixes: their folding (lower case)
 * is surely the tokenizer's, so the words read are all the prefix's words.
 */
async function expandPrefixes(tx: Queryable, match: string): Promise<string> {
  let out = match
  for (const m of match.matchAll(/"([A-Za-z0-9]+)"\*/g)) {
    const prefix = m[1]!.toLowerCase()
    const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)
    const words = await tx.all<{ term: string }>(
      `SELECT term FROM temp.items_vocab WHERE term >= ? AND term < ? LIMIT ${PREFIX_WORDS + 1}`,
      [prefix, end]
    )
    if (words.length === 0 || words.length > PREFIX_WORDS) continue
    out = out.replace(m[0], `(${words.map((w) => `"${w.term}"`).join(' OR ')})`)
  }
  return out
}

/** True for SQLite errors that mean the file itself is damaged (rebuild it) rather than a bad request. */
export function isCorruption(e: unknown): boolean {
  const code = (e as { code?: unknown }).code
  return typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB|IOERR|CANTOPEN|READONLY_DBMOVED)/.test(code)
}
