import type { Db } from '../../db';
import { insertRows } from '../../db/sql';
import { newId } from '../../lib/ids';
import type { BrowserFamily } from './schemas';

/**
 * The audit of shared views, written by group commit: views arriving while a
 * batch is being written wait for the next one, and each view's request is
 * answered only after its batch committed, so no answered view is missing
 * from the audit. One transaction per batch instead of per view is what lets
 * SQLite's single writer keep up with a link forwarded to a whole family
 * chat (docs/decisions.md).
 */
export interface ShareView {
  shareId: string;
  ipPrefix: string;
  browser: BrowserFamily;
  at: Date;
}

interface Waiting {
  view: ShareView;
  resolve: () => void;
  reject: (err: Error) => void;
}

const MAX_BATCH = 500;
const VIEW_COLUMNS = ['id', 'share_id', 'viewed_at', 'ip_prefix', 'browser'];

export class ShareViewRecorder {
  private queue: Waiting[] = [];
  private running: Promise<void> | undefined;

  constructor(private readonly db: Db) {}

  /** Resolves once the view is committed. */
  record(view: ShareView): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ view, resolve, reject });
      this.running ??= this.drain();
    });
  }

  /** Resolves when every recorded view is written (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) await this.write(this.queue.splice(0, MAX_BATCH));
    } finally {
      this.running = undefined;
    }
  }

  private async write(batch: Waiting[]): Promise<void> {
    const perShare = new Map<string, { count: number; last: Date }>();
    for (const { view } of batch) {
      const s = perShare.get(view.shareId);
      if (!s) perShare.set(view.shareId, { count: 1, last: view.at });
      else {
        s.count++;
        if (view.at > s.last) s.last = view.at;
      }
    }
    try {
      await this.db.writeSql(async (sql) => {
        await insertRows(
          sql,
          'report_share_views',
          VIEW_COLUMNS,
          batch.map(({ view }) => [newId('shv'), view.shareId, view.at, view.ipPrefix, view.browser]),
        );
        for (const [id, s] of perShare) {
          await sql.run(
            `UPDATE report_shares SET view_count = view_count + ?,
               last_viewed_at = CASE WHEN last_viewed_at IS NULL OR last_viewed_at < ? THEN ? ELSE last_viewed_at END
             WHERE id = ?`,
            [s.count, s.last, s.last, id],
          );
        }
      });
      for (const w of batch) w.resolve();
    } catch (err) {
      for (const w of batch) w.reject(err as Error);
    }
  }
}

/** The viewer's address truncated: IPv4 to /24, IPv6 to /48; nothing that picks out a household. */
export function ipPrefix(ip: string | undefined): string {
  const address = (ip ?? '').trim();
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/i.exec(address);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  if (!address.includes(':')) return 'unknown';
  const [head, tail = ''] = address.split('%')[0].split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  if (groups.length !== 8 || !groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return 'unknown';
  return `${groups
    .slice(0, 3)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/48`;
}

/** The browser family of a User-Agent, by the tokens browsers put first. */
export function browserFamilyOf(userAgent: string | undefined): BrowserFamily {
  const ua = userAgent ?? '';
  if (/MicroMessenger/i.test(ua)) return 'wechat';
  if (/\bEdg(e|A|iOS)?\//.test(ua)) return 'edge';
  if (/\b(OPR|Opera)\//.test(ua)) return 'opera';
  if (/M?QQBrowser/i.test(ua)) return 'qq';
  if (/UCBrowser/i.test(ua)) return 'uc';
  if (/Firefox|FxiOS/.test(ua)) return 'firefox';
  if (/Chrome|CriOS|Chromium/.test(ua)) return 'chrome';
  if (/Safari/.test(ua)) return 'safari';
  return 'other';
}
