import type { Db } from '../../db';
import { takeBatch, type Outcome, type Seat, type SeatRequest } from './seat-writes';

interface Job {
  request: SeatRequest;
  resolve: (seat: Seat) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit: bookings queue here and one writer commits them in batches,
 * one transaction per batch (seat-writes.ts). Per-statement and
 * per-transaction overhead, not the database, limits booking throughput
 * (docs/decisions.md).
 */
export class BatchWriter {
  private queue: Job[] = [];
  private draining = false;
  constructor(
    private readonly db: Db,
    private readonly maxBatch = 64,
  ) {}

  submit(request: SeatRequest): Promise<Seat> {
    return new Promise<Seat>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain() {
    this.draining = true;
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
      this.draining = false;
    }
  }

  private run(requests: SeatRequest[]): Promise<Outcome[]> {
    return this.db.writeSql((sql) => takeBatch(sql, requests));
  }
}
