import type { Db } from '../../db';
import { AppError } from '../../http/errors';
import { takeBatch, type Outcome, type Seat, type SeatRequest } from './seat-writes';

interface Job {
  request: SeatRequest;
  resolve: (seat: Seat) => void;
  reject: (err: unknown) => void;
}

/** The writer's queue is full: the client retries after a moment rather than waiting without bound. */
export const busy = () => new AppError(503, 'BUSY', '当前预约人数较多，请稍后再试', { retryAfter: 2 });

/**
 * Group commit: bookings queue here and one writer commits them in batches,
 * one transaction per batch (seat-writes.ts). Per-statement and
 * per-transaction overhead, not the database, limits booking throughput
 * (docs/decisions.md). The queue is bounded: beyond `maxQueue` a booking is
 * refused at once with 503 BUSY.
 */
export class BatchWriter {
  private queue: Job[] = [];
  private draining = false;
  private drained: Promise<void> = Promise.resolve();
  constructor(
    private readonly db: Db,
    private readonly maxQueue = 5000,
    private readonly maxBatch = 64,
  ) {}

  submit(request: SeatRequest): Promise<Seat> {
    if (this.queue.length >= this.maxQueue) return Promise.reject(busy());
    return new Promise<Seat>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        this.drained = this.drain();
      }
    });
  }

  /** Resolves once every queued booking has been written (shutdown). */
  async idle(): Promise<void> {
    while (this.draining) await this.drained;
  }

  private async drain() {
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.maxBatch);
        let outcomes: Outcome[];
        try {
          outcomes = await this.run(batch.map((job) => job.request));
        } catch (error) {
          if (batch.length === 1) {
            batch[0].reject(error);
            continue;
          }
          // Nothing of the batch was written (e.g. a unique index saw a race with
          // another server process): each booking is tried again on its own, in order.
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
          if (o.ok) job.resolve(o.seat);
          else job.reject(o.error);
        });
      }
    } finally {
      // Cleared in the same turn the loop sees an empty queue, so a new submit always starts a drain.
      this.draining = false;
    }
  }

  private run(requests: SeatRequest[]): Promise<Outcome[]> {
    return this.db.writeSql((sql) => takeBatch(sql, requests));
  }
}
