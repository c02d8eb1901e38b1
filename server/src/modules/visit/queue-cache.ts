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
 * patients watching it (single flight), and a failed read is not repeated
 * before `ttlMs` either, so an unreachable hospital is not hammered. Only the
 * first look at a room waits for the hospital: after that, an expired answer
 * is served while one request's refresh runs in the background (stale while
 * revalidate), so watchers never queue behind the hospital, unless the answer
 * held is older than `maxServeAgeMs` (nobody watched the room for a while):
 * then the caller waits for the fresh read, because a number checked in since
 * would be missing from it. Per process: with
 * N server processes a room is read at most N times per interval.
 */
export class QueueCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly clock: () => number = Date.now,
    private readonly maxServeAgeMs: number = 3 * ttlMs,
  ) {}

  async get(key: string, read: () => Promise<HisQueue>): Promise<CachedQueue> {
    let e = this.entries.get(key);
    if (!e) {
      e = { queue: null, fetchedAt: null, failedAt: null, checkedAt: 0 };
      this.entries.set(key, e);
      this.prune();
    }
    if (!e.inFlight && this.clock() - e.checkedAt >= this.ttlMs) this.refresh(e, read);
    // Nothing to show yet (first look, the hospital never answered) or only an old answer: wait for the read.
    const tooOld = e.fetchedAt === null || this.clock() - e.fetchedAt > this.maxServeAgeMs;
    if (e.inFlight && tooOld) await e.inFlight;
    return { queue: e.queue, fetchedAt: e.fetchedAt, failedAt: e.failedAt };
  }

  /** Resolves when no read is running (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.entries.values()].map((e) => e.inFlight));
  }

  private refresh(e: Entry, read: () => Promise<HisQueue>) {
    e.inFlight = read()
      .then(
        (queue) => {
          e.queue = queue;
          e.fetchedAt = this.clock();
          e.failedAt = null;
        },
        () => {
          e.failedAt = this.clock();
        },
      )
      .finally(() => {
        e.checkedAt = this.clock();
        e.inFlight = undefined;
      });
  }

  /** Rooms nobody asked about for a long while go (a day's rooms are a few thousand at most). */
  private prune() {
    if (this.entries.size < 10_000) return;
    const old = this.clock() - this.ttlMs * 100;
    for (const [k, e] of this.entries) if (!e.inFlight && e.checkedAt < old) this.entries.delete(k);
  }
}
