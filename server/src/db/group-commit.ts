import type { AppError } from '../http/errors';
import type { Db } from './index';
import type { Sql } from './sql';

/** What one write of a batch came to: its value, or an error for that write alone. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

interface Job<Q, R> {
  request: Q;
  resolve: (value: R) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit: writes queue here and one writer commits them in batches, one
 * transaction per batch, because per-statement and per-transaction overhead,
 * not the database, limits write throughput (docs/decisions.md). `writeBatch`
 * runs a batch in the caller's transaction and answers one outcome per
 * request, so a condition that no longer holds fails that write alone. When a
 * batch throws as a whole (nothing of it was written, e.g. a unique index saw
 * a race with another server process), each request is tried again on its
 * own, in order. The queue is bounded: beyond `maxQueue` a write is refused at
 * once with `busy()` (503 BUSY), never an unbounded wait. Bookings
 * (booking/writer.ts) and health readings (health/service.ts) use it.
 */
export class GroupCommit<Q, R> {
  private queue: Job<Q, R>[] = [];
  private draining = false;
  private drained: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly writeBatch: (sql: Sql, requests: Q[]) => Promise<Outcome<R>[]>,
    private readonly options: { maxQueue: number; maxBatch: number; busy: () => AppError },
  ) {}

  submit(request: Q): Promise<R> {
    if (this.queue.length >= this.options.maxQueue) return Promise.reject(this.options.busy());
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        this.drained = this.drain();
      }
    });
  }

  /** Resolves once every queued write has been made (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.draining) await this.drained;
  }

  private async drain() {
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.options.maxBatch);
        let outcomes: Outcome<R>[];
        try {
          outcomes = await this.run(batch.map((job) => job.request));
        } catch (error) {
          if (batch.length === 1) {
            batch[0].reject(error);
            continue;
          }
          outcomes = [];
          for (const job of batch) {
            outcomes.push(
              await this.run([job.request]).then(
                ([o]) => o,
                (err: unknown) => ({ ok: false, error: err }) as const,
              ),
            );
          }
        }
        batch.forEach((job, i) => {
          const o = outcomes[i];
          if (o.ok) job.resolve(o.value);
          else job.reject(o.error);
        });
      }
    } finally {
      // Cleared in the same turn the loop sees an empty queue, so a new submit always starts a drain.
      this.draining = false;
    }
  }

  private run(requests: Q[]): Promise<Outcome<R>[]> {
    return this.db.writeSql((sql) => this.writeBatch(sql, requests));
  }
}
