import type { Db } from '../../db';
import { insertRows, type SqlValue } from '../../db/sql';
import { AppError } from '../../http/errors';

interface Job {
  row: SqlValue[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

export const busy = () => new AppError(503, 'BUSY', '当前记录人数较多，请稍后再试', { retryAfter: 2 });

/**
 * Group commit for measurements: rows queue here and one writer inserts a
 * batch in one transaction (the same approach as booking/writer.ts, where
 * per-transaction overhead, not the database, limits throughput). A batch
 * that fails is retried row by row, so one bad row fails alone. Bounded:
 * beyond `maxQueue` a write is refused with 503 BUSY.
 */
export class RowBatcher {
  private queue: Job[] = [];
  private draining = false;
  private drained: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly table: string,
    private readonly columns: string[],
    private readonly maxQueue = 5000,
    private readonly maxBatch = 100,
  ) {}

  insert(row: SqlValue[]): Promise<void> {
    if (this.queue.length >= this.maxQueue) return Promise.reject(busy());
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        this.drained = this.drain();
      }
    });
  }

  /** Resolves once every queued row has been written. */
  async idle(): Promise<void> {
    while (this.draining) await this.drained;
  }

  private write(rows: SqlValue[][]) {
    return this.db.writeSql((sql) => insertRows(sql, this.table, this.columns, rows));
  }

  private async drain() {
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          await this.write(batch.map((j) => j.row));
          for (const j of batch) j.resolve();
        } catch (error) {
          if (batch.length === 1) {
            batch[0].reject(error);
            continue;
          }
          for (const j of batch) await this.write([j.row]).then(j.resolve, j.reject);
        }
      }
    } finally {
      this.draining = false;
    }
  }
}
