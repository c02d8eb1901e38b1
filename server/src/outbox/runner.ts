import { asDate, type SqlValue } from '../db/sql';
import type { Db } from '../db';
import type { Logger } from '../logger';
import { toShanghaiIsoOrNull } from '../lib/time';
import { DeferJob, PermanentJobError, type Job, type JobHandler } from './jobs';

export interface OutboxOptions {
  maxAttempts: number;
  /**
   * How long a claimed job stays invisible to other workers. The worker
   * renews the lease while the job runs, so this bounds only how long the
   * jobs of a crashed process wait before another process takes them over.
   */
  leaseMs?: number;
  /** Jobs delivered at once by one worker. */
  concurrency?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export interface DeadJob {
  id: string;
  kind: string;
  aggregateId: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  deadAt: string | null;
}

type Row = {
  id: string;
  kind: string;
  aggregateId: string;
  payload: string | null;
  attempts: number;
};

/** Due, unclaimed, and first in line for its aggregate (no earlier job of it still open). */
const DUE = `o.done_at IS NULL AND o.dead_at IS NULL AND o.next_attempt_at <= ?
  AND (o.claimed_until IS NULL OR o.claimed_until < ?)
  AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.aggregate_id = o.aggregate_id
    AND e.done_at IS NULL AND e.dead_at IS NULL
    AND (e.created_at < o.created_at OR (e.created_at = o.created_at AND e.id < o.id)))`;

/**
 * The one job runner for everything that must reach the outside world.
 * Modules register a handler per job kind. A job is claimed with a
 * conditional update and a lease (several processes can run workers side by
 * side), handled, and then marked done; a failure is retried with
 * exponential backoff and full jitter, and after `maxAttempts` (or at once,
 * for a PermanentJobError) it is dead-lettered with its last error, visible
 * to admins, who can retry it. One failing job never stops the others.
 */
export class OutboxRunner {
  private readonly handlers = new Map<string, JobHandler>();
  private running: Promise<number> | undefined;
  private readonly o: Required<OutboxOptions>;

  constructor(
    private readonly d: { db: Db; log: Logger },
    options: OutboxOptions,
  ) {
    this.o = { leaseMs: 15_000, concurrency: 8, baseDelayMs: 2_000, maxDelayMs: 300_000, ...options };
  }

  register(kind: string, handler: JobHandler): this {
    if (this.handlers.has(kind)) throw new Error(`outbox handler for ${kind} registered twice`);
    this.handlers.set(kind, handler);
    return this;
  }

  /** Delivers due jobs once; concurrent calls share one run. Resolves to how many were handled. */
  runOnce(limit = 200): Promise<number> {
    this.running ??= this.run(limit).finally(() => (this.running = undefined));
    return this.running;
  }

  /** Waits for a run in progress (shutdown). */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  private async run(limit: number): Promise<number> {
    const now = new Date();
    const due = await this.d.db.sql.all<Row>(
      `SELECT o.id, o.kind, o.aggregate_id AS "aggregateId", o.payload, o.attempts FROM outbox o
       WHERE ${DUE} ORDER BY o.next_attempt_at, o.created_at LIMIT ?`,
      [now, now, limit],
    );
    let handled = 0;
    let next = 0;
    const worker = async () => {
      while (next < due.length) {
        const row = due[next++];
        try {
          if (await this.claim(row.id)) {
            await this.deliver(row);
            handled++;
          }
        } catch (err) {
          // Bookkeeping failed (the database, not the job): leave the lease to expire and carry on.
          this.d.log.error({ err, job: row.id, kind: row.kind }, 'outbox bookkeeping failed');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.o.concurrency, due.length) }, worker));
    return handled;
  }

  private async claim(id: string): Promise<boolean> {
    const now = new Date();
    const changed = await this.d.db.writeSql((sql) =>
      sql.run(
        `UPDATE outbox SET claimed_until = ?, updated_at = ? WHERE id = ? AND done_at IS NULL AND dead_at IS NULL
         AND (claimed_until IS NULL OR claimed_until < ?)`,
        [new Date(now.getTime() + this.o.leaseMs), now, id, now],
      ),
    );
    return changed === 1;
  }

  /** Keeps a running job's claim alive; a failed renewal only shortens the lease. */
  private async renew(id: string) {
    try {
      await this.finish('UPDATE outbox SET claimed_until = ? WHERE id = ? AND done_at IS NULL AND dead_at IS NULL', [
        new Date(Date.now() + this.o.leaseMs),
        id,
      ]);
    } catch (err) {
      this.d.log.warn({ err, job: id }, 'outbox lease renewal failed');
    }
  }

  private async deliver(row: Row) {
    const job: Job = {
      id: row.id,
      kind: row.kind,
      aggregateId: row.aggregateId,
      payload: row.payload ? (JSON.parse(row.payload) as Record<string, unknown>) : {},
      attempts: Number(row.attempts),
    };
    const handler = this.handlers.get(job.kind);
    try {
      if (!handler) throw new PermanentJobError(`no handler for job kind ${job.kind}`);
      const renew = setInterval(() => void this.renew(job.id), Math.ceil(this.o.leaseMs / 3));
      try {
        await handler(job);
      } finally {
        clearInterval(renew);
      }
      await this.finish('UPDATE outbox SET done_at = ?, claimed_until = NULL, updated_at = ? WHERE id = ?', [
        new Date(),
        new Date(),
        job.id,
      ]);
    } catch (err) {
      if (err instanceof DeferJob) {
        await this.finish('UPDATE outbox SET next_attempt_at = ?, claimed_until = NULL, updated_at = ? WHERE id = ?', [
          err.until,
          new Date(),
          job.id,
        ]);
        return;
      }
      await this.fail(job, err as Error);
    }
  }

  private async fail(job: Job, err: Error) {
    const attempts = job.attempts + 1;
    const permanent = err instanceof PermanentJobError;
    const dead = permanent || attempts >= this.o.maxAttempts;
    const now = new Date();
    const lastError = `${err.name}: ${err.message}`.slice(0, 300);
    this.d.log[dead ? 'error' : 'warn'](
      {
        job: job.id,
        kind: job.kind,
        attempts,
        err: { type: err.name, message: err.message, code: (err as { code?: string }).code },
      },
      dead ? 'outbox job dead-lettered' : 'outbox job failed; will retry',
    );
    // Exponential backoff with full jitter: workers of several processes do not retry in step.
    const ceiling = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** Math.min(attempts - 1, 20));
    const delay = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
    await this.finish(
      `UPDATE outbox SET attempts = ?, last_error = ?, claimed_until = NULL, updated_at = ?,
         next_attempt_at = ?, dead_at = ? WHERE id = ?`,
      [attempts, lastError, now, new Date(now.getTime() + delay), dead ? now : null, job.id],
    );
  }

  private finish(text: string, params: SqlValue[]) {
    return this.d.db.writeSql((sql) => sql.run(text, params)).then(() => undefined);
  }

  /** Dead letters, newest first, for the admin API. */
  async deadLetters(limit = 100): Promise<DeadJob[]> {
    const rows = await this.d.db.sql.all<Record<string, unknown>>(
      `SELECT id, kind, aggregate_id AS "aggregateId", attempts, last_error AS "lastError", created_at AS "createdAt",
         dead_at AS "deadAt" FROM outbox WHERE dead_at IS NOT NULL ORDER BY dead_at DESC LIMIT ?`,
      [limit],
    );
    return rows.map((r) => ({
      id: r.id as string,
      kind: r.kind as string,
      aggregateId: r.aggregateId as string,
      attempts: Number(r.attempts),
      lastError: (r.lastError as string | null) ?? null,
      createdAt: toShanghaiIsoOrNull(asDate(r.createdAt))!,
      deadAt: r.deadAt ? toShanghaiIsoOrNull(asDate(r.deadAt)) : null,
    }));
  }

  /** Counts for the dashboard: open (waiting or retrying) and dead jobs per kind. */
  async backlog(): Promise<Array<{ kind: string; open: number; dead: number }>> {
    const rows = await this.d.db.sql.all<{ kind: string; open: number | string; dead: number | string }>(
      `SELECT kind, SUM(CASE WHEN dead_at IS NULL THEN 1 ELSE 0 END) AS open,
         SUM(CASE WHEN dead_at IS NOT NULL THEN 1 ELSE 0 END) AS dead
       FROM outbox WHERE done_at IS NULL GROUP BY kind ORDER BY kind`,
    );
    return rows.map((r) => ({ kind: r.kind, open: Number(r.open), dead: Number(r.dead) }));
  }

  /** Puts a dead job back in line with a fresh attempt count; false when it is not dead. */
  async retry(id: string): Promise<boolean> {
    const now = new Date();
    const changed = await this.d.db.writeSql((sql) =>
      sql.run(
        `UPDATE outbox SET dead_at = NULL, attempts = 0, next_attempt_at = ?, updated_at = ?
         WHERE id = ? AND dead_at IS NOT NULL AND done_at IS NULL`,
        [now, now, id],
      ),
    );
    return changed === 1;
  }
}
