import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type Redis from 'ioredis';
import { AppError } from './errors';

/** What a service needs of the limits: count an attempt, or fail with 429. */
export interface Limiter<Name extends string> {
  consume(name: Name, key: string): Promise<void>;
}

export interface LimitSpec {
  points: number;
  durationSec: number;
}

/**
 * Named limiters (rate-limiter-flexible): in memory by default, in Redis when
 * configured so several server processes share the counts. Strict limits are
 * keyed by phone or account; limits keyed by IP are generous, because
 * hundreds of patients can share one hospital Wi-Fi address.
 */
export class RateLimits<Name extends string> implements Limiter<Name> {
  private readonly limiters = new Map<Name, RateLimiterAbstract>();

  constructor(specs: Record<Name, LimitSpec>, redis?: Redis) {
    for (const [name, spec] of Object.entries(specs) as Array<[Name, LimitSpec]>) {
      const options = { keyPrefix: `rl:${name}`, points: spec.points, duration: spec.durationSec };
      this.limiters.set(
        name,
        redis
          ? new RateLimiterRedis({ ...options, storeClient: redis, useRedisPackage: false })
          : new RateLimiterMemory(options),
      );
    }
  }

  /** Counts one attempt; over the limit it throws 429 RATE_LIMITED with Retry-After. */
  async consume(name: Name, key: string): Promise<void> {
    try {
      await this.limiters.get(name)!.consume(key);
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        const retryAfter = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
        throw new AppError(429, 'RATE_LIMITED', `操作过于频繁，请${retryAfter}秒后再试`, { retryAfter });
      }
      throw err;
    }
  }
}
