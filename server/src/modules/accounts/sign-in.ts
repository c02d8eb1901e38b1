import { randomInt, timingSafeEqual } from 'node:crypto';
import { Op, type Transaction } from 'sequelize';
import type { Db } from '../../db';
import { AppError } from '../../http/errors';
import type { FailureLimiter, Limiter } from '../../http/rate-limit';
import type { SmsClient } from '../../integrations/sms';
import type { WechatClient } from '../../integrations/wechat';
import { newId } from '../../lib/ids';
import { shanghaiDayStart } from '../../lib/time';
import { slotOf, type PiiCipher } from '../../privacy/cipher';
import { SmsCode, User } from './models';
import type { TokenPair, TokenService } from './tokens';

/** Request-rate limits of sign-in. */
export type SignInLimit = 'smsPerIp' | 'smsPerPhoneIp' | 'loginPerIp';
/** Failure limits of sign-in: a phone from one address, a phone from anywhere, one address for any phone. */
export type SignInFailureLimit = 'loginFailPerPhoneIp' | 'loginFailPerPhone' | 'loginFailPerIp';

export interface SmsRules {
  smsCodeTtlSec: number;
  smsResendIntervalSec: number;
  smsDailyLimit: number;
  smsThrottledIntervalSec: number;
  smsCodeMaxAttempts: number;
}

export interface SignInDeps {
  db: Db;
  cipher: PiiCipher;
  tokens: TokenService;
  wechat: WechatClient;
  sms: SmsClient;
  limits: Limiter<SignInLimit> & FailureLimiter<SignInFailureLimit>;
  rules: SmsRules;
}

const sameHash = (a: string, b: string) => timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));

/**
 * Sign-in by WeChat (mini-program) or by phone and SMS code (H5).
 *
 * Nobody but a phone's owner can lock the owner out for more than a few
 * minutes: sign-in limits count failures only, per phone-and-address (the
 * stranger's address is blocked, not the owner's), per address, and per phone
 * across addresses (a short block); a success clears the phone's counts. Codes
 * for one phone are limited per asking address a day, and past the phone's
 * daily count they slow to one per SMS_THROTTLED_INTERVAL_SEC instead of
 * stopping: one stranger cannot use up the owner's day.
 */
export class SignInService {
  constructor(private readonly d: SignInDeps) {}

  async sendSmsCode(phone: string, ip: string): Promise<{ expiresIn: number; resendAfter: number }> {
    await this.d.limits.consume('smsPerIp', ip);
    const phoneHash = this.d.cipher.blindIndex('phone', phone);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const { rules } = this.d;

    const row = await this.d.db.write(async (transaction) => {
      const today = await SmsCode.count({
        where: { phoneHash, createdAt: { [Op.gte]: shanghaiDayStart() } },
        transaction,
      });
      const interval = today >= rules.smsDailyLimit ? rules.smsThrottledIntervalSec : rules.smsResendIntervalSec;
      const last = await SmsCode.findOne({ where: { phoneHash }, order: [['createdAt', 'DESC']], transaction });
      const wait = last ? Math.ceil((last.createdAt.getTime() + interval * 1000 - Date.now()) / 1000) : 0;
      if (wait > 0) {
        const when = wait >= 120 ? `${Math.ceil(wait / 60)}分钟` : `${wait}秒`;
        throw new AppError(429, 'SMS_TOO_FREQUENT', `验证码已发送，请${when}后再试`, { retryAfter: wait });
      }
      await this.d.limits.consume('smsPerPhoneIp', `${phoneHash}|${ip}`).catch((err: unknown) => {
        if (!(err instanceof AppError && err.status === 429)) throw err;
        throw new AppError(429, 'SMS_DAILY_LIMIT', '今日在当前网络获取验证码次数已达上限，请明天再试或更换网络', {
          retryAfter: 3600,
        });
      });
      return SmsCode.create(
        {
          id: newId('sms'),
          phoneHash,
          codeHash: this.codeHash(phoneHash, code),
          expiresAt: new Date(Date.now() + rules.smsCodeTtlSec * 1000),
        },
        { transaction },
      );
    });

    // Sent in the request, not through the outbox: the patient is waiting for it, and must hear at once if it failed.
    try {
      await this.d.sms.send(phone, 'login_code', { code, minutes: String(Math.round(rules.smsCodeTtlSec / 60)) });
    } catch {
      // Not sent, so it must not count against the resend interval or the daily limit.
      await this.d.db.write((transaction) => row.destroy({ transaction }));
      throw new AppError(503, 'SMS_UNAVAILABLE', '短信发送失败，请稍后再试');
    }
    return { expiresIn: rules.smsCodeTtlSec, resendAfter: rules.smsResendIntervalSec };
  }

  async signInWithPhone(phone: string, code: string, ip: string): Promise<{ userId: string; tokens: TokenPair }> {
    const { limits } = this.d;
    await limits.consume('loginPerIp', ip);
    const phoneHash = this.d.cipher.blindIndex('phone', phone);
    const keys = { loginFailPerPhoneIp: `${phoneHash}|${ip}`, loginFailPerPhone: phoneHash, loginFailPerIp: ip };
    for (const [name, key] of Object.entries(keys)) await limits.check(name as SignInFailureLimit, key);
    const { smsCodeMaxAttempts: maxAttempts } = this.d.rules;

    const outcome = await this.d.db.write(async (transaction) => {
      const sms = await SmsCode.findOne({ where: { phoneHash }, order: [['createdAt', 'DESC']], transaction });
      if (!sms || sms.consumedAt)
        return { error: new AppError(401, 'SMS_CODE_INVALID', '验证码错误或已失效，请重新获取') };
      if (sms.expiresAt < new Date())
        return { error: new AppError(401, 'SMS_CODE_EXPIRED', '验证码已过期，请重新获取') };
      if (sms.attempts >= maxAttempts) {
        return { error: new AppError(403, 'SMS_CODE_LOCKED', '验证码错误次数过多，请重新获取') };
      }
      if (!sameHash(sms.codeHash, this.codeHash(phoneHash, code))) {
        // Read before incrementing: PostgreSQL refreshes the instance from RETURNING, SQLite does not.
        const left = maxAttempts - sms.attempts - 1;
        await sms.increment('attempts', { transaction });
        return {
          error:
            left > 0
              ? new AppError(401, 'SMS_CODE_INVALID', `验证码错误，还可尝试${left}次`)
              : new AppError(403, 'SMS_CODE_LOCKED', '验证码错误次数过多，请重新获取'),
        };
      }
      await sms.update({ consumedAt: new Date() }, { transaction });
      let user = await User.findOne({ where: { phoneHash }, transaction });
      if (!user) {
        const id = newId('usr');
        const phoneEnc = this.d.cipher.encrypt(phone, slotOf('users', 'phone_enc', id));
        user = await User.create({ id, phoneHash, phoneEnc }, { transaction });
      }
      return { result: { userId: user.id, tokens: await this.d.tokens.startSession(user.id, transaction) } };
    });
    // A wrong code is counted even though the request fails, so errors are thrown after commit.
    if (outcome.error) {
      for (const [name, key] of Object.entries(keys)) await limits.fail(name as SignInFailureLimit, key);
      throw outcome.error;
    }
    await limits.reset('loginFailPerPhoneIp', keys.loginFailPerPhoneIp);
    await limits.reset('loginFailPerPhone', keys.loginFailPerPhone);
    return outcome.result!;
  }

  async signInWithWechat(code: string, ip: string): Promise<{ userId: string; tokens: TokenPair }> {
    const { limits } = this.d;
    await limits.consume('loginPerIp', ip);
    await limits.check('loginFailPerIp', ip);
    const session = await this.d.wechat.codeToSession(code).catch(async (err: unknown) => {
      if (err instanceof AppError && err.code === 'WECHAT_CODE_INVALID') await limits.fail('loginFailPerIp', ip);
      throw err;
    });
    return this.d.db.write(async (transaction: Transaction) => {
      let user = await User.findOne({ where: { wechatOpenid: session.openid }, transaction });
      const id = user?.id ?? newId('usr');
      const wechatSessionKeyEnc = this.d.cipher.encrypt(
        session.sessionKey,
        slotOf('users', 'wechat_session_key_enc', id),
      );
      if (user) await user.update({ wechatSessionKeyEnc }, { transaction });
      else user = await User.create({ id, wechatOpenid: session.openid, wechatSessionKeyEnc }, { transaction });
      return { userId: user.id, tokens: await this.d.tokens.startSession(user.id, transaction) };
    });
  }

  private codeHash(phoneHash: string, code: string) {
    return this.d.cipher.blindIndex('sms_code', `${phoneHash}:${code}`);
  }
}
