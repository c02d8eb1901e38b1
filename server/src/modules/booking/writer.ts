import type { Db } from '../../db';
import { savepoint, type Sql } from '../../db/sql';

interface Job<T> {
  run: (sql: Sql) => Promise<T>;
  resolve: (value: T) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit: bookings queue here and one writer commits them in batches,
 * one transaction per batch and a savepoint per booking, so a failed booking
 * (slot full, duplicate) rolls back alone. Per-transaction overhead, not the
 * database, limits one-transaction-per-booking throughput (docs/decisions.md).
 */
export class BatchWriter {
  private queue: Array<Job<unknown>> = [];
  private draining = false;

  constructor(
    private readonly db: Db,
    private readonly maxBatch = 64,
  ) {}

  submit<T>(run: (sql: Sql) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, resolve, reject } as Job<unknown>);
      if (!this.draining) void this.drain();
    });
  }

  private async drain() {
    this.draining = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.maxBatch);
        const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
        try {
          await this.db.writeSql(async (sql) => {
            for (const job of batch) {
              try {
                outcomes.push({ ok: true, value: await savepoint(sql, () => job.run(sql)) });
              } catch (error) {
                outcomes.push({ ok: false, error });
              }
            }
          });
        } catch (error) {
          // The batch itself failed to commit: nothing of it happened.
          batch.forEach((job) => job.reject(error));
          continue;
        }
        batch.forEach((job, i) => {
          const o = outcomes[i];
          if (o.ok) job.resolve(o.value);
          else job.reject(o.error);
        });
      }
    } finally {
      this.draining = false;
    }
  }
}
