import sqlite3 from 'sqlite3';
import { toSqlite, type Sql, type SqlValue } from './sql';

/** Every connection, Sequelize's and plain SQL's, on every thread. */
export const SQLITE_PRAGMAS = ['PRAGMA busy_timeout = 5000', 'PRAGMA synchronous = NORMAL', 'PRAGMA foreign_keys = ON'];

/**
 * Plain SQL on one long-lived sqlite3 connection with prepared statements
 * kept for reuse. It is the same sqlite3 module (and so the same SQLite
 * library) Sequelize uses: two SQLite libraries in one process would not see
 * each other's POSIX locks, which can corrupt a database (sqlite.org/howtocorrupt.html, 2.2.1).
 *
 * sqlite3 runs each statement on libuv's thread pool, and one prepared
 * statement runs one call at a time, the next only after the event loop has
 * handled the previous one. So calls made together each get a statement of
 * their own: they are queued on the connection at once, and a busy event
 * loop is waited for once, not per call. Up to STATEMENTS_KEPT per text are
 * kept, enough for a hundred concurrent requests over the three readers;
 * preparing anew under load cost more than the queries.
 */
export class Sqlite3Sql implements Sql {
  readonly dialect = 'sqlite' as const;
  private static readonly STATEMENTS_KEPT = 64;
  private readonly idle = new Map<string, sqlite3.Statement[]>();

  constructor(readonly conn: sqlite3.Database) {}

  static open(file: string, pragmas: string[]): Promise<Sqlite3Sql> {
    return new Promise((resolve, reject) => {
      const conn = new sqlite3.Database(file, (err) => {
        if (err) return reject(err);
        conn.exec(pragmas.map((p) => `${p};`).join(' '), (e) => (e ? reject(e) : resolve(new Sqlite3Sql(conn))));
      });
    });
  }

  /** Through `all`: a statement left after `get` is not reset and would pin an old snapshot. */
  async one<T>(text: string, params: SqlValue[] = []) {
    return (await this.all<T>(text, params))[0];
  }

  all<T>(text: string, params: SqlValue[] = []) {
    return new Promise<T[]>((resolve, reject) => {
      const stmt = this.acquire(text);
      stmt.all(params.map(toSqlite), (err: Error | null, rows: T[]) => {
        this.release(text, stmt);
        if (err) reject(err);
        else resolve(rows);
      });
    });
  }

  run(text: string, params: SqlValue[] = []) {
    return new Promise<number>((resolve, reject) => {
      const stmt = this.acquire(text);
      const release = () => this.release(text, stmt);
      stmt.run(params.map(toSqlite), function (this: sqlite3.RunResult, err: Error | null) {
        release();
        if (err) reject(err);
        else resolve(this.changes);
      });
    });
  }

  close(): Promise<void> {
    for (const free of this.idle.values()) for (const stmt of free) stmt.finalize();
    this.idle.clear();
    return new Promise((resolve, reject) => this.conn.close((err) => (err ? reject(err) : resolve())));
  }

  private acquire(text: string): sqlite3.Statement {
    return this.idle.get(text)?.pop() ?? this.conn.prepare(text);
  }

  private release(text: string, stmt: sqlite3.Statement) {
    let free = this.idle.get(text);
    if (!free) this.idle.set(text, (free = []));
    if (free.length < Sqlite3Sql.STATEMENTS_KEPT) free.push(stmt);
    else stmt.finalize();
  }
}

/** Runs `fn` in one write transaction on `sql`'s connection (the caller serialises writers). */
export async function sqliteTransaction<T>(sql: Sqlite3Sql, fn: (sql: Sql) => Promise<T>): Promise<T> {
  await sql.run('BEGIN IMMEDIATE');
  try {
    const value = await fn(sql);
    await sql.run('COMMIT');
    return value;
  } catch (err) {
    await sql.run('ROLLBACK').catch(() => undefined); // already rolled back if COMMIT failed
    throw err;
  }
}
