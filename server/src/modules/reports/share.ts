import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db';
import { asDate, type SqlValue } from '../../db/sql';
import { AppError, conflict, notFound } from '../../http/errors';
import type { Page, PageQuery } from '../../http/schemas';
import { newId } from '../../lib/ids';
import { toShanghaiIso, toShanghaiIsoOrNull } from '../../lib/time';
import type { PiiCipher } from '../../privacy/cipher';
import type { AccountService } from '../accounts/service';
import { findOwnReport } from './access';
import { decryptTitle } from './content';
import type { InterpretationRules } from './rules';
import type { CreateShareInput, ShareCreatedDto, ShareDto, SharedReportDto } from './schemas';
import { ShareViewRecorder, browserFamilyOf, ipPrefix } from './share-views';
import { ReportRenderer, maskedPerson, type StoredReportRow } from './view';

export interface ShareServiceDeps {
  db: Db;
  cipher: PiiCipher;
  rules: InterpretationRules;
  accounts: AccountService;
  /** Public origin of the H5 site (PUBLIC_BASE_URL). */
  publicBaseUrl: string;
}

/** The H5 page that opens a share; the token rides in the fragment, never sent to a server or a Referer. */
export const SHARED_PAGE = '/pages/shared/index';
export const DEFAULT_EXPIRY_HOURS = 72;
export const MAX_ACTIVE_SHARES = 20;
const MAX_WRONG_CODES = 5;
const LOCK_MS = 15 * 60_000;
const RECENT_VIEWS = 20;

const unavailable = () => new AppError(404, 'SHARE_UNAVAILABLE', '链接已失效');
const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

type Row = Record<string, unknown>;

/**
 * Sharing one report with family (分享链接). The token is 192 random bits
 * (base64url), shown once; only its SHA-256 is stored, so the database cannot
 * open a link. The optional 4-6 digit access code (提取码) is kept as a keyed
 * hash bound to the share; five wrong codes lock the share for 15 minutes.
 * Expired, revoked and unknown tokens are one and the same query with no
 * row, hence the same answer in the same time.
 */
export class ShareService {
  readonly views: ShareViewRecorder;
  private readonly renderer: ReportRenderer;

  constructor(private readonly d: ShareServiceDeps) {
    this.views = new ShareViewRecorder(d.db);
    this.renderer = new ReportRenderer(d.cipher, d.rules);
  }

  private codeHash(shareId: string, code: string): string {
    return this.d.cipher.blindIndex('share_access_code', `${shareId}:${code}`);
  }

  async create(userId: string, reportId: string, input: CreateShareInput): Promise<ShareCreatedDto> {
    await findOwnReport(this.d.db.sql, this.d.accounts, userId, reportId);
    const now = new Date();
    const active = await this.d.db.sql.one<{ n: unknown }>(
      'SELECT COUNT(*) AS n FROM report_shares WHERE report_id = ? AND revoked_at IS NULL AND expires_at > ?',
      [reportId, now],
    );
    if (Number(active?.n) >= MAX_ACTIVE_SHARES) {
      throw conflict('TOO_MANY_SHARES', `一份报告最多同时保留${MAX_ACTIVE_SHARES}个有效分享链接，请先撤销不用的链接`);
    }
    const id = newId('shr');
    const token = randomBytes(24).toString('base64url');
    const expiresAt = new Date(now.getTime() + (input.expiresInHours ?? DEFAULT_EXPIRY_HOURS) * 3_600_000);
    await this.d.db.writeSql((sql) =>
      sql.run(
        `INSERT INTO report_shares (id, report_id, user_id, token_hash, access_code_hash, expires_at, failed_attempts,
           view_count, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, 0, ?, ?)`,
        [
          id,
          reportId,
          userId,
          hashToken(token),
          input.accessCode ? this.codeHash(id, input.accessCode) : null,
          expiresAt,
          now,
          now,
        ],
      ),
    );
    return {
      id,
      token,
      url: `${this.d.publicBaseUrl}${SHARED_PAGE}#t=${token}`,
      expiresAt: toShanghaiIso(expiresAt),
      hasAccessCode: Boolean(input.accessCode),
    };
  }

  async listForReport(userId: string, reportId: string): Promise<{ items: ShareDto[] }> {
    await findOwnReport(this.d.db.sql, this.d.accounts, userId, reportId);
    return { items: await this.read(userId, 's.report_id = ?', [reportId], 100, 0) };
  }

  /** 我的分享: every share of the account, newest first. */
  async listMine(userId: string, q: PageQuery): Promise<Page<ShareDto>> {
    const total = await this.d.db.sql.one<{ n: unknown }>('SELECT COUNT(*) AS n FROM report_shares WHERE user_id = ?', [
      userId,
    ]);
    const items = await this.read(userId, '1 = 1', [], q.pageSize, (q.page - 1) * q.pageSize);
    return { items, total: Number(total?.n ?? 0), page: q.page, pageSize: q.pageSize };
  }

  /** Ends a share at once; revoking again is harmless. Someone else's share is not found. */
  async revoke(userId: string, shareId: string): Promise<void> {
    const now = new Date();
    const changed = await this.d.db.writeSql((sql) =>
      sql.run(
        'UPDATE report_shares SET revoked_at = COALESCE(revoked_at, ?), updated_at = ? WHERE id = ? AND user_id = ?',
        [now, now, shareId, userId],
      ),
    );
    if (!changed) throw notFound('分享');
  }

  private async read(userId: string, where: string, params: SqlValue[], limit: number, offset: number) {
    const rows = await this.d.db.sql.all<Row>(
      `SELECT s.id, s.report_id AS "reportId", s.access_code_hash AS "codeHash", s.expires_at AS "expiresAt",
         s.revoked_at AS "revokedAt", s.locked_until AS "lockedUntil", s.created_at AS "createdAt",
         s.view_count AS "viewCount", s.last_viewed_at AS "lastViewedAt", r.title_enc AS "titleEnc",
         p.name AS "patientName", h.name AS "hospitalName"
       FROM report_shares s JOIN reports r ON r.id = s.report_id JOIN patients p ON p.id = r.patient_id
       JOIN hospitals h ON h.id = r.hospital_id
       WHERE s.user_id = ? AND ${where} ORDER BY s.created_at DESC, s.id LIMIT ? OFFSET ?`,
      [userId, ...params, limit, offset],
    );
    const views = rows.length
      ? await this.d.db.sql.all<Row>(
          `SELECT share_id AS "shareId", viewed_at AS "viewedAt", ip_prefix AS "ip", browser FROM report_share_views
           WHERE share_id IN (${rows.map(() => '?').join(', ')}) ORDER BY viewed_at DESC`,
          rows.map((r) => r.id as string),
        )
      : [];
    const now = Date.now();
    return rows.map((r): ShareDto => {
      const expiresAt = asDate(r.expiresAt);
      const status = r.revokedAt
        ? 'revoked'
        : expiresAt.getTime() <= now
          ? 'expired'
          : r.lockedUntil && asDate(r.lockedUntil).getTime() > now
            ? 'locked'
            : 'active';
      return {
        id: r.id as string,
        reportId: r.reportId as string,
        reportTitle: decryptTitle(this.d.cipher, r.reportId as string, r.titleEnc as string),
        patientName: r.patientName as string,
        hospitalName: r.hospitalName as string,
        status,
        hasAccessCode: Boolean(r.codeHash),
        expiresAt: toShanghaiIso(expiresAt),
        revokedAt: toShanghaiIsoOrNull(r.revokedAt ? asDate(r.revokedAt) : null),
        createdAt: toShanghaiIso(asDate(r.createdAt)),
        viewCount: Number(r.viewCount),
        lastViewedAt: toShanghaiIsoOrNull(r.lastViewedAt ? asDate(r.lastViewedAt) : null),
        recentViews: views
          .filter((v) => v.shareId === r.id)
          .slice(0, RECENT_VIEWS)
          .map((v) => ({
            viewedAt: toShanghaiIso(asDate(v.viewedAt)),
            ip: v.ip as string,
            browser: v.browser as ShareDto['recentViews'][number]['browser'],
          })),
      };
    });
  }

  /**
   * The shared view (no sign-in). Order of checks: a live share (404
   * SHARE_UNAVAILABLE otherwise), not locked (423), the access code when the
   * share has one (401 ACCESS_CODE_REQUIRED / ACCESS_CODE_WRONG; the fifth
   * wrong one locks). The view is recorded before the report is returned.
   */
  async view(
    token: string,
    accessCode: string | undefined,
    client: { ip: string; userAgent?: string },
  ): Promise<SharedReportDto> {
    const now = new Date();
    const row = await this.d.db.sql.one<Row>(
      `SELECT s.id AS "shareId", s.access_code_hash AS "codeHash", s.locked_until AS "lockedUntil",
         s.failed_attempts AS "failedAttempts", s.expires_at AS "expiresAt",
         r.id, r.type, r.status, r.reported_at AS "reportedAt", r.title_enc AS "titleEnc", r.content_enc AS "contentEnc",
         r.updated_at AS "updatedAt", p.updated_at AS "patientUpdatedAt",
         h.name AS "hospitalName", p.id AS "patientId", p.name AS "patientName", p.sex AS "patientSex",
         p.id_number_enc AS "idNumberEnc"
       FROM report_shares s
       JOIN reports r ON r.id = s.report_id AND r.status IN ('final', 'amended')
       JOIN patients p ON p.id = r.patient_id AND p.deleted_at IS NULL
       JOIN hospitals h ON h.id = r.hospital_id
       WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ?
         AND EXISTS (SELECT 1 FROM consents c WHERE c.user_id = s.user_id AND c.kind = 'health_data'
           AND c.withdrawn_at IS NULL)`,
      [hashToken(token), now],
    );
    if (!row) throw unavailable();
    const shareId = row.shareId as string;
    const lockedUntil = row.lockedUntil ? asDate(row.lockedUntil) : null;
    if (lockedUntil && lockedUntil > now) throw locked(lockedUntil, now);
    if (row.codeHash) {
      if (!accessCode) throw new AppError(401, 'ACCESS_CODE_REQUIRED', '请输入提取码');
      if (!sameHash(this.codeHash(shareId, accessCode), row.codeHash as string)) {
        await this.wrongCode(shareId, now);
      }
      if (Number(row.failedAttempts) > 0) {
        await this.d.db.writeSql((sql) =>
          sql.run('UPDATE report_shares SET failed_attempts = 0 WHERE id = ?', [shareId]),
        );
      }
    }
    await this.views.record({
      shareId,
      ipPrefix: ipPrefix(client.ip),
      browser: browserFamilyOf(client.userAgent),
      at: now,
    });
    const { body, person, age } = this.renderer.render(row as unknown as StoredReportRow, {
      id: row.patientId as string,
      name: row.patientName as string,
      sex: row.patientSex as 'male' | 'female',
      idNumberEnc: row.idNumberEnc as string,
    });
    return {
      patient: maskedPerson(person, age),
      hospital: { name: row.hospitalName as string },
      ...body,
      expiresAt: toShanghaiIso(asDate(row.expiresAt)),
    };
  }

  /** Counts a wrong code; the fifth locks the share (and starts the count again for after the lock). */
  private async wrongCode(shareId: string, now: Date): Promise<never> {
    const lockUntil = new Date(now.getTime() + LOCK_MS);
    const attempts = await this.d.db.writeSql(async (sql) => {
      await sql.run(`UPDATE report_shares SET failed_attempts = failed_attempts + 1, updated_at = ? WHERE id = ?`, [
        now,
        shareId,
      ]);
      const r = await sql.one<{ n: unknown }>('SELECT failed_attempts AS n FROM report_shares WHERE id = ?', [shareId]);
      const n = Number(r?.n ?? 0);
      if (n >= MAX_WRONG_CODES) {
        await sql.run('UPDATE report_shares SET failed_attempts = 0, locked_until = ? WHERE id = ?', [
          lockUntil,
          shareId,
        ]);
      }
      return n;
    });
    if (attempts >= MAX_WRONG_CODES) throw locked(lockUntil, now);
    throw new AppError(401, 'ACCESS_CODE_WRONG', `提取码错误，还可尝试${MAX_WRONG_CODES - attempts}次`, {
      attemptsLeft: MAX_WRONG_CODES - attempts,
    });
  }
}

function locked(until: Date, now: Date): AppError {
  const retryAfter = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  return new AppError(423, 'SHARE_LOCKED', `提取码错误次数过多，请${Math.ceil(retryAfter / 60)}分钟后再试`, {
    retryAfter,
  });
}
