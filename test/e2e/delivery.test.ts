import { readdirSync } from 'node:fs';
import { launchBrowser } from '../support/browser';
import { listen } from '../../server/sim/listen';
import { startTestPlatform, type TestPlatform } from '../support/platform';

/** Budget for the home page's JavaScript as it travels, compressed (issue: slow phones, 3G). */
const HOME_JS_BUDGET = 180 * 1024;

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform({ h5DistDir: 'dist/h5' });
});
afterAll(() => p.close());

const hashedJs = () => `/js/${readdirSync('dist/h5/js').find((f) => /^vendors\.[0-9a-f]{8}\.js$/.test(f))}`;

describe('how the H5 site and the API travel', () => {
  it('compresses the site with brotli, or gzip for clients without it', async () => {
    const br = await p.api.get(hashedJs()).set('Accept-Encoding', 'gzip, deflate, br');
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['vary']).toMatch(/Accept-Encoding/i);
    const gzip = await p.api.get(hashedJs()).set('Accept-Encoding', 'gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    const css = readdirSync('dist/h5/css').find((f) => f.startsWith('app.'))!;
    expect((await p.api.get(`/css/${css}`).set('Accept-Encoding', 'br')).headers['content-encoding']).toBe('br');
    const plain = await p.api.get(hashedJs()).set('Accept-Encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
  });

  it('caches hashed assets for a year and always revalidates index.html', async () => {
    const asset = await p.api.get(hashedJs());
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const css = readdirSync('dist/h5/css').find((f) => f.startsWith('app.'))!;
    expect((await p.api.get(`/css/${css}`)).headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const path of ['/', '/pages/department/index?id=x']) {
      const html = await p.api.get(path).set('Accept', 'text/html');
      expect(html.status).toBe(200);
      expect(html.headers['cache-control']).toBe('no-cache');
    }
  });

  it('compresses API answers of 1 KB or more and leaves small ones alone', async () => {
    const list = await p.api.get('/api/v1/hospitals?pageSize=20').set('Accept-Encoding', 'br, gzip');
    expect(list.headers['content-encoding']).toBe('br');
    expect(list.body.items).toHaveLength(20);
    const small = await p.api.get('/healthz').set('Accept-Encoding', 'br, gzip');
    expect(small.headers['content-encoding']).toBeUndefined();
  });

  it(`sends the home page's JavaScript in at most ${HOME_JS_BUDGET / 1024} KB over the wire`, async () => {
    const server = await listen(p.app, 0);
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      await page.goto(server.url, { waitUntil: 'networkidle' });
      await page.getByText('预约挂号').waitFor();
      const scripts = await page.evaluate<Array<{ name: string; encoded: number; decoded: number }>>(
        `performance.getEntriesByType('resource')
          .filter((r) => r.name.endsWith('.js'))
          .map((r) => ({ name: r.name, encoded: r.encodedBodySize, decoded: r.decodedBodySize }))`,
      );
      const wire = scripts.reduce((n, s) => n + s.encoded, 0);
      const decoded = scripts.reduce((n, s) => n + s.decoded, 0);
      console.log(
        `home page JS: ${(wire / 1024).toFixed(1)} KB over the wire (${(decoded / 1024).toFixed(1)} KB decoded, ${scripts.length} files)`,
      );
      expect(wire).toBeLessThan(decoded / 2); // really compressed
      expect(wire).toBeLessThanOrEqual(HOME_JS_BUDGET);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
