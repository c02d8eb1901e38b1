import { ensureBuild } from './build-stamp';

/** Everything the console bundle is built from (it shares form schemas in common/console). */
const INPUTS = ['console', 'common/console', 'package-lock.json'];

/** Builds the staff console (Vite) into dist/console unless the build on disk came from the same sources. */
export function ensureConsoleBuild(log: (msg: string) => void = console.log, force = false): void {
  ensureBuild(
    {
      name: 'staff console',
      dist: 'dist/console',
      inputs: INPUTS,
      command: ['vite', 'build', '--config', 'console/vite.config.ts', '--logLevel', 'warn'],
      hint: 'about 10 s',
    },
    log,
    force,
  );
}

if (require.main === module) ensureConsoleBuild(console.log, process.argv.includes('--force'));
