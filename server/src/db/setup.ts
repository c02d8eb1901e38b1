import type { Logger } from '../logger';
import { openDb, type Db } from './index';
import { migrate } from './migrate';
import { initModels } from './models';

/** Opens the database, applies pending migrations and binds the models. */
export async function prepareDb(url: string, options: { log?: Logger; poolMax?: number } = {}): Promise<Db> {
  const db = await openDb(url, options);
  await migrate(db, options.log);
  initModels(db.sequelize);
  return db;
}
