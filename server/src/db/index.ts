import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Mutex } from 'async-mutex';
import { Sequelize, Transaction } from 'sequelize';
import type { Logger } from '../logger';

export type Dialect = 'sqlite' | 'postgres';

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
  close(): Promise<void>;
}

const SQLITE_PRAGMAS = ['PRAGMA busy_timeout = 5000', 'PRAGMA synchronous = NORMAL'];

function sqliteStorage(url: string): string {
  const file = url.replace(/^sqlite:(\/\/)?/, '');
  if (file === ':memory:') return file;
  const resolved = path.resolve(file);
  mkdirSync(path.dirname(resolved), { recursive: true });
  return resolved;
}

export async function openDb(url: string, options: { log?: Logger; poolMax?: number } = {}): Promise<Db> {
  const dialect: Dialect = url.startsWith('sqlite:') ? 'sqlite' : 'postgres';
  const logging = options.log ? (sql: string) => options.log!.trace({ sql }, 'sql') : false;
  const common = { logging, define: { underscored: true } } as const;
  const sequelize =
    dialect === 'sqlite'
      ? new Sequelize({
          ...common,
          dialect: 'sqlite',
          storage: sqliteStorage(url),
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

  const mutex = new Mutex();
  return {
    sequelize,
    dialect,
    write: (fn) =>
      dialect === 'sqlite' ? mutex.runExclusive(() => sequelize.transaction(fn)) : sequelize.transaction(fn),
    close: () => sequelize.close(),
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
