import pg from 'pg';
import { numbered, type Sql, type SqlValue } from './sql';

/**
 * Plain SQL on PostgreSQL through node-postgres directly: a pool of its own
 * beside Sequelize's, because Sequelize's per-query work costs more than the
 * query on the booking hot path (docs/decisions.md).
 */

/** `date` columns stay 'YYYY-MM-DD' text, as Sequelize reads DATEONLY; everything else as pg parses it. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.DATE
      ? (v: string) => v
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export function pgPool(url: string, max: number): pg.Pool {
  return new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 10_000, types });
}

/** Statements are prepared once per connection, under a name per text. */
const names = new Map<string, string>();
function prepared(text: string, values: SqlValue[]): pg.QueryConfig {
  let name = names.get(text);
  if (!name) names.set(text, (name = `s${names.size + 1}`));
  return { name, text: numbered(text), values };
}

export class PgSql implements Sql {
  readonly dialect = 'postgres' as const;

  constructor(private readonly conn: pg.Pool | pg.PoolClient) {}

  async one<T>(text: string, params: SqlValue[] = []) {
    return (await this.all<T>(text, params))[0];
  }

  async all<T>(text: string, params: SqlValue[] = []): Promise<T[]> {
    return (await this.conn.query(prepared(text, params))).rows as T[];
  }

  async run(text: string, params: SqlValue[] = []): Promise<number> {
    return (await this.conn.query(prepared(text, params))).rowCount ?? 0;
  }
}

/** Runs `fn` in one transaction on a connection of the pool. */
export async function pgTransaction<T>(pool: pg.Pool, fn: (sql: Sql) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const value = await fn(new PgSql(client));
    await client.query('COMMIT');
    return value;
  } catch (err) {
    await client.query('ROLLBACK').catch((e: Error) => (broken = e));
    throw err;
  } finally {
    client.release(broken); // a connection that could not roll back is discarded
  }
}
