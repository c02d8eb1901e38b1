import { SequelizeStorage, Umzug } from 'umzug';
import type { QueryInterface } from 'sequelize';
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

/** Applies pending migrations; called on every start. */
export async function migrate(db: Db, log?: Logger) {
  const applied = await migrator(db, log).up();
  if (applied.length) log?.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
}
