import type { HisQueue } from '../../his/types';

/** What the cache holds for one room: the last answer, when it came, and whether the latest try failed. */
export interface CachedQueue {
  queue: HisQueue | null;
  fetchedAt: number | null;
  failedAt: number | null;
}

interface Entry extends CachedQueue {
  checkedAt: number;
  inFlight?: Promise<void>;
}

/**
 * Clinic-room queues read from the hospitals, shared by every request of this
 * process: a room is read at most once per `ttlMs` whatever the number of
 * patients watching it (single flight: concurrent requests wait for the same
 * read), and a failed read is not repeated before `ttlMs` either, so an
 * unreachable hospital is not hammered. Per process: with N server processes
 * a room is read at most N times per interval.
 */
export class QueueCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  async get(key: string, read: () => Promise<HisQueue>): Promise<CachedQueue> {
    let e = this.entries.get(key);
    if (e?.inFlight) await e.inFlight;
    else if (!e || this.clock() - e.checkedAt >= this.ttlMs) {
      if (!e) {
        e = { queue: null, fetchedAt: null, failedAt: null, checkedAt: 0 };
        this.entries.set(key, e);
        this.prune();
      }
      const entry = e;
      entry.inFlight = read().then(
        (queue) => {
          entry.queue = queue;
          entry.fetchedAt = this.clock();
          entry.failedAt = null;
        },
        () => {
          entry.failedAt = this.clock();
        },
      );
      await entry.inFlight.finally(() => {
        entry.checkedAt = this.clock();
        entry.inFlight = undefined;
      });
    }
    return { queue: e.queue, fetchedAt: e.fetchedAt, failedAt: e.failedAt };
  }

  /** Rooms nobody asked about for a long while go (a day's rooms are a few thousand at most). */
  private prune() {
    if (this.entries.size < 10_000) return;
    const old = this.clock() - this.ttlMs * 100;
    for (const [k, e] of this.entries) if (!e.inFlight && e.checkedAt < old) this.entries.delete(k);
  }
}
