import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import path from 'node:path';
import Koa from 'koa';
import { compressResponses, serveH5 } from '../server/src/http/static';
import { listen } from '../server/sim/listen';
import { CHROMIUM_PATH, launchBrowser } from '../test/support/browser';
import { ensureWeappBuild } from './weapp-build';
import { ensureH5Build } from './h5-build';

/**
 * `npm run sizes`: what patients download. The weapp main package (everything
 * outside subpackage roots; WeChat's limit is 2 MB, our budget 600 KB), the H5
 * bundle raw and compressed as the server sends it, and the home page's
 * JavaScript over the wire (budget 180 KB), measured in Chromium against the
 * server's own static and compression middleware. Builds whatever is missing.
 */
const ROOT = path.resolve(__dirname, '..');
const WECHAT_LIMIT = 2 * 1024 * 1024;
const WEAPP_MAIN_BUDGET = 600 * 1024;
const HOME_JS_BUDGET = 180 * 1024;

function files(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .map((f) => path.join(dir, f))
    .filter((f) => statSync(f).isFile() && !f.endsWith('.LICENSE.txt') && !f.endsWith('.build-stamp'));
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const sum = (list: string[], size: (f: string) => number) => list.reduce((n, f) => n + size(f), 0);
const raw = (f: string) => statSync(f).size;
const gz = (f: string) => gzipSync(readFileSync(f), { level: 6 }).length;
/** The server's brotli quality (server/src/http/static.ts). */
const br = (f: string) =>
  brotliCompressSync(readFileSync(f), { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }).length;

function weapp(): boolean {
  const dir = path.join(ROOT, 'dist', 'weapp');
  const app = JSON.parse(readFileSync(path.join(dir, 'app.json'), 'utf8')) as { subPackages?: Array<{ root: string }> };
  const subRoots = (app.subPackages ?? []).map((s) => path.join(dir, s.root));
  const all = files(dir).filter((f) => !f.endsWith('project.config.json'));
  const main = all.filter((f) => !subRoots.some((r) => f.startsWith(r)));
  const mainBytes = sum(main, raw);
  console.log(
    `weapp main package: ${kb(mainBytes)} (${main.length} files; budget ${kb(WEAPP_MAIN_BUDGET)}, WeChat limit ${kb(WECHAT_LIMIT)})`,
  );
  for (const root of subRoots) {
    console.log(
      `weapp subpackage ${path.relative(dir, root)}: ${kb(
        sum(
          all.filter((f) => f.startsWith(root)),
          raw,
        ),
      )}`,
    );
  }
  return mainBytes <= WEAPP_MAIN_BUDGET;
}

function h5Bundle() {
  const all = files(path.join(ROOT, 'dist', 'h5'));
  for (const ext of ['.js', '.css']) {
    const list = all.filter((f) => f.endsWith(ext));
    console.log(
      `H5 ${ext.slice(1).toUpperCase()}: ${kb(sum(list, raw))} raw, ${kb(sum(list, gz))} gzip, ${kb(sum(list, br))} brotli (${list.length} files)`,
    );
  }
}

/** Loads the home page in Chromium from the real static + compression middleware; sums the JS bytes received. */
async function homePageJs(): Promise<number | undefined> {
  if (!existsSync(CHROMIUM_PATH)) {
    console.log(`home page JS over the wire: not measured (no Chromium at ${CHROMIUM_PATH}; apt-get install chromium)`);
    return undefined;
  }
  const app = new Koa();
  app.use(compressResponses());
  app.use(serveH5(path.join(ROOT, 'dist', 'h5')));
  const server = await listen(app, 0);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(server.url, { waitUntil: 'networkidle' });
    const scripts = await page.evaluate<Array<{ encoded: number; decoded: number }>>(
      `performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.js'))
        .map((r) => ({ encoded: r.encodedBodySize, decoded: r.decodedBodySize }))`,
    );
    const wire = scripts.reduce((n, s) => n + s.encoded, 0);
    const decoded = scripts.reduce((n, s) => n + s.decoded, 0);
    console.log(
      `home page JS over the wire (brotli): ${kb(wire)} in ${scripts.length} files, ${kb(decoded)} decoded (budget ${kb(HOME_JS_BUDGET)})`,
    );
    return wire;
  } finally {
    await browser.close();
    await server.close();
  }
}

async function main() {
  ensureWeappBuild();
  ensureH5Build();
  const weappOk = weapp();
  h5Bundle();
  const home = await homePageJs();
  const problems = [
    ...(weappOk ? [] : [`weapp main package is over ${kb(WEAPP_MAIN_BUDGET)}`]),
    ...(home !== undefined && home > HOME_JS_BUDGET ? [`home page JS is over ${kb(HOME_JS_BUDGET)}`] : []),
  ];
  for (const p of problems) console.error(p);
  process.exit(problems.length ? 1 : 0);
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
