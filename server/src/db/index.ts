import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Mutex } from 'async-mutex';
import { Sequelize, Transaction } from 'sequelize';
import type { Logger } from '../logger';
import { PgSql, pgPool, pgTransaction } from './pg-sql';
import { SequelizeSql } from './sequelize-sql';
import { SqlPool, type Dialect, type Sql } from './sql';
import { SQLITE_PRAGMAS, Sqlite3Sql, sqliteTransaction } from './sqlite';

export type { Dialect, Sql } from './sql';

export interface Db {
  sequelize: Sequelize;
  dialect: Dialect;
  /**
   * Runs `fn` in one write transaction. On SQLite, writes are serialised in
   * process: sqlite3 allows one writer, and transactions queued on its lock
   * would fill libuv's threads and deadlock the one holding it
   * (docs/decisions.md). PostgreSQL runs them concurrently.
   */
  write<T>(fn: (t: Transaction) => Promise<T>): Promise<T>;
  /** Plain SQL for hot-path reads (./sql.ts): pooled sqlite3 connections on SQLite, a node-postgres pool on PostgreSQL. */
  sql: Sql;
  /** Like `write`, for plain SQL: one transaction, serialised with `write` on SQLite. */
  writeSql<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  /** Plain SQL inside a Sequelize transaction from `write`. */
  sqlIn(t: Transaction): Sql;
  close(): Promise<void>;
}

/** Read connections for plain SQL (WAL lets them read while the writer writes). */
const READERS = 3;

function sqliteStorage(url: string): string {
  const file = url.replace(/^sqlite:(\/\/)?/, '');
  // Plain SQL runs on its own connections, which must see the same database.
  if (file === ':memory:') throw new Error('in-memory SQLite is not supported: use a file, e.g. sqlite:data/x.sqlite');
  const resolved = path.resolve(file);
  mkdirSync(path.dirname(resolved), { recursive: true });
  return resolved;
}

export async function openDb(url: string, options: { log?: Logger; poolMax?: number } = {}): Promise<Db> {
  const dialect: Dialect = url.startsWith('sqlite:') ? 'sqlite' : 'postgres';
  const storage = dialect === 'sqlite' ? sqliteStorage(url) : '';
  const logging = options.log ? (sql: string) => options.log!.trace({ sql }, 'sql') : false;
  const common = { logging, define: { underscored: true } } as const;
  const sequelize =
    dialect === 'sqlite'
      ? new Sequelize({
          ...common,
          dialect: 'sqlite',
          storage,
          transactionType: Transaction.TYPES.IMMEDIATE,
          retry: { max: 0 },
        })
      : new Sequelize(url, {
          ...common,
          dialect: 'postgres',
          pool: { max: options.poolMax ?? 10, min: 0, idle: 10_000 },
        });

  if (dialect === 'sqlite') {
    configureSqliteConnections(sequelize);
    await sequelize.query('PRAGMA journal_mode = WAL');
  }
  await sequelize.authenticate();

  const sqlIn = (t: Transaction) => new SequelizeSql(sequelize, t);
  if (dialect === 'postgres') {
    const pool = pgPool(url, options.poolMax ?? 10);
    return {
      sequelize,
      dialect,
      write: (fn) => sequelize.transaction(fn),
      sql: new PgSql(pool),
      writeSql: (fn) => pgTransaction(pool, fn),
      sqlIn,
      close: async () => {
        await pool.end();
        await sequelize.close();
      },
    };
  }

  // SQLite: one mutex serialises every write transaction, whichever connection runs it.
  const mutex = new Mutex();
  const readers = await Promise.all(Array.from({ length: READERS }, () => Sqlite3Sql.open(storage, SQLITE_PRAGMAS)));
  const writer = await Sqlite3Sql.open(storage, SQLITE_PRAGMAS);
  return {
    sequelize,
    dialect,
    write: (fn) => mutex.runExclusive(() => sequelize.transaction(fn)),
    sql: new SqlPool(readers),
    writeSql: (fn) => mutex.runExclusive(() => sqliteTransaction(writer, fn)),
    sqlIn,
    close: async () => {
      for (const reader of readers) await reader.close();
      await writer.close();
      await sequelize.close();
    },
  };
}

/**
 * Sequelize's SQLite dialect opens a fresh connection per transaction and has
 * no connect hook, so per-connection pragmas are applied by wrapping it.
 */
function configureSqliteConnections(sequelize: Sequelize) {
  type Conn = { run(sql: string): void };
  const manager = sequelize.connectionManager as unknown as { getConnection(o?: unknown): Promise<Conn> };
  const original = manager.getConnection.bind(manager);
  const configured = new WeakSet<Conn>();
  manager.getConnection = async (o?: unknown) => {
    const conn = await original(o);
    if (!configured.has(conn)) {
      for (const pragma of SQLITE_PRAGMAS) conn.run(pragma);
      configured.add(conn);
    }
    return conn;
  };
}
