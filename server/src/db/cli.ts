import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { PiiCipher } from '../privacy/cipher';
import { rotatePii } from '../privacy/rotation';
import { prepareDb } from './setup';
import { seedDemoData } from './seed/demo';

/**
 * `npm run db:migrate` applies migrations; `npm run db:seed` also registers
 * the demo hospitals; `npm run pii:rotate` re-encrypts personal data under the
 * first key of PII_ENCRYPTION_KEYS (then the old keys can be removed).
 */
async function run(command: string | undefined) {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const db = await prepareDb(config.databaseUrl, { log });
  const cipher = new PiiCipher(config.pii);
  if (command === 'seed') {
    const hospitals = await seedDemoData({
      hisBaseUrl: config.demoHisBaseUrl,
      signingSeed: config.demoHisSecret,
      cipher,
    });
    log.info({ hospitals }, 'seeded');
  }
  if (command === 'rotate') log.info(await rotatePii(db, cipher, log), 'personal data re-encrypted');
  await db.close();
}

run(process.argv[2]).catch((err) => {
  console.error(err);
  process.exit(1);
});
