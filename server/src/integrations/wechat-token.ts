import type { Db } from '../db';
import { asDate, isUniqueViolation } from '../db/sql';
import { slotOf, type PiiCipher } from '../privacy/cipher';

export interface FetchedToken {
  token: string;
  expiresInSec: number;
}

const MARGIN_MS = 5 * 60_000; // refresh 5 minutes early
const CLAIM_MS = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * WeChat's access token (cgi-bin/token), shared by every server process: it
 * is kept (encrypted) in `provider_tokens` until it expires, and when it must
 * be renewed one process claims the renewal with a conditional update while
 * the others wait for the new token, so WeChat sees one request, not one per
 * process. Within a process, concurrent callers share one lookup.
 */
export class SharedAccessToken {
  private cached: { token: string; validUntil: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly d: { db: Db; cipher: PiiCipher },
    private readonly name: string,
    private readonly fetchToken: () => Promise<FetchedToken>,
  ) {}

  get(): Promise<string> {
    if (this.cached && this.cached.validUntil > Date.now()) return Promise.resolve(this.cached.token);
    this.pending ??= this.load().finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** After WeChat said the token is invalid or expired (40001, 42001): fetch a new one, once. */
  async invalidate(stale: string): Promise<void> {
    if (this.cached?.token === stale) this.cached = undefined;
    await this.d.db.writeSql((sql) =>
      sql.run('UPDATE provider_tokens SET expires_at = ? WHERE id = ? AND token_enc IS NOT NULL', [
        new Date(0),
        this.name,
      ]),
    );
  }

  private async load(): Promise<string> {
    for (let waited = 0; waited < 10_000; waited += 200) {
      const row = await this.d.db.sql.one<{ tokenEnc: string | null; expiresAt: unknown }>(
        'SELECT token_enc AS "tokenEnc", expires_at AS "expiresAt" FROM provider_tokens WHERE id = ?',
        [this.name],
      );
      if (row?.tokenEnc && asDate(row.expiresAt).getTime() - MARGIN_MS > Date.now()) {
        const token = this.d.cipher.decrypt(row.tokenEnc, slotOf('provider_tokens', 'token_enc', this.name));
        this.cached = { token, validUntil: asDate(row.expiresAt).getTime() - MARGIN_MS };
        return token;
      }
      if (await this.claim()) return this.renew();
      await sleep(200); // another process is renewing it
    }
    throw new Error(`${this.name} access token not renewed in time`);
  }

  private async claim(): Promise<boolean> {
    const now = new Date();
    try {
      return await this.d.db.writeSql(async (sql) => {
        const changed = await sql.run(
          `UPDATE provider_tokens SET refreshing_until = ? WHERE id = ?
           AND (refreshing_until IS NULL OR refreshing_until < ?)`,
          [new Date(now.getTime() + CLAIM_MS), this.name, now],
        );
        if (changed) return true;
        const exists = await sql.one('SELECT id FROM provider_tokens WHERE id = ?', [this.name]);
        if (exists) return false;
        await sql.run(
          'INSERT INTO provider_tokens (id, token_enc, expires_at, refreshing_until) VALUES (?, NULL, ?, ?)',
          [this.name, new Date(0), new Date(now.getTime() + CLAIM_MS)],
        );
        return true;
      });
    } catch (err) {
      if (isUniqueViolation(err)) return false; // another process inserted the row first
      throw err;
    }
  }

  private async renew(): Promise<string> {
    try {
      const { token, expiresInSec } = await this.fetchToken();
      const expiresAt = new Date(Date.now() + expiresInSec * 1000);
      const tokenEnc = this.d.cipher.encrypt(token, slotOf('provider_tokens', 'token_enc', this.name));
      await this.d.db.writeSql((sql) =>
        sql.run('UPDATE provider_tokens SET token_enc = ?, expires_at = ?, refreshing_until = NULL WHERE id = ?', [
          tokenEnc,
          expiresAt,
          this.name,
        ]),
      );
      this.cached = { token, validUntil: expiresAt.getTime() - MARGIN_MS };
      return token;
    } catch (err) {
      await this.d.db.writeSql((sql) =>
        sql.run('UPDATE provider_tokens SET refreshing_until = NULL WHERE id = ?', [this.name]),
      );
      throw err;
    }
  }
}
