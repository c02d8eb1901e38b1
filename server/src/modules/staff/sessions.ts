import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import { Op, type Transaction } from 'sequelize';
import type { SessionStage } from '../../../../common/console/roles';
import { AppError } from '../../http/errors';
import { newId } from '../../lib/ids';
import { StaffSession } from './models';

export const CONSOLE_COOKIE = 'yl_console';
/** The cookie goes to the console API only. */
const COOKIE_PATH = '/api/console';

export interface SessionRules {
  /** A session unused this long ends (idle timeout). */
  idleMs: number;
  /** A session ends this long after sign-in, however busy (absolute lifetime). */
  maxMs: number;
  /** A sign-in still short of its second factor or new password ends this soon. */
  pendingMs: number;
  /** Production: the cookie is sent over HTTPS only. */
  secureCookie: boolean;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const unauthorized = (code: string, message: string) => new AppError(401, code, message);

/**
 * The CSRF token of a session: derived from its cookie token, so it needs no
 * storage and changes whenever the token does. A page of another site can
 * neither read the cookie nor this value, and state-changing requests must
 * echo it in `X-CSRF-Token`.
 */
export const csrfOf = (token: string) => createHash('sha256').update(`csrf\0${token}`).digest('base64url');

/**
 * Console sessions: an opaque random token in an HttpOnly, SameSite=Strict
 * cookie (Secure in production), stored only as its SHA-256 hash. A session
 * ends when idle too long, at its absolute lifetime, on logout, and when the
 * account is disabled or its password or second factor is reset. The token
 * is replaced at every step of the sign-in, so a token seen before sign-in
 * is worth nothing after it.
 */
export class StaffSessions {
  constructor(private readonly rules: SessionRules) {}

  async start(staffId: string, stage: SessionStage, ip: string, transaction?: Transaction) {
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    const session = await StaffSession.create(
      {
        id: newId('sss'),
        staffId,
        tokenHash: sha256(token),
        stage,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + (stage === 'active' ? this.rules.maxMs : this.rules.pendingMs)),
        ip: ip.slice(0, 64),
      },
      { transaction },
    );
    return { token, session };
  }

  /** Moves a session to its next stage under a new token; a session becoming active gets its full lifetime. */
  async advance(session: StaffSession, stage: SessionStage, changes: { mfaAt?: Date }, transaction?: Transaction) {
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    const expiresAt =
      stage === 'active' && session.stage !== 'active' ? new Date(now.getTime() + this.rules.maxMs) : session.expiresAt;
    await session.update({ ...changes, stage, tokenHash: sha256(token), lastSeenAt: now, expiresAt }, { transaction });
    return { token, session };
  }

  /** The live session of a request's cookie, or 401; touches it (idle timeout). */
  async current(ctx: Context): Promise<{ session: StaffSession; token: string }> {
    const token = ctx.cookies.get(CONSOLE_COOKIE);
    if (!token || !/^[\w-]{43}$/.test(token)) throw unauthorized('UNAUTHENTICATED', '请先登录');
    const session = await StaffSession.findOne({ where: { tokenHash: sha256(token) } });
    if (!session || session.revokedAt) throw unauthorized('SESSION_REVOKED', '登录已失效，请重新登录');
    const now = Date.now();
    if (now >= session.expiresAt.getTime()) throw unauthorized('SESSION_EXPIRED', '登录已过期，请重新登录');
    if (now - session.lastSeenAt.getTime() >= this.rules.idleMs) {
      await session.update({ revokedAt: new Date() });
      throw unauthorized('SESSION_EXPIRED', '长时间未操作，登录已超时，请重新登录');
    }
    // At most one write a minute per session keeps the idle clock within a minute.
    if (now - session.lastSeenAt.getTime() > 60_000) await session.update({ lastSeenAt: new Date(now) });
    return { session, token };
  }

  /** 403 unless a state-changing request carries the session's CSRF token. */
  checkCsrf(ctx: Context, token: string) {
    if (['GET', 'HEAD', 'OPTIONS'].includes(ctx.method)) return;
    const sent = Buffer.from(ctx.get('X-CSRF-Token'));
    const expected = Buffer.from(csrfOf(token));
    if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
      throw new AppError(403, 'CSRF_INVALID', '页面已过期或请求来源不可信，请刷新页面后重试');
    }
  }

  revoke(sessionId: string, transaction?: Transaction) {
    return StaffSession.update({ revokedAt: new Date() }, { where: { id: sessionId, revokedAt: null }, transaction });
  }

  /** Ends every session of an account (disabled, password or TOTP reset), but `keep`. */
  revokeAll(staffId: string, transaction?: Transaction, keep?: string) {
    return StaffSession.update(
      { revokedAt: new Date() },
      { where: { staffId, revokedAt: null, ...(keep ? { id: { [Op.ne]: keep } } : {}) }, transaction },
    );
  }

  /** Sets the cookie (HttpOnly, SameSite=Strict, Secure in production), or clears it. */
  setCookie(ctx: Context, token: string | null) {
    const parts = [
      `${CONSOLE_COOKIE}=${token ?? ''}`,
      `Path=${COOKIE_PATH}`,
      'HttpOnly',
      'SameSite=Strict',
      ...(token ? [] : ['Max-Age=0']),
      ...(this.rules.secureCookie ? ['Secure'] : []),
    ];
    // Written by hand: Koa's cookie helper refuses Secure behind a TLS-terminating proxy it does not trust.
    ctx.append('Set-Cookie', parts.join('; '));
  }
}
