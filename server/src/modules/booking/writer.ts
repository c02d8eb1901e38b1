import type { Db } from '../../db';
import { AppError } from '../../http/errors';
import { SeatWrites, takeSeat, type Seat, type SeatRequest } from './seat';

interface Job {
  request: SeatRequest;
  resolve: (seat: Seat) => void;
  reject: (err: unknown) => void;
}

type Outcome = { ok: true; seat: Seat } | { ok: false; error: unknown };

/**
 * Group commit: bookings queue here and one writer commits them in batches,
 * one transaction per batch. Each booking takes its seat with its own
 * conditional UPDATE, which writes nothing when it refuses, and the batch's
 * rows are inserted together at the end (SeatWrites). Per-statement and
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
          outcomes = await this.db.writeSql((sql) => this.takeAll(new SeatWrites(sql), batch));
        } catch (error) {
          if (batch.length === 1) {
            batch[0].reject(error);
            continue;
          }
          // Nothing of the batch was written (e.g. a unique index saw a race with
          // another server process): each booking is tried again on its own.
          outcomes = await Promise.all(batch.map((job) => this.takeAlone(job)));
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

  /**
   * Takes the batch's seats: bookings that share no account, patient-day or
   * Idempotency-Key run their conditional UPDATEs together (the database
   * orders them; each checks the seat count itself), and a booking that
   * shares one waits for the next round, so the rules see the earlier one.
   */
  private async takeAll(writes: SeatWrites, batch: Job[]): Promise<Outcome[]> {
    const outcomes = new Map<Job, Outcome>();
    let rest = batch;
    while (rest.length) {
      const round: Job[] = [];
      const later: Job[] = [];
      const claimed = new Set<string>();
      for (const job of rest) {
        const keys = SeatWrites.keysOf(job.request);
        if (keys.some((k) => claimed.has(k))) {
          later.push(job);
          continue;
        }
        keys.forEach((k) => claimed.add(k));
        round.push(job);
      }
      await Promise.all(
        round.map((job) =>
          writes.take(job.request).then(
            (seat) => outcomes.set(job, { ok: true, seat }),
            (error: unknown) => {
              // A refused seat wrote nothing; anything else fails the whole batch.
              if (!(error instanceof AppError)) throw error;
              outcomes.set(job, { ok: false, error });
            },
          ),
        ),
      );
      rest = later;
    }
    await writes.flush();
    return batch.map((job) => outcomes.get(job)!);
  }

  private takeAlone(job: Job): Promise<Outcome> {
    return this.db
      .writeSql((sql) => takeSeat(sql, job.request))
      .then(
        (seat) => ({ ok: true, seat }),
        (error: unknown) => ({ ok: false, error }),
      );
  }
}
