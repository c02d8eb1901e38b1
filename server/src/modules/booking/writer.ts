import type { Db } from '../../db';
import { GroupCommit } from '../../db/group-commit';
import { AppError } from '../../http/errors';
import { takeBatch, type Seat, type SeatRequest } from './seat-writes';

/** The writer's queue is full: the client retries after a moment rather than waiting without bound. */
export const busy = () => new AppError(503, 'BUSY', '当前预约人数较多，请稍后再试', { retryAfter: 2 });

/**
 * Bookings are committed in batches (db/group-commit.ts), one transaction per
 * batch, each seat taken with its conditional UPDATE (seat-writes.ts).
 */
export class BatchWriter extends GroupCommit<SeatRequest, Seat> {
  constructor(db: Db, maxQueue = 5000) {
    super(db, takeBatch, { maxQueue, maxBatch: 64, busy });
  }
}
