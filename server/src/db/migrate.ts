import { SequelizeStorage, Umzug } from 'umzug';
import { QueryTypes, type QueryInterface } from 'sequelize';
import type { Db } from './index';
import type { Logger } from '../logger';
import { migrations } from './migrations';

export function migrator(db: Db, log?: Logger) {
  return new Umzug<QueryInterface>({
    migrations: migrations.map((m) => ({
      name: m.name,
      up: ({ context }) => m.up(context),
      down: ({ context }) => m.down(context),
    })),
    context: db.sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize: db.sequelize, tableName: 'schema_migrations' }),
    logger: log
      ? { info: (m) => log.debug(m), warn: (m) => log.warn(m), error: (m) => log.error(m), debug: () => {} }
      : undefined,
  });
}

/** Any fixed number: the PostgreSQL advisory lock every server process takes around its migrations. */
const MIGRATION_LOCK = 20261127;

/**
 * Applies pending migrations; called on every start. Processes starting
 * together on one PostgreSQL database take turns on an advisory lock, so
 * each migration runs once and the others see it applied. (On SQLite the
 * first DDL statement takes the database's write lock.)
 */
export async function migrate(db: Db, log?: Logger) {
  if (db.dialect !== 'postgres') return apply(db, log);
  // A session-level lock lives on one connection: hold one for the whole run.
  const t = await db.sequelize.transaction();
  try {
    await db.sequelize.query('SELECT pg_advisory_xact_lock(:key)', {
      replacements: { key: MIGRATION_LOCK },
      type: QueryTypes.SELECT,
      transaction: t,
    });
    await apply(db, log);
    await t.commit();
  } catch (err) {
    await t.rollback();
    throw err;
  }
}

async function apply(db: Db, log?: Logger) {
  const applied = await migrator(db, log).up();
  if (applied.length) log?.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
}
