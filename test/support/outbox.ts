import type { Db } from '../../server/src/db';
import { HttpHisClient } from '../../server/src/his';
import { createLogger } from '../../server/src/logger';
import { registerHisJobs } from '../../server/src/modules/booking/his-jobs';
import { OutboxRunner } from '../../server/src/outbox/runner';
import type { TestPlatform } from './platform';

export interface JobRow {
  id: string;
  kind: string;
  attempts: number;
  doneAt: unknown;
  deadAt: unknown;
  nextAttemptAt: unknown;
  lastError: string | null;
}

/** The outbox rows of one aggregate (an appointment), oldest first. */
export function jobsOf(db: Db, aggregateId: string): Promise<JobRow[]> {
  return db.sql.all<JobRow>(
    `SELECT id, kind, attempts, done_at AS "doneAt", dead_at AS "deadAt", next_attempt_at AS "nextAttemptAt",
       last_error AS "lastError" FROM outbox WHERE aggregate_id = ? ORDER BY created_at, id`,
    [aggregateId],
  );
}

/** Makes an aggregate's waiting jobs due now (instead of waiting out the backoff). */
export function makeDue(db: Db, aggregateId: string): Promise<number> {
  return db.writeSql((sql) =>
    sql.run('UPDATE outbox SET next_attempt_at = ? WHERE aggregate_id = ? AND done_at IS NULL', [
      new Date(Date.now() - 1000),
      aggregateId,
    ]),
  );
}

/** A fresh outbox worker on the platform's database, as a restarted process would have (its own HIS breakers). */
export function newWorker(p: TestPlatform, maxAttempts = p.config.outbox.maxAttempts): OutboxRunner {
  const log = createLogger('silent');
  const his = new HttpHisClient({ ...p.config.his, timeoutMs: 1000, readRetries: 0 }, log);
  const runner = new OutboxRunner({ db: p.db, log }, { maxAttempts });
  registerHisJobs(runner, { db: p.db, his, cipher: p.services.cipher, seats: p.services.seats });
  return runner;
}
