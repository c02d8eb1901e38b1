import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist', 'h5');
const STAMP = path.join(DIST, '.build-stamp');
/** Everything the H5 bundle is built from. */
const INPUTS = ['miniprogram', 'config', 'babel.config.js', '.env', '.env.production', 'package-lock.json'];

function filesOf(entry: string): string[] {
  const full = path.join(ROOT, entry);
  if (!existsSync(full)) return [];
  if (statSync(full).isFile()) return [entry];
  return (readdirSync(full, { recursive: true }) as string[])
    .map((f) => path.join(entry, f))
    .filter((f) => statSync(path.join(ROOT, f)).isFile())
    .sort();
}

export function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap(filesOf)) {
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(path.join(ROOT, file)))
      .update('\0');
  }
  return hash.digest('hex');
}

/** Builds the H5 site unless the build on disk came from the same sources. */
export function ensureH5Build(log: (msg: string) => void = console.log): void {
  const hash = sourceHash();
  if (existsSync(path.join(DIST, 'index.html')) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash) {
    log('H5 build is up to date.');
    return;
  }
  log('Building the H5 site (first start or sources changed; about 30-60 s)...');
  rmSync(DIST, { recursive: true, force: true }); // no stale hashed files from earlier builds
  const taro = path.join(ROOT, 'node_modules', '.bin', 'taro');
  const result = spawnSync(taro, ['build', '--type', 'h5'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) {
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    throw new Error(`H5 build failed (exit ${result.status})`);
  }
  writeFileSync(STAMP, hash);
  log('H5 build done.');
}

if (require.main === module) ensureH5Build();
