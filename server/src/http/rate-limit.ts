import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type Redis from 'ioredis';
import { AppError } from './errors';

/** What a service needs of the limits: count an attempt, or fail with 429. */
export interface Limiter<Name extends string> {
  consume(name: Name, key: string): Promise<void>;
}

/**
 * Limits that count failures only (wrong codes), so that a stranger's
 * attempts, or the owner's own successes, never use up the owner's allowance:
 * `check` refuses while a key is blocked, `fail` counts one failure (and
 * blocks the key for `blockSec` once over), `reset` forgets a key after a
 * success.
 */
export interface FailureLimiter<Name extends string> {
  check(name: Name, key: string): Promise<void>;
  fail(name: Name, key: string): Promise<void>;
  reset(name: Name, key: string): Promise<void>;
}

export interface LimitSpec {
  points: number;
  durationSec: number;
  /** Once over the limit, the key is refused for this long (failure limits). */
  blockSec?: number;
}

const tooMany = (ms: number) => {
  const retryAfter = Math.max(1, Math.ceil(ms / 1000));
  const wait = retryAfter >= 120 ? `${Math.ceil(retryAfter / 60)}分钟` : `${retryAfter}秒`;
  return new AppError(429, 'RATE_LIMITED', `操作过于频繁，请${wait}后再试`, { retryAfter });
};

/**
 * Named limiters (rate-limiter-flexible): in memory by default, in Redis when
 * configured so several server processes share the counts. Strict limits are
 * keyed by phone, account or phone-and-address; limits keyed by address
 * alone are generous, because hundreds of patients can share one hospital
 * Wi-Fi address.
 */
export class RateLimits<Name extends string> implements Limiter<Name>, FailureLimiter<Name> {
  private readonly limiters = new Map<Name, RateLimiterAbstract>();
  private readonly blockSec = new Map<Name, number>();

  constructor(specs: Record<Name, LimitSpec>, redis?: Redis) {
    for (const [name, spec] of Object.entries(specs) as Array<[Name, LimitSpec]>) {
      if (spec.blockSec) this.blockSec.set(name, spec.blockSec);
      const options = { keyPrefix: `rl:${name}`, points: spec.points, duration: spec.durationSec };
      this.limiters.set(
        name,
        redis
          ? new RateLimiterRedis({ ...options, storeClient: redis, useRedisPackage: false })
          : new RateLimiterMemory(options),
      );
    }
  }

  private limiter(name: Name) {
    const l = this.limiters.get(name);
    if (!l) throw new Error(`no rate limit named ${name}`);
    return l;
  }

  /** Counts one attempt; over the limit it throws 429 RATE_LIMITED with Retry-After. */
  async consume(name: Name, key: string): Promise<void> {
    try {
      await this.limiter(name).consume(key);
    } catch (err) {
      if (err instanceof RateLimiterRes) throw tooMany(err.msBeforeNext);
      throw err;
    }
  }

  /** Refuses while `points` failures are on record (or the key is blocked after them). */
  async check(name: Name, key: string): Promise<void> {
    const limiter = this.limiter(name);
    const res = await limiter.get(key);
    if (res && res.consumedPoints >= limiter.points) throw tooMany(res.msBeforeNext);
  }

  /** Counts a failure; the one that reaches the limit blocks the key for `blockSec`. */
  async fail(name: Name, key: string): Promise<void> {
    const limiter = this.limiter(name);
    const res = await limiter.consume(key).catch((err: unknown) => {
      if (err instanceof RateLimiterRes) return err;
      throw err;
    });
    const blockSec = this.blockSec.get(name) ?? 0;
    if (res.consumedPoints === limiter.points && blockSec > 0) await limiter.block(key, blockSec);
  }

  async reset(name: Name, key: string): Promise<void> {
    await this.limiter(name).delete(key);
  }
}
