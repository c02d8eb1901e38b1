import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { RateLimits } from '../../server/src/http/rate-limit';
import { SERVICES, describeWith } from '../support/services';

const spec = { login: { points: 3, durationSec: 60 } };

async function attempts(limits: RateLimits<'login'>, key: string, n: number) {
  const codes: string[] = [];
  for (let i = 0; i < n; i++) {
    codes.push(
      await limits.consume('login', key).then(
        () => 'ok',
        (e: { code: string }) => e.code,
      ),
    );
  }
  return codes;
}

describe('rate limits', () => {
  it('allows the configured number of attempts per key in memory, then answers RATE_LIMITED', async () => {
    const limits = new RateLimits(spec);
    expect(await attempts(limits, 'a', 4)).toEqual(['ok', 'ok', 'ok', 'RATE_LIMITED']);
    expect(await attempts(limits, 'b', 1)).toEqual(['ok']);
  });

  it('counts failures only, and blocks a key for its block time once they reach the limit', async () => {
    const limits = new RateLimits({ fail: { points: 2, durationSec: 60, blockSec: 300 } });
    await limits.check('fail', 'k');
    await limits.fail('fail', 'k');
    await limits.check('fail', 'k');
    await limits.fail('fail', 'k');
    const blocked = await limits.check('fail', 'k').catch((e: { code: string; details: { retryAfter: number } }) => e);
    expect(blocked).toMatchObject({ code: 'RATE_LIMITED' });
    expect((blocked as { details: { retryAfter: number } }).details.retryAfter).toBeGreaterThan(60);
    await limits.reset('fail', 'k');
    await limits.check('fail', 'k');
  });
});

describeWith('redis')('rate limits in Redis', () => {
  it('shares counts between server processes through Redis', async () => {
    const a = new Redis(SERVICES.redis.url(), { maxRetriesPerRequest: 1 });
    const b = new Redis(SERVICES.redis.url(), { maxRetriesPerRequest: 1 });
    try {
      const key = randomUUID();
      const first = new RateLimits(spec, a);
      const second = new RateLimits(spec, b);
      expect(await attempts(first, key, 2)).toEqual(['ok', 'ok']);
      expect(await attempts(second, key, 2)).toEqual(['ok', 'RATE_LIMITED']);
    } finally {
      a.disconnect();
      b.disconnect();
    }
  });
});
