import { existsSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
export const WEAPP_DIST = path.join(ROOT, 'dist', 'weapp');

/**
 * Builds the mini-program (production) when dist/weapp is missing, e.g. on a
 * fresh clone. An existing build is used as it is: `npm run build:weapp`
 * refreshes it.
 */
export function ensureWeappBuild(log: (msg: string) => void = console.log): void {
  const appJson = path.join(WEAPP_DIST, 'app.json');
  if (existsSync(appJson)) {
    log(`Using dist/weapp built ${statSync(appJson).mtime.toLocaleString()} (npm run build:weapp rebuilds it).`);
    return;
  }
  log('dist/weapp is missing: building the mini-program (about 20-30 s)...');
  const taro = path.join(ROOT, 'node_modules', '.bin', 'taro');
  const result = spawnSync(taro, ['build', '--type', 'weapp'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) throw new Error(`weapp build failed (exit ${result.status})`);
}
