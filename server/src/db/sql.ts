import { QueryTypes, UniqueConstraintError, type Sequelize, type Transaction } from 'sequelize';
import sqlite3 from 'sqlite3';

export type Dialect = 'sqlite' | 'postgres';
export type SqlValue = string | number | boolean | Date | null;

/**
 * Plain SQL for hot paths, where an ORM's per-statement cost dominates
 * (docs/decisions.md). Statements use `?` placeholders and are written once
 * for both databases; columns are aliased to camelCase (`doctor_id AS
 * "doctorId"`). Values written here must read back through the models, so
 * dates and booleans are stored the way Sequelize stores them.
 */
export interface Sql {
  readonly dialect: Dialect;
  one<T>(text: string, params?: SqlValue[]): Promise<T | undefined>;
  all<T>(text: string, params?: SqlValue[]): Promise<T[]>;
  /** Runs a write; resolves to the number of rows it changed. */
  run(text: string, params?: SqlValue[]): Promise<number>;
}

/** Sequelize's SQLite text form of a date: `2026-11-26 07:44:45.123 +00:00`. */
const sqliteDate = (d: Date) => `${d.toISOString().replace('T', ' ').replace('Z', '')} +00:00`;

function toSqlite(v: SqlValue): string | number | null {
  if (v instanceof Date) return sqliteDate(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

/** A date column as read by plain SQL: a Date on PostgreSQL, Sequelize's text form on SQLite. */
export const asDate = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
export const asDateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : asDate(v));

/** One INSERT of several rows: `columns` names the columns, each row gives their values in that order. */
export function insertRows(sql: Sql, table: string, columns: string[], rows: SqlValue[][]): Promise<number> {
  if (!rows.length) return Promise.resolve(0);
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  return sql.run(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${rows.map(() => tuple).join(', ')}`,
    rows.flat(),
  );
}

/** Plain SQL through Sequelize, optionally inside one of its transactions. */
export class SequelizeSql implements Sql {
  readonly dialect: Dialect;
  private static readonly texts = new Map<string, string>();

  constructor(
    private readonly sequelize: Sequelize,
    private readonly transaction?: Transaction,
  ) {
    this.dialect = sequelize.getDialect() as Dialect;
  }

  async one<T>(text: string, params: SqlValue[] = []) {
    return (await this.all<T>(text, params))[0];
  }

  all<T>(text: string, params: SqlValue[] = []): Promise<T[]> {
    return this.sequelize.query(this.numbered(text), {
      bind: this.values(params),
      transaction: this.transaction,
      type: QueryTypes.SELECT,
    }) as Promise<T[]>;
  }

  async run(text: string, params: SqlValue[] = []): Promise<number> {
    const changed: unknown = await this.sequelize.query(this.numbered(text), {
      bind: this.values(params),
      transaction: this.transaction,
      type: QueryTypes.BULKUPDATE,
    });
    return Number(changed ?? 0);
  }

  private values(params: SqlValue[]) {
    return this.dialect === 'sqlite' ? params.map(toSqlite) : params;
  }

  /** `?` -> `$1, $2, ...` (Sequelize's bind syntax for every dialect). */
  private numbered(text: string): string {
    let out = SequelizeSql.texts.get(text);
    if (!out) {
      let i = 0;
      out = text.replace(/\?/g, () => `$${++i}`);
      SequelizeSql.texts.set(text, out);
    }
    return out;
  }
}

/**
 * Plain SQL on one long-lived sqlite3 connection with prepared statements
 * kept for reuse. It is the same sqlite3 module (and so the same SQLite
 * library) Sequelize uses: two SQLite libraries in one process would not see
 * each other's POSIX locks, which can corrupt a database (sqlite.org/howtocorrupt.html, 2.2.1).
 *
 * sqlite3 runs each statement on libuv's thread pool, and one prepared
 * statement runs one call at a time, the next only after the event loop has
 * handled the previous one. So calls made together each get a statement of
 * their own (kept up to STATEMENTS_KEPT per text): they are queued on the
 * connection at once, and a busy event loop is waited for once, not per call.
 */
export class Sqlite3Sql implements Sql {
  readonly dialect = 'sqlite' as const;
  private static readonly STATEMENTS_KEPT = 16;
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
        if (err) reject(uniqueAsSequelize(err));
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
        if (err) reject(uniqueAsSequelize(err));
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

/**
 * Several connections used in turn: one SQLite connection runs one statement
 * at a time, so reads of concurrent requests would queue behind each other.
 */
export class SqlPool implements Sql {
  readonly dialect: Dialect;
  private next = 0;

  constructor(readonly members: Sql[]) {
    this.dialect = members[0].dialect;
  }

  private pick() {
    this.next = (this.next + 1) % this.members.length;
    return this.members[this.next];
  }

  one<T>(text: string, params?: SqlValue[]) {
    return this.pick().one<T>(text, params);
  }

  all<T>(text: string, params?: SqlValue[]) {
    return this.pick().all<T>(text, params);
  }

  run(text: string, params?: SqlValue[]) {
    return this.pick().run(text, params);
  }
}

/** Unique violations surface as Sequelize's error, as they do through the models. */
function uniqueAsSequelize(err: Error): Error {
  return err.message.includes('UNIQUE constraint failed')
    ? new UniqueConstraintError({ message: err.message, parent: err as never })
    : err;
}
