import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..');

export interface StampedBuild {
  /** For messages, e.g. `H5 site`. */
  name: string;
  /** Output folder, relative to the repository. */
  dist: string;
  /** Everything the build is made from (files or folders, relative to the repository). */
  inputs: string[];
  /** The build command (a binary in node_modules/.bin) and its arguments. */
  command: [string, ...string[]];
  /** Said before a build, e.g. the time it takes. */
  hint?: string;
}

function filesOf(entry: string): string[] {
  const full = path.join(ROOT, entry);
  if (!existsSync(full)) return [];
  if (statSync(full).isFile()) return [entry];
  return (readdirSync(full, { recursive: true }) as string[])
    .map((f) => path.join(entry, f))
    .filter((f) => statSync(path.join(ROOT, f)).isFile())
    .sort();
}

/** A hash of every input file's name and content. */
export function sourceHash(inputs: string[]): string {
  const hash = createHash('sha256');
  for (const file of inputs.flatMap(filesOf)) {
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(path.join(ROOT, file)))
      .update('\0');
  }
  return hash.digest('hex');
}

/**
 * Builds unless the build on disk came from the same sources (a stamp file
 * in the output holds their hash), so `npm start` and the e2e tests rebuild
 * only what changed. `force` builds anyway.
 */
export function ensureBuild(b: StampedBuild, log: (msg: string) => void = console.log, force = false): void {
  const dist = path.join(ROOT, b.dist);
  const stamp = path.join(dist, '.build-stamp');
  const hash = sourceHash(b.inputs);
  if (
    !force &&
    existsSync(path.join(dist, 'index.html')) &&
    existsSync(stamp) &&
    readFileSync(stamp, 'utf8') === hash
  ) {
    log(`${b.name} build is up to date.`);
    return;
  }
  log(`Building the ${b.name}${b.hint ? ` (${b.hint})` : ''}...`);
  rmSync(dist, { recursive: true, force: true }); // no stale hashed files from earlier builds
  const [bin, ...args] = b.command;
  const result = spawnSync(path.join(ROOT, 'node_modules', '.bin', bin), args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) {
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    throw new Error(`${b.name} build failed (exit ${result.status})`);
  }
  writeFileSync(stamp, hash);
  log(`${b.name} build done.`);
}
