import Database from 'better-sqlite3'
import type { SearchHitKind } from '../../../shared/search'

/** Bumped when the schema changes: an index of another version is rebuilt from the logs. */
export const SCHEMA_VERSION = 1
/**
 * A search ranks (bm25) at most this many of the newest matches: a word found in millions of items still answers
 * at once, from the recent ones. Filters apply before the cut.
 */
export const RANKED_WINDOW = 5000

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

/** The SQLite file behind search: threads for filters, items with their text in an FTS5 table. Synchronous; throws SqliteError. */
export class SearchDb {
  private readonly statements = new Map<string, Database.Statement>()

  private constructor(private readonly db: Database.Database) {}

  /** Opens (or creates) the index; an unreadable file or another version is reported, never thrown. */
  static open(file: string): { ok: true; db: SearchDb; created: boolean } | { ok: false; failure: OpenFailure } {
    try {
      new Database(':memory:', nativeBinding()).close()
    } catch (e) {
      // The native module is missing or built for another runtime (Electron needs its own build): the file is not at fault.
      const message = `SQLite could not be loaded (${(e as Error).message}). Rebuild it for this runtime: npx electron-builder install-app-deps.`
      return { ok: false, failure: { reason: 'unavailable', message } }
    }
    let db: Database.Database | null = null
    try {
      db = new Database(file, nativeBinding())
      db.pragma('journal_mode = WAL')
      db.pragma('synchronous = NORMAL')
      const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get() !== undefined
      if (!hasMeta) {
        const empty = (db.prepare('SELECT count(*) AS n FROM sqlite_master').get() as { n: number }).n === 0
        if (!empty) {
          db.close()
          return { ok: false, failure: { reason: 'corrupt', message: 'The search index holds tables it does not know.' } }
        }
        db.exec(SCHEMA)
        db.prepare("INSERT INTO meta(key, value) VALUES ('version', ?)").run(String(SCHEMA_VERSION))
        return { ok: true, db: new SearchDb(db), created: true }
      }
      const v = db.prepare("SELECT value FROM meta WHERE key = 'version'").get() as { value: string } | undefined
      if (v?.value !== String(SCHEMA_VERSION)) {
        db.close()
        return { ok: false, failure: { reason: 'version', message: `The search index is of another version (${v?.value ?? 'none'}).` } }
      }
      return { ok: true, db: new SearchDb(db), created: false }
    } catch (e) {
      try {
        db?.close()
      } catch {
        // Closing a file that never opened properly: nothing more to release.
      }
      return { ok: false, failure: { reason: 'corrupt', message: `The search index could not be read: ${(e as Error).message}.` } }
    }
  }

  /** Runs `fn` in one transaction. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)()
  }

  /** Every indexed thread's log high-water mark (bytes of its events.jsonl already indexed). */
  offsets(): Map<string, number> {
    const rows = this.stmt('SELECT id, log_offset AS o FROM threads').all() as { id: string; o: number }[]
    return new Map(rows.map((r) => [r.id, r.o]))
  }

  /** Adds or updates a thread (its title is searchable as an item of kind `title`). */
  putThread(t: ThreadRow): void {
    const old = this.stmt('SELECT title FROM threads WHERE id = ?').get(t.id) as { title: string } | undefined
    this.stmt(
      `INSERT INTO threads(id, title, repo_id, status, agent, created_at, updated_at) VALUES (@id, @title, @repoId, @status, @agent, @createdAt, @updatedAt)
       ON CONFLICT(id) DO UPDATE SET title = excluded.title, repo_id = excluded.repo_id, status = excluded.status,
         agent = excluded.agent, updated_at = excluded.updated_at`
    ).run(t)
    if (old?.title !== t.title) this.putItem(t.id, { itemId: '', kind: 'title', createdAt: t.createdAt, text: t.title })
  }

  /** Adds or replaces one item of a thread (the latest version wins). */
  putItem(threadId: string, item: ItemRow): void {
    const found = this.stmt('SELECT id FROM items WHERE thread_id = ? AND item_id = ?').get(threadId, item.itemId) as
      { id: number } | undefined
    let id: number
    if (found) {
      id = found.id
      this.stmt('DELETE FROM items_fts WHERE rowid = CAST(? AS INTEGER)').run(id)
      this.stmt('UPDATE items SET kind = ?, created_at = ? WHERE id = ?').run(item.kind, item.createdAt, id)
    } else {
      const r = this.stmt('INSERT INTO items(thread_id, item_id, kind, created_at) VALUES (?, ?, ?, ?)').run(
        threadId,
        item.itemId,
        item.kind,
        item.createdAt
      )
      id = Number(r.lastInsertRowid)
    }
    this.stmt('INSERT INTO items_fts(rowid, text) VALUES (?, ?)').run(id, item.text)
  }

  /** Records how far a thread's log is indexed. */
  setOffset(threadId: string, offset: number): void {
    this.stmt('UPDATE threads SET log_offset = ? WHERE id = ?').run(offset, threadId)
  }

  /** Forgets a thread's items (not the thread), to index its log again from the start. */
  clearItems(threadId: string): void {
    this.stmt("DELETE FROM items_fts WHERE rowid IN (SELECT id FROM items WHERE thread_id = ? AND item_id != '')").run(threadId)
    this.stmt("DELETE FROM items WHERE thread_id = ? AND item_id != ''").run(threadId)
    this.setOffset(threadId, 0)
  }

  /** Removes a thread and everything indexed of it. */
  removeThread(threadId: string): void {
    this.stmt('DELETE FROM items_fts WHERE rowid IN (SELECT id FROM items WHERE thread_id = ?)').run(threadId)
    this.stmt('DELETE FROM items WHERE thread_id = ?').run(threadId)
    this.stmt('DELETE FROM threads WHERE id = ?').run(threadId)
  }

  /** How many threads and items are indexed. */
  counts(): { threads: number; items: number } {
    const threads = (this.stmt('SELECT count(*) AS n FROM threads').get() as { n: number }).n
    // Every thread has one title row in items: counting the whole table is faster than filtering it.
    const rows = (this.stmt('SELECT count(*) AS n FROM items').get() as { n: number }).n
    return { threads, items: Math.max(0, rows - threads) }
  }

  /**
   * The best matches (bm25, then newest) among the RANKED_WINDOW newest that pass the filters, `offset` on,
   * each with a snippet around its matched words (markers \u0002 and \u0003).
   */
  query(match: string, f: QueryFilters, limit: number, offset: number): { rows: QueryRow[]; more: boolean } {
    const where = ['items_fts MATCH @match']
    if (f.repoId !== undefined) where.push('t.repo_id = @repoId')
    if (f.status !== undefined) where.push('t.status = @status')
    if (f.agent !== undefined) where.push('t.agent = @agent')
    if (f.since !== undefined) where.push('i.created_at >= @since')
    if (f.until !== undefined) where.push('i.created_at < @until')
    const sql = `SELECT id, threadId, itemId, kind, createdAt, title, repoId FROM (
        SELECT i.id AS id, i.thread_id AS threadId, i.item_id AS itemId, i.kind AS kind, i.created_at AS createdAt,
          t.title AS title, t.repo_id AS repoId, items_fts.rank AS score
        FROM items_fts JOIN items i ON i.id = items_fts.rowid JOIN threads t ON t.id = i.thread_id
        WHERE ${where.join(' AND ')} ORDER BY items_fts.rowid DESC LIMIT ${RANKED_WINDOW}
      ) ORDER BY score, createdAt DESC LIMIT @limit OFFSET @offset`
    const params = { match, ...f, limit: limit + 1, offset }
    const found = this.stmt(sql).all(params) as Candidate[]
    // The CAST matters: a JS number binds as REAL, and FTS5 (3.53) then ignores `rowid = ?` beside MATCH.
    const snippet = this.stmt(
      "SELECT snippet(items_fts, 0, char(2), char(3), '…', 24) AS s FROM items_fts WHERE items_fts MATCH ? AND rowid = CAST(? AS INTEGER)"
    )
    const rows = found.slice(0, limit).map((c) => ({ ...c, snippet: (snippet.get(match, c.id) as { s: string } | undefined)?.s ?? '' }))
    return { rows, more: found.length > limit }
  }

  /** Closes the file (a checkpoint folds the write-ahead log into it). */
  close(): void {
    this.statements.clear()
    if (this.db.open) this.db.close()
  }

  private stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql)
    if (!s) {
      s = this.db.prepare(sql)
      this.statements.set(sql, s)
    }
    return s
  }
}

/**
 * SKEIN_SQLITE_BINDING names a better_sqlite3.node built for this runtime: Electron's utility process needs one
 * built for Electron's ABI while Node (tests, `skein serve`) needs the one npm built.
 */
function nativeBinding(): Database.Options {
  const path = process.env.SKEIN_SQLITE_BINDING
  return path ? { nativeBinding: path } : {}
}

/** True for SQLite errors that mean the file itself is damaged (rebuild it) rather than a bad request. */
export function isCorruption(e: unknown): boolean {
  const code = (e as { code?: unknown }).code
  return typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB|IOERR|CANTOPEN|READONLY_DBMOVED)/.test(code)
}
