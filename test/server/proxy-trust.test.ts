import { startTestPlatform, type TestPlatform } from '../support/platform';

// No proxy trusted (TRUST_PROXY_HOPS=0, the default): X-Forwarded-For is the client's own
// writing and is ignored. Its own file: one platform per process.
let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform({ env: { TRUST_PROXY_HOPS: '0', RATE_READ_PER_IP_PER_MINUTE: '5' } });
});
afterAll(() => p.close());

it('ignores X-Forwarded-For, so a spoofed header cannot escape a per-address limit', async () => {
  for (let i = 0; i < 5; i++) {
    expect((await p.api.get('/api/v1/hospitals').set('X-Forwarded-For', `198.51.100.${i}`)).status).toBe(200);
  }
  const limited = await p.api.get('/api/v1/hospitals').set('X-Forwarded-For', '198.51.100.99');
  expect(limited.status).toBe(429);
  expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
});
