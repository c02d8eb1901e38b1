import type { Db } from '../../db';
import type { SqlValue } from '../../db/sql';
import { AppError } from '../../http/errors';

export interface Statement {
  text: string;
  params: SqlValue[];
}

interface Job {
  statement: Statement;
  resolve: (changed: number) => void;
  reject: (err: unknown) => void;
}

export const busy = () => new AppError(503, 'BUSY', '当前记录人数较多，请稍后再试', { retryAfter: 2 });

/**
 * Group commit for measurements: conditional writes queue here and one writer
 * runs a batch of them in one transaction (the same approach as
 * booking/writer.ts, where per-transaction overhead, not the database, limits
 * throughput). Each write answers how many rows it changed, so a condition
 * that no longer holds (consent withdrawn, patient erased) fails that write
 * alone. A batch that throws is retried write by write. Bounded: beyond
 * `maxQueue` a write is refused with 503 BUSY.
 */
export class BatchWriter {
  private queue: Job[] = [];
  private draining = false;
  private drained: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly maxQueue = 5000,
    private readonly maxBatch = 100,
  ) {}

  run(statement: Statement): Promise<number> {
    if (this.queue.length >= this.maxQueue) return Promise.reject(busy());
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ statement, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        this.drained = this.drain();
      }
    });
  }

  /** Resolves once every queued write has been made. */
  async idle(): Promise<void> {
    while (this.draining) await this.drained;
  }

  private write(batch: Job[]): Promise<number[]> {
    return this.db.writeSql(async (sql) => {
      const changed: number[] = [];
      for (const j of batch) changed.push(await sql.run(j.statement.text, j.statement.params));
      return changed;
    });
  }

  private async drain() {
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const changed = await this.write(batch);
          batch.forEach((j, i) => j.resolve(changed[i]));
        } catch (error) {
          if (batch.length === 1) {
            batch[0].reject(error);
            continue;
          }
          for (const j of batch) await this.write([j]).then(([n]) => j.resolve(n), j.reject);
        }
      }
    } finally {
      this.draining = false;
    }
  }
}
