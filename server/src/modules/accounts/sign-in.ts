import { randomInt, timingSafeEqual } from 'node:crypto';
import { Op, type Transaction } from 'sequelize';
import type { Db } from '../../db';
import { AppError } from '../../http/errors';
import type { Limiter } from '../../http/rate-limit';
import type { SmsClient } from '../../integrations/sms';
import type { WechatClient } from '../../integrations/wechat';
import { newId } from '../../lib/ids';
import { shanghaiDayStart } from '../../lib/time';
import type { PiiCipher } from '../../privacy/cipher';
import { SmsCode, User } from './models';
import type { TokenPair, TokenService } from './tokens';

export type SignInLimit = 'smsPerIp' | 'loginPerIp' | 'loginPerPhone' | 'loginPerAccount';

export interface SmsRules {
  smsCodeTtlSec: number;
  smsResendIntervalSec: number;
  smsDailyLimit: number;
  smsCodeMaxAttempts: number;
}

export interface SignInDeps {
  db: Db;
  cipher: PiiCipher;
  tokens: TokenService;
  wechat: WechatClient;
  sms: SmsClient;
  limits: Limiter<SignInLimit>;
  rules: SmsRules;
}

const sameHash = (a: string, b: string) => timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));

/** Sign-in by WeChat (mini-program) or by phone and SMS code (H5). */
export class SignInService {
  constructor(private readonly d: SignInDeps) {}

  async sendSmsCode(phone: string, ip: string): Promise<{ expiresIn: number; resendAfter: number }> {
    await this.d.limits.consume('smsPerIp', ip);
    const phoneHash = this.d.cipher.blindIndex('phone', phone);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const { rules } = this.d;

    const row = await this.d.db.write(async (transaction) => {
      const last = await SmsCode.findOne({ where: { phoneHash }, order: [['createdAt', 'DESC']], transaction });
      const wait = last
        ? Math.ceil((last.createdAt.getTime() + rules.smsResendIntervalSec * 1000 - Date.now()) / 1000)
        : 0;
      if (wait > 0) {
        throw new AppError(429, 'SMS_TOO_FREQUENT', `验证码已发送，请${wait}秒后再试`, { retryAfter: wait });
      }
      const today = await SmsCode.count({
        where: { phoneHash, createdAt: { [Op.gte]: shanghaiDayStart() } },
        transaction,
      });
      if (today >= rules.smsDailyLimit) {
        throw new AppError(429, 'SMS_DAILY_LIMIT', '今日获取验证码次数已达上限，请明天再试', { retryAfter: 3600 });
      }
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

    try {
      await this.d.sms.send(phone, 'login_code', { code, minutes: String(Math.round(rules.smsCodeTtlSec / 60)) });
    } catch (err) {
      // Not sent, so it must not count against the resend interval or the daily limit.
      await this.d.db.write((transaction) => row.destroy({ transaction }));
      throw err;
    }
    return { expiresIn: rules.smsCodeTtlSec, resendAfter: rules.smsResendIntervalSec };
  }

  async signInWithPhone(phone: string, code: string, ip: string): Promise<{ userId: string; tokens: TokenPair }> {
    await this.d.limits.consume('loginPerIp', ip);
    const phoneHash = this.d.cipher.blindIndex('phone', phone);
    await this.d.limits.consume('loginPerPhone', phoneHash);
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
      const user =
        (await User.findOne({ where: { phoneHash }, transaction })) ??
        (await User.create({ id: newId('usr'), phoneHash, phoneEnc: this.d.cipher.encrypt(phone) }, { transaction }));
      return { result: { userId: user.id, tokens: await this.d.tokens.startSession(user.id, transaction) } };
    });
    // A wrong code is counted even though the request fails, so errors are thrown after commit.
    if (outcome.error) throw outcome.error;
    return outcome.result!;
  }

  async signInWithWechat(code: string, ip: string): Promise<{ userId: string; tokens: TokenPair }> {
    await this.d.limits.consume('loginPerIp', ip);
    const session = await this.d.wechat.codeToSession(code);
    await this.d.limits.consume('loginPerAccount', session.openid);
    const sessionKeyEnc = this.d.cipher.encrypt(session.sessionKey);
    return this.d.db.write(async (transaction: Transaction) => {
      let user = await User.findOne({ where: { wechatOpenid: session.openid }, transaction });
      if (user) await user.update({ wechatSessionKeyEnc: sessionKeyEnc }, { transaction });
      else
        user = await User.create(
          { id: newId('usr'), wechatOpenid: session.openid, wechatSessionKeyEnc: sessionKeyEnc },
          { transaction },
        );
      return { userId: user.id, tokens: await this.d.tokens.startSession(user.id, transaction) };
    });
  }

  private codeHash(phoneHash: string, code: string) {
    return this.d.cipher.blindIndex('sms_code', `${phoneHash}:${code}`);
  }
}
