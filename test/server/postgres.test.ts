import { openDb, type Db } from '../../server/src/db';
import { migrate } from '../../server/src/db/migrate';
import { migrations } from '../../server/src/db/migrations';
import { createTestDatabase } from '../support/platform';
import { describeWith } from '../support/services';

describeWith('postgres')('migrations on PostgreSQL', () => {
  it('run once when several server processes start together (advisory lock)', async () => {
    const database = await createTestDatabase('postgres');
    const dbs: Db[] = [];
    try {
      for (let i = 0; i < 4; i++) dbs.push(await openDb(database.url, { poolMax: 3 }));
      await Promise.all(dbs.map((db) => migrate(db)));
      const [rows] = await dbs[0].sequelize.query('SELECT name FROM schema_migrations ORDER BY name');
      expect((rows as Array<{ name: string }>).map((r) => r.name)).toEqual(migrations.map((m) => m.name));
    } finally {
      for (const db of dbs) await db.close();
      await database.drop();
    }
  });
});
