import { ensureConsoleBuild } from '../../scripts/console-build';
import { ensureH5Build } from '../../scripts/h5-build';

/** The e2e tests drive the real H5 and console builds: make sure they match the sources. */
export default async function globalSetup() {
  const log = (msg: string) => process.stdout.write(`[e2e] ${msg}\n`);
  ensureH5Build(log);
  ensureConsoleBuild(log);
}
