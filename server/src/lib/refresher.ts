/**
 * Copies of hospital data (catalog, slot pool) are served from our database.
 * `ensure` makes a caller wait only when there is no copy yet; a stale copy is
 * refreshed in the background. One refresh per key runs at a time; callers share it.
 */
export class Refresher {
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(private readonly onBackgroundError: (key: string, err: Error) => void) {}

  refresh(key: string, run: () => Promise<void>): Promise<void> {
    let p = this.inFlight.get(key);
    if (!p) {
      p = run().finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, p);
    }
    return p;
  }

  /** Resolves when no refresh is running (shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight.values()]);
  }

  async ensure(key: string, syncedAt: Date | null, ttlMs: number, run: () => Promise<void>): Promise<void> {
    if (!syncedAt) return this.refresh(key, run);
    if (Date.now() - syncedAt.getTime() > ttlMs) {
      this.refresh(key, run).catch((err: Error) => this.onBackgroundError(key, err));
    }
  }
}
