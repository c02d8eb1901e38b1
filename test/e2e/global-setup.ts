import { ensureH5Build } from '../../scripts/h5-build';

/** The e2e tests drive the real H5 build: make sure it matches the sources. */
export default async function globalSetup() {
  ensureH5Build((msg) => process.stdout.write(`[e2e] ${msg}\n`));
}
