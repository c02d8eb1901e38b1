import { createHash, randomBytes } from 'node:crypto';
import { TokenError, createSigner, createVerifier } from 'fast-jwt';
import type { Transaction } from 'sequelize';
import type { Db } from '../../db';
import { AppError } from '../../http/errors';
import { newId } from '../../lib/ids';
import { AuthSession, RefreshToken } from './models';

export interface TokenConfig {
  jwtSecret: string;
  accessTtlSec: number;
  refreshTtlMs: number;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/** Who is calling, as proven by a valid access token of a live session. */
export interface AuthUser {
  id: string;
  sessionId: string;
}

const ISSUER = 'yilian';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const unauthorized = (code: string, message: string) => new AppError(401, code, message);

/**
 * Access tokens are short-lived HS256 JWTs naming the user and the session.
 * Refresh tokens are random, stored only as hashes, and rotate on every use;
 * presenting a rotated one again means it was stolen, so the whole session
 * (token family) is revoked.
 */
export class TokenService {
  private readonly sign: (payload: { sid: string; sub: string; jti: string }) => string;
  /** Synchronous HMAC (node:crypto): every request verifies a token. */
  private readonly verify: (token: string) => { sub?: unknown; sid?: unknown };

  constructor(
    private readonly db: Db,
    private readonly config: TokenConfig,
  ) {
    this.sign = createSigner({
      key: config.jwtSecret,
      algorithm: 'HS256',
      iss: ISSUER,
      expiresIn: config.accessTtlSec * 1000,
    });
    this.verify = createVerifier({
      key: config.jwtSecret,
      algorithms: ['HS256'],
      allowedIss: ISSUER,
      requiredClaims: ['exp'],
    });
  }

  /** Starts a session for a user; call inside the sign-in transaction. */
  async startSession(userId: string, transaction: Transaction): Promise<TokenPair> {
    const session = await AuthSession.create(
      { id: newId('ses'), userId, expiresAt: new Date(Date.now() + this.config.refreshTtlMs) },
      { transaction },
    );
    return this.issue(session, transaction);
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const outcome = await this.db.write(async (transaction) => {
      const row = await RefreshToken.findOne({ where: { tokenHash: sha256(refreshToken) }, transaction, lock: true });
      if (!row) return { error: unauthorized('REFRESH_TOKEN_INVALID', '登录已失效，请重新登录') };
      const session = await AuthSession.findByPk(row.sessionId, { transaction, lock: true });
      if (!session || session.revokedAt || session.expiresAt < new Date() || row.expiresAt < new Date()) {
        return { error: unauthorized('SESSION_REVOKED', '登录已失效，请重新登录') };
      }
      if (row.usedAt) {
        await session.update({ revokedAt: new Date(), revokeReason: 'refresh_token_reuse' }, { transaction });
        return { error: unauthorized('REFRESH_TOKEN_REUSED', '登录状态异常，已为您退出，请重新登录') };
      }
      await row.update({ usedAt: new Date() }, { transaction });
      return { pair: await this.issue(session, transaction) };
    });
    // The revocation above must commit, so the error is thrown only after the transaction.
    if (outcome.error) throw outcome.error;
    return outcome.pair!;
  }

  async revokeSession(sessionId: string, reason: string, transaction?: Transaction): Promise<void> {
    await AuthSession.update(
      { revokedAt: new Date(), revokeReason: reason },
      { where: { id: sessionId, revokedAt: null }, transaction },
    );
  }

  async revokeAllSessions(userId: string, reason: string, transaction: Transaction): Promise<void> {
    await AuthSession.update(
      { revokedAt: new Date(), revokeReason: reason },
      { where: { userId, revokedAt: null }, transaction },
    );
  }

  /** Checks an access token and that its session is still live and its user not deleted. */
  async authenticate(accessToken: string): Promise<AuthUser> {
    let payload: { sub?: unknown; sid?: unknown };
    try {
      payload = this.verify(accessToken);
    } catch (err) {
      if (err instanceof TokenError && err.code === TokenError.codes.expired) {
        throw unauthorized('TOKEN_EXPIRED', '登录已过期，请重新登录');
      }
      throw unauthorized('TOKEN_INVALID', '登录凭证无效，请重新登录');
    }
    if (typeof payload.sub !== 'string' || !payload.sub || typeof payload.sid !== 'string')
      throw unauthorized('TOKEN_INVALID', '登录凭证无效，请重新登录');
    // Every request runs this, so it is one plain-SQL statement (db/sql.ts).
    const live = await this.db.sql.one(
      `SELECT 1 AS live FROM auth_sessions s JOIN users u ON u.id = s.user_id
       WHERE s.id = ? AND s.user_id = ? AND s.revoked_at IS NULL AND u.deleted_at IS NULL`,
      [payload.sid, payload.sub],
    );
    if (!live) throw unauthorized('SESSION_REVOKED', '登录已失效，请重新登录');
    return { id: payload.sub, sessionId: payload.sid };
  }

  private async issue(session: AuthSession, transaction: Transaction): Promise<TokenPair> {
    const refreshToken = randomBytes(32).toString('base64url');
    await RefreshToken.create(
      { id: newId('rft'), sessionId: session.id, tokenHash: sha256(refreshToken), expiresAt: session.expiresAt },
      { transaction },
    );
    const accessToken = this.sign({ sid: session.id, sub: session.userId, jti: newId('jti') });
    return { accessToken, refreshToken, expiresIn: this.config.accessTtlSec };
  }
}
