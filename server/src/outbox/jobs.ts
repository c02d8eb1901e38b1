import { insertRows, type Sql, type SqlValue } from '../db/sql';
import { newId } from '../lib/ids';

/**
 * The outbox: work for the outside world (hospitals, WeChat, SMS, voice),
 * written in the same transaction as the change it reports, delivered later
 * by the one OutboxRunner (./runner.ts). Jobs that share an `aggregateId`
 * (an appointment, a notification) run one at a time in the order written:
 * a cancellation is never sent before its booking's confirmation resolved.
 */
export const OUTBOX_COLUMNS = 'id kind aggregate_id payload attempts next_attempt_at created_at updated_at'.split(' ');

export interface NewJob {
  kind: string;
  aggregateId: string;
  /** JSON-serialisable data the handler needs; never personal data in clear. */
  payload?: Record<string, unknown>;
  /** Not before this time (a reminder, a quiet-hours delay). */
  notBefore?: Date;
}

/** One outbox row in OUTBOX_COLUMNS order, for writing several at once. */
export function jobRow(job: NewJob, now = new Date()): SqlValue[] {
  return [
    newId('obx'),
    job.kind,
    job.aggregateId,
    job.payload ? JSON.stringify(job.payload) : null,
    0,
    job.notBefore ?? now,
    now,
    now,
  ];
}

/** Writes jobs inside the caller's transaction. */
export function enqueue(sql: Sql, jobs: NewJob[], now = new Date()): Promise<number> {
  return insertRows(
    sql,
    'outbox',
    OUTBOX_COLUMNS,
    jobs.map((j) => jobRow(j, now)),
  );
}

/** What a handler sees of its job. */
export interface Job {
  id: string;
  kind: string;
  aggregateId: string;
  payload: Record<string, unknown>;
  /** Attempts made before this one. */
  attempts: number;
}

/** A failure that retrying cannot fix (bad data, a missing row): the job is dead-lettered at once. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

export type JobHandler = (job: Job) => Promise<void>;

/** Not now, and not a failure: the job waits until `until` (quiet hours) without using up an attempt. */
export class DeferJob extends Error {
  constructor(readonly until: Date) {
    super(`deferred until ${until.toISOString()}`);
    this.name = 'DeferJob';
  }
}
