import { chmod, open as fsOpen } from 'node:fs/promises'
import type * as Sqlite3 from 'sqlite3'

/** Values a statement binds: positional, or named with their prefix (`{ '@id': 1 }`). */
export type Params = readonly unknown[] | Record<string, unknown>

/** What runs statements: the connection outside a transaction, the transaction's handle inside one. */
export interface Queryable {
  /** Runs a statement; `lastId` is the row it inserted. */
  run(sql: string, params?: Params): Promise<{ lastId: number; changes: number }>
  /** The first row, or undefined. */
  get<T>(sql: string, params?: Params): Promise<T | undefined>
  /** Every row. */
  all<T>(sql: string, params?: Params): Promise<T[]>
  /** Runs statements separated by semicolons, without parameters. */
  exec(sql: string): Promise<void>
}

/** A SQLite error as the binding reports it (`code` is e.g. SQLITE_CORRUPT). */
export type SqliteError = Error & { code?: string; errno?: number }

let loaded: Promise<typeof Sqlite3> | null = null

/** Loads the native binding once; rejects when it is missing or cannot load in this runtime. */
export function loadSqlite(): Promise<typeof Sqlite3> {
  // Loaded on first use, not at import: a missing binding makes search unavailable, never the core fail to start.
  loaded ??= import('sqlite3').then((m) => ((m as { default?: typeof Sqlite3 }).default ?? m) as typeof Sqlite3)
  return loaded
}

/**
 * One SQLite connection (the `sqlite3` package, N-API: the same build loads in Node and in Electron) behind
 * promises. Every call waits its turn in one queue, so a transaction is never interleaved with other statements.
 */
export class SqliteDb implements Queryable {
  private readonly statements = new Map<string, Sqlite3.Statement>()
  private queue: Promise<unknown> = Promise.resolve()
  private closed = false

  private constructor(private readonly db: Sqlite3.Database) {}

  /** Opens (or creates) a database file, readable by its owner only; rejects with the binding's error. */
  static async open(file: string): Promise<SqliteDb> {
    const sqlite3 = await loadSqlite()
    // SQLite would create the file 0644 (umask), and gives its journal and WAL files the database file's mode:
    // made (or made again) 0600 first, so nothing under SKEIN_HOME is readable by others.
    await (await fsOpen(file, 'a', 0o600)).close()
    await chmod(file, 0o600)
    const db = await new Promise<Sqlite3.Database>((resolve, reject) => {
      const d: Sqlite3.Database = new sqlite3.Database(file, (e) => (e ? reject(e) : resolve(d)))
    })
    return new SqliteDb(db)
  }

  /** Runs a statement in turn. */
  run(sql: string, params: Params = []): Promise<{ lastId: number; changes: number }> {
    return this.turn(() => this.direct.run(sql, params))
  }

  /** The first row of a query, in turn. */
  get<T>(sql: string, params: Params = []): Promise<T | undefined> {
    return this.turn(() => this.direct.get<T>(sql, params))
  }

  /** Every row of a query, in turn. */
  all<T>(sql: string, params: Params = []): Promise<T[]> {
    return this.turn(() => this.direct.all<T>(sql, params))
  }

  /** Runs statements separated by semicolons, in turn. */
  exec(sql: string): Promise<void> {
    return this.turn(() => this.direct.exec(sql))
  }

  /** Runs `fn` in one transaction, holding the queue: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.turn(async () => {
      await this.direct.exec('BEGIN')
      try {
        const result = await fn(this.direct)
        await this.direct.exec('COMMIT')
        return result
      } catch (e) {
        // SQLite may have rolled back already (a full disk, a damaged page): a failing ROLLBACK adds nothing.
        await this.direct.exec('ROLLBACK').catch(() => undefined)
        throw e
      }
    })
  }

  /** Closes the connection once what waits has run; later calls reject. */
  close(): Promise<void> {
    return this.turn(async () => {
      if (this.closed) return
      this.closed = true
      const statements = [...this.statements.values()]
      this.statements.clear()
      await Promise.all(statements.map((s) => new Promise<void>((done) => s.finalize(() => done()))))
      await new Promise<void>((resolve, reject) => this.db.close((e) => (e ? reject(e) : resolve())))
    })
  }

  /** Statements run at once, without the queue: for the holder of the queue (a transaction). */
  private readonly direct: Queryable = {
    run: (sql, params = []) =>
      this.call<{ lastId: number; changes: number }>((s, done) =>
        s.run(params, function (this: Sqlite3.RunResult, e: Error | null) {
          done(e, { lastId: this?.lastID ?? 0, changes: this?.changes ?? 0 })
        })
      )(sql),
    // A statement stepped to its first row stays open (holding a read snapshot) until reset.
    get: <T>(sql: string, params: Params = []) =>
      this.call<T | undefined>((s, done) => s.get(params, (e, row) => s.reset(() => done(e, row as T))))(sql),
    all: <T>(sql: string, params: Params = []) => this.call<T[]>((s, done) => s.all(params, (e, rows) => done(e, rows as T[])))(sql),
    exec: (sql) =>
      new Promise<void>((resolve, reject) => {
        if (this.closed) return reject(closedError())
        this.db.exec(sql, (e) => (e ? reject(e) : resolve()))
      })
  }

  private call<T>(go: (s: Sqlite3.Statement, done: (e: Error | null, v: T) => void) => void): (sql: string) => Promise<T> {
    return async (sql) => {
      const s = await this.prepare(sql)
      return new Promise<T>((resolve, reject) => go(s, (e, v) => (e ? reject(e) : resolve(v))))
    }
  }

  private async prepare(sql: string): Promise<Sqlite3.Statement> {
    if (this.closed) throw closedError()
    const cached = this.statements.get(sql)
    if (cached) return cached
    const s = await new Promise<Sqlite3.Statement>((resolve, reject) => {
      const st: Sqlite3.Statement = this.db.prepare(sql, (e) => (e ? reject(e) : resolve(st)))
    })
    this.statements.set(sql, s)
    return s
  }

  private turn<T>(job: () => Promise<T>): Promise<T> {
    const next = this.queue.then(job)
    this.queue = next.catch(() => undefined)
    return next
  }
}

function closedError(): SqliteError {
  return Object.assign(new Error('SQLITE_MISUSE: the database is closed'), { code: 'SQLITE_MISUSE' })
}
