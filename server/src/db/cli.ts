import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { prepareDb } from './setup';
import { seedDemoData } from './seed/demo';

/** `npm run db:migrate` applies migrations; `npm run db:seed` also registers the demo hospitals. */
async function run(command: string | undefined) {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const db = await prepareDb(config.databaseUrl, { log });
  if (command === 'seed') log.info({ hospitals: await seedDemoData(config.demoHisBaseUrl) }, 'seeded');
  await db.close();
}

run(process.argv[2]).catch((err) => {
  console.error(err);
  process.exit(1);
});
