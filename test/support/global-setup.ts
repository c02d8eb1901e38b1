import { probeServices } from './services';

/** Server tests: which optional services (PostgreSQL, Redis) this machine has. */
export default async function globalSetup() {
  await probeServices((line) => process.stdout.write(`\n${line}\n`));
}
