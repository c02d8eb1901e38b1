import type { Transaction } from 'sequelize';
import type { Db } from '../../db';
import { AppError, notFound } from '../../http/errors';
import { newId } from '../../lib/ids';
import { toShanghaiIso } from '../../lib/time';
import { maskPhone } from '../../../../common/mask';
import { slotOf, type PiiCipher } from '../../privacy/cipher';
import type { Seats } from '../booking/seat';
import { erasePatients } from '../patients/erase';
import { Consent, SmsCode, User } from './models';
import type { ConsentDto, MeDto } from './schemas';
import type { TokenService } from './tokens';

export interface AccountDeps {
  db: Db;
  cipher: PiiCipher;
  tokens: TokenService;
  seats: Seats;
  policyVersion: string;
}

/**
 * The policy version of a user's active health-data consent, as an SQL
 * subquery with one `?` for the user id, for statements that check it along
 * with other things (db/sql.ts); `checkConsent` judges its value.
 */
export const ACTIVE_CONSENT_VERSION = `(SELECT policy_version FROM consents
  WHERE user_id = ? AND kind = 'health_data' AND withdrawn_at IS NULL ORDER BY granted_at DESC LIMIT 1)`;

const consentRequired = () =>
  new AppError(403, 'CONSENT_REQUIRED', '请先阅读并同意《个人信息保护政策》中关于健康信息的单独授权');

/** The account holder's profile, consents and account deletion. */
export class AccountService {
  constructor(private readonly d: AccountDeps) {}

  async me(userId: string): Promise<MeDto> {
    const user = await User.findByPk(userId);
    if (!user || user.deletedAt) throw notFound('账号');
    const consent = await this.activeConsent(userId);
    return {
      id: user.id,
      phone: user.phoneEnc
        ? maskPhone(this.d.cipher.decrypt(user.phoneEnc, slotOf('users', 'phone_enc', user.id)))
        : null,
      wechatBound: Boolean(user.wechatOpenid),
      healthDataConsent: consent?.policyVersion === this.d.policyVersion,
      policyVersion: this.d.policyVersion,
      createdAt: toShanghaiIso(user.createdAt),
    };
  }

  async listConsents(userId: string): Promise<{ items: ConsentDto[] }> {
    const rows = await Consent.findAll({ where: { userId }, order: [['grantedAt', 'DESC']] });
    return { items: rows.map(toConsentDto) };
  }

  /** Records consent to the current policy; granting again is harmless. */
  async grantConsent(userId: string, kind: 'health_data', policyVersion: string): Promise<ConsentDto> {
    if (policyVersion !== this.d.policyVersion) {
      throw new AppError(409, 'POLICY_OUTDATED', '隐私政策已更新，请阅读最新版本后再同意', {
        currentVersion: this.d.policyVersion,
      });
    }
    return this.d.db.write(async (transaction) => {
      const active = await this.activeConsent(userId, transaction);
      if (active?.policyVersion === policyVersion) return toConsentDto(active);
      if (active) await active.update({ withdrawnAt: new Date() }, { transaction });
      const row = await Consent.create(
        { id: newId('cns'), userId, kind, policyVersion, grantedAt: new Date() },
        { transaction },
      );
      return toConsentDto(row);
    });
  }

  async withdrawConsent(userId: string, kind: 'health_data'): Promise<void> {
    await this.d.db.write((transaction) =>
      Consent.update({ withdrawnAt: new Date() }, { where: { userId, kind, withdrawnAt: null }, transaction }),
    );
  }

  /** The check every sensitive action makes first (PIPL Art. 28-29); plain SQL, as it runs on every such request. */
  async requireConsent(userId: string): Promise<void> {
    const row = await this.d.db.sql.one<{ policyVersion: string | null }>(
      `SELECT ${ACTIVE_CONSENT_VERSION} AS "policyVersion"`,
      [userId],
    );
    this.checkConsent(row?.policyVersion ?? null);
  }

  /** Throws unless `policyVersion` (from ACTIVE_CONSENT_VERSION) is the current policy's. */
  checkConsent(policyVersion: string | null): void {
    if (policyVersion !== this.d.policyVersion) throw consentRequired();
  }

  /**
   * Erases or de-identifies everything personal: sign-in identifiers, session
   * keys, SMS codes, patients' names, ID numbers and phones. Future
   * appointments are cancelled (seats back, hospitals told) and waitlists
   * left. Rows other records point at (patients, consents as evidence) stay,
   * without personal data.
   */
  async deleteAccount(userId: string): Promise<void> {
    await this.d.db.write(async (transaction) => {
      const user = await User.findByPk(userId, { transaction, lock: true });
      if (!user || user.deletedAt) throw notFound('账号');
      if (user.phoneHash) await SmsCode.destroy({ where: { phoneHash: user.phoneHash }, transaction });
      await user.update(
        { wechatOpenid: null, wechatSessionKeyEnc: null, phoneEnc: null, phoneHash: null, deletedAt: new Date() },
        { transaction },
      );
      await erasePatients(this.d.db.sqlIn(transaction), this.d.seats, { userId });
      await Consent.update({ withdrawnAt: new Date() }, { where: { userId, withdrawnAt: null }, transaction });
      await this.d.tokens.revokeAllSessions(userId, 'account_deleted', transaction);
    });
  }

  private activeConsent(userId: string, transaction?: Transaction) {
    return Consent.findOne({
      where: { userId, kind: 'health_data', withdrawnAt: null },
      order: [['grantedAt', 'DESC']],
      transaction,
    });
  }
}

function toConsentDto(c: Consent): ConsentDto {
  return {
    id: c.id,
    kind: c.kind,
    policyVersion: c.policyVersion,
    grantedAt: toShanghaiIso(c.grantedAt),
    withdrawnAt: c.withdrawnAt ? toShanghaiIso(c.withdrawnAt) : null,
  };
}
