import { Command } from 'commander';
import { username as usernameSchema } from '../../../../common/console/forms';
import { loadConfig } from '../../config';
import { prepareDb } from '../../db/setup';
import { createLogger } from '../../logger';
import { AppError } from '../../http/errors';
import { hashPassword, oneTimePassword } from './passwords';
import { insertStaff } from './service';

/**
 * `npm run console -- create-admin --username <name> [--name <display name>]`
 * creates a platform admin and prints a one-time password: it must be
 * replaced, and TOTP enrolled, at the first sign-in.
 */
const program = new Command('console').description('医联云健康 staff console administration');

program
  .command('create-admin')
  .description('create a platform admin with a one-time password')
  .requiredOption('--username <username>', '3-32 lower-case letters, digits or . _ -')
  .option('--name <displayName>', 'display name', '平台管理员')
  .action(async (opts: { username: string; name: string }) => {
    const parsed = usernameSchema.safeParse(opts.username);
    if (!parsed.success) throw new Error(parsed.error.issues[0].message);
    const config = loadConfig();
    const db = await prepareDb(config.databaseUrl, { log: createLogger('warn') });
    try {
      const password = oneTimePassword();
      const passwordHash = await hashPassword(password);
      await db.write((t) =>
        insertStaff(t, {
          username: parsed.data,
          displayName: opts.name.slice(0, 40),
          role: 'platform_admin',
          hospitalIds: [],
          passwordHash,
          mustChangePassword: true,
        }),
      );
      console.log(`Platform admin "${parsed.data}" created.`);
      console.log(`One-time password: ${password}`);
      console.log('Sign in at /console: the password must be changed and TOTP enrolled at the first sign-in.');
    } finally {
      await db.close();
    }
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(err instanceof AppError || err instanceof Error ? err.message : err);
  process.exit(1);
});
