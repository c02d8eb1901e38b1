export type Dialect = 'sqlite' | 'postgres';
/** A bound value; arrays only on PostgreSQL (e.g. for `unnest(?::text[])`). */
export type SqlValue = string | number | boolean | Date | null | ReadonlyArray<string | number | null>;

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

export function toSqlite(v: SqlValue): string | number | null {
  if (v instanceof Date) return sqliteDate(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (Array.isArray(v)) throw new TypeError('array parameters are for PostgreSQL only');
  return v as string | number | null;
}

const numberedTexts = new Map<string, string>();

/** `?` -> `$1, $2, ...`: PostgreSQL's placeholders, and Sequelize's bind syntax for every dialect. */
export function numbered(text: string): string {
  let out = numberedTexts.get(text);
  if (!out) {
    let i = 0;
    out = text.replace(/\?/g, () => `$${++i}`);
    numberedTexts.set(text, out);
  }
  return out;
}

/** A date column as read by plain SQL: a Date on PostgreSQL, Sequelize's text form on SQLite. */
export const asDate = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));

/** One INSERT of several rows: `columns` names the columns, each row gives their values in that order. */
export function insertRows(sql: Sql, table: string, columns: string[], rows: SqlValue[][]): Promise<number> {
  if (!rows.length) return Promise.resolve(0);
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  return sql.run(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${rows.map(() => tuple).join(', ')}`,
    rows.flat(),
  );
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

/**
 * A unique index refused a row: Sequelize's UniqueConstraintError from the
 * models, or the driver's own error from plain SQL (SQLite's message,
 * PostgreSQL's code 23505).
 */
export function isUniqueViolation(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return (
    err.name === 'SequelizeUniqueConstraintError' ||
    (err as { code?: unknown }).code === '23505' ||
    err.message.includes('UNIQUE constraint failed')
  );
}
