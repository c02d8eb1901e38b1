import { readFileSync, readdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';

/**
 * Prints build sizes: the weapp main package (everything outside subpackage
 * roots, checked against WeChat's 2 MB limit) and the H5 bundle.
 * Run after `npm run build:weapp` and `npm run build:h5`.
 */
const ROOT = path.resolve(__dirname, '..');
const WECHAT_LIMIT = 2 * 1024 * 1024;

function files(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .map((f) => path.join(dir, f))
    .filter((f) => statSync(f).isFile() && !f.endsWith('.LICENSE.txt') && !f.endsWith('.build-stamp'));
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

function weapp(): boolean {
  const dir = path.join(ROOT, 'dist', 'weapp');
  const app = JSON.parse(readFileSync(path.join(dir, 'app.json'), 'utf8')) as { subPackages?: Array<{ root: string }> };
  const subRoots = (app.subPackages ?? []).map((s) => path.join(dir, s.root));
  const all = files(dir).filter((f) => !f.endsWith('project.config.json'));
  const main = all.filter((f) => !subRoots.some((r) => f.startsWith(r)));
  const mainBytes = main.reduce((n, f) => n + statSync(f).size, 0);
  console.log(`weapp main package: ${kb(mainBytes)} (${main.length} files; WeChat limit ${kb(WECHAT_LIMIT)})`);
  for (const root of subRoots) {
    const bytes = all.filter((f) => f.startsWith(root)).reduce((n, f) => n + statSync(f).size, 0);
    console.log(`weapp subpackage ${path.relative(dir, root)}: ${kb(bytes)}`);
  }
  return mainBytes < WECHAT_LIMIT;
}

function h5() {
  const dir = path.join(ROOT, 'dist', 'h5');
  const all = files(dir);
  const size = (ext: string) => all.filter((f) => f.endsWith(ext)).reduce((n, f) => n + statSync(f).size, 0);
  const gz = (ext: string) =>
    all.filter((f) => f.endsWith(ext)).reduce((n, f) => n + gzipSync(readFileSync(f)).length, 0);
  console.log(
    `H5 bundle: JS ${kb(size('.js'))} (gzip ${kb(gz('.js'))}), CSS ${kb(size('.css'))} (gzip ${kb(gz('.css'))})`,
  );
}

const ok = weapp();
h5();
if (!ok) {
  console.error('weapp main package is over the WeChat limit');
  process.exit(1);
}
