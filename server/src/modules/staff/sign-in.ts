import type { Db } from '../../db';
import { AppError } from '../../http/errors';
import type { FailureLimiter, Limiter } from '../../http/rate-limit';
import { newId } from '../../lib/ids';
import { slotOf, type PiiCipher } from '../../privacy/cipher';
import { TOTP_REQUIRED_ROLES, type SessionStage } from '../../../../common/console/roles';
import { recordAudit, type Actor } from '../audit/service';
import { StaffAccount, StaffRecoveryCode, StaffSession } from './models';
import { hashPassword, refuseDemoPassword, verifyPassword } from './passwords';
import type { StaffSessions } from './sessions';
import { enrolment, matchStep, newRecoveryCodes, newTotpSecret, recoveryHash } from './totp';

export type ConsoleLimit = 'consoleLoginPerIp';
/** Failures of a password, TOTP code or recovery code: per account (by name) and per address. */
export type ConsoleFailureLimit = 'consoleFailPerAccount' | 'consoleFailPerIp';

export interface StaffSignInDeps {
  db: Db;
  cipher: PiiCipher;
  sessions: StaffSessions;
  limits: Limiter<ConsoleLimit> & FailureLimiter<ConsoleFailureLimit>;
  production: boolean;
}

/** The next step a sign-in must pass: the second factor, then enrolment if required, then a new password. */
export function stageOf(account: StaffAccount, mfaDone: boolean): SessionStage {
  if (account.totpEnabledAt && !mfaDone) return 'totp';
  if (!account.totpEnabledAt && TOTP_REQUIRED_ROLES.includes(account.role)) return 'enrol';
  if (account.mustChangePassword) return 'password';
  return 'active';
}

const loginFailed = () => new AppError(401, 'LOGIN_FAILED', '用户名或密码错误');
const totpInvalid = () => new AppError(401, 'TOTP_INVALID', '动态验证码错误，请重新输入');

/**
 * Console sign-in: password, then (by role and enrolment) a TOTP code or a
 * recovery code, TOTP enrolment, and replacing a one-time password. Wrong
 * passwords and codes count against the account (by name, whether it exists
 * or not) and the address; past the limit both are locked for a while. The
 * counts clear only once a sign-in is complete, so passing the password
 * again does not buy more guesses at the code.
 */
export class StaffSignIn {
  constructor(private readonly d: StaffSignInDeps) {}

  async login(username: string, password: string, actor: Actor) {
    await this.d.limits.consume('consoleLoginPerIp', actor.ip);
    await this.checkLocks(username, actor.ip);
    const account = await StaffAccount.findOne({ where: { username } });
    if (!(await verifyPassword(account?.passwordHash, password))) {
      await this.fail(username, actor, 'auth.login_failed', account?.id);
      throw loginFailed();
    }
    if (account!.disabledAt) throw new AppError(403, 'ACCOUNT_DISABLED', '账号已停用，请联系管理员');
    if (account!.isDemo && this.d.production) {
      throw new AppError(403, 'DEMO_ACCOUNT_REFUSED', '演示账号不能在生产环境登录');
    }
    const stage = stageOf(account!, false);
    return this.d.db.write(async (t) => {
      const started = await this.d.sessions.start(account!.id, stage, actor.ip, t);
      if (stage === 'active') await this.complete(account!, t);
      await recordAudit(this.d.db.sqlIn(t), as(actor, account!), { action: 'auth.login', details: { stage } });
      return started;
    });
  }

  /** The second step: a TOTP code (each time step once) or an unused recovery code. */
  async verifySecondFactor(sessionId: string, input: { code: string } | { recoveryCode: string }, actor: Actor) {
    const { session, account } = await this.load(sessionId);
    await this.checkLocks(account.username, actor.ip);
    const ok =
      'code' in input
        ? await this.acceptCode(account, input.code)
        : (
            await StaffRecoveryCode.update(
              { usedAt: new Date() },
              { where: { staffId: account.id, codeHash: recoveryHash(input.recoveryCode), usedAt: null } },
            )
          )[0] === 1;
    if (ok !== true) {
      await this.fail(account.username, actor, 'auth.totp_failed', account.id);
      if (ok === 'replayed') throw new AppError(401, 'TOTP_REPLAYED', '该验证码已使用过，请等待下一个验证码');
      throw 'code' in input ? totpInvalid() : new AppError(401, 'RECOVERY_CODE_INVALID', '恢复码错误或已使用');
    }
    const action = 'code' in input ? 'auth.totp_passed' : 'auth.recovery_code_used';
    return this.next(session, account, actor, action, { mfaAt: new Date() });
  }

  /** Starts (or restarts) enrolment: a new secret, kept encrypted until a code confirms it. */
  async startEnrolment(staffId: string) {
    const account = (await StaffAccount.findByPk(staffId))!;
    if (account.totpEnabledAt)
      throw new AppError(409, 'TOTP_ALREADY_ENABLED', '已绑定动态验证码，如需更换请联系管理员重置');
    const secret = newTotpSecret();
    await this.d.db.write((t) =>
      account.update(
        { totpSecretEnc: this.d.cipher.encrypt(secret, slotOf('staff_accounts', 'totp_secret_enc', account.id)) },
        { transaction: t },
      ),
    );
    return enrolment(account.username, secret);
  }

  /** Confirms enrolment with a first code; returns ten recovery codes, shown this once. */
  async confirmEnrolment(sessionId: string, code: string, actor: Actor) {
    const { session, account } = await this.load(sessionId);
    await this.checkLocks(account.username, actor.ip);
    if (account.totpEnabledAt) throw new AppError(409, 'TOTP_ALREADY_ENABLED', '已绑定动态验证码');
    if (!account.totpSecretEnc) throw new AppError(409, 'TOTP_NOT_STARTED', '请先获取二维码');
    const step = matchStep(this.secretOf(account), code);
    if (step === null) {
      await this.fail(account.username, actor, 'auth.totp_failed', account.id);
      throw totpInvalid();
    }
    const recoveryCodes = newRecoveryCodes();
    const result = await this.d.db.write(async (t) => {
      await account.update({ totpEnabledAt: new Date(), totpLastStep: step }, { transaction: t });
      await StaffRecoveryCode.destroy({ where: { staffId: account.id }, transaction: t });
      await StaffRecoveryCode.bulkCreate(
        recoveryCodes.map((c) => ({ id: newId('rcv'), staffId: account.id, codeHash: recoveryHash(c) })),
        { transaction: t },
      );
      return this.advance(session, account, actor, 'auth.totp_enrolled', { mfaAt: new Date() }, t);
    });
    return { ...result, recoveryCodes };
  }

  /** Replaces the password (a one-time one must be); other sessions of the account end. */
  async changePassword(sessionId: string, current: string, next: string, actor: Actor) {
    const { session, account } = await this.load(sessionId);
    await this.checkLocks(account.username, actor.ip);
    if (!(await verifyPassword(account.passwordHash, current))) {
      await this.fail(account.username, actor, 'auth.password_change_failed', account.id);
      throw new AppError(401, 'PASSWORD_INCORRECT', '当前密码错误');
    }
    refuseDemoPassword(next);
    const passwordHash = await hashPassword(next);
    return this.d.db.write(async (t) => {
      await account.update({ passwordHash, mustChangePassword: false }, { transaction: t });
      await this.d.sessions.revokeAll(account.id, t, session.id);
      return this.advance(session, account, actor, 'auth.password_changed', {}, t);
    });
  }

  async logout(sessionId: string, actor: Actor) {
    await this.d.db.write(async (t) => {
      await this.d.sessions.revoke(sessionId, t);
      await recordAudit(this.d.db.sqlIn(t), actor, { action: 'auth.logout' });
    });
  }

  private async next(
    session: StaffSession,
    account: StaffAccount,
    actor: Actor,
    action: string,
    changes: { mfaAt?: Date },
  ) {
    return this.d.db.write((t) => this.advance(session, account, actor, action, changes, t));
  }

  private async advance(
    session: StaffSession,
    account: StaffAccount,
    actor: Actor,
    action: string,
    changes: { mfaAt?: Date },
    t: Parameters<Parameters<Db['write']>[0]>[0],
  ) {
    const stage = stageOf(account, Boolean(changes.mfaAt ?? session.mfaAt));
    const completes = stage === 'active' && session.stage !== 'active';
    const advanced = await this.d.sessions.advance(session, stage, changes, t);
    if (completes) await this.complete(account, t);
    await recordAudit(this.d.db.sqlIn(t), actor, { action, details: { stage } });
    return advanced;
  }

  /** A finished sign-in: failure counts of the account clear. */
  private async complete(account: StaffAccount, t: Parameters<Parameters<Db['write']>[0]>[0]) {
    await account.update({ lastLoginAt: new Date() }, { transaction: t });
    await this.d.limits.reset('consoleFailPerAccount', account.username);
  }

  /** Accepts a code for a time step later than the last accepted one; the update is conditional, so two racing uses of one code cannot both pass. */
  private async acceptCode(account: StaffAccount, code: string): Promise<true | false | 'replayed'> {
    if (!account.totpSecretEnc || !account.totpEnabledAt) return false;
    const step = matchStep(this.secretOf(account), code);
    if (step === null) return false;
    const changed = await this.d.db.writeSql((sql) =>
      sql.run(
        'UPDATE staff_accounts SET totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)',
        [step, account.id, step],
      ),
    );
    return changed === 1 ? true : 'replayed';
  }

  private secretOf(account: StaffAccount) {
    return this.d.cipher.decrypt(account.totpSecretEnc!, slotOf('staff_accounts', 'totp_secret_enc', account.id));
  }

  private async load(sessionId: string) {
    const session = (await StaffSession.findByPk(sessionId))!;
    const account = (await StaffAccount.findByPk(session.staffId))!;
    return { session, account };
  }

  private async checkLocks(username: string, ip: string) {
    try {
      await this.d.limits.check('consoleFailPerAccount', username);
      await this.d.limits.check('consoleFailPerIp', ip);
    } catch (err) {
      if (!(err instanceof AppError && err.status === 429)) throw err;
      throw new AppError(
        429,
        'LOGIN_LOCKED',
        `登录失败次数过多，已临时锁定，${err.message.replace(/^操作过于频繁，/, '')}`,
        err.details,
      );
    }
  }

  private async fail(username: string, actor: Actor, action: string, staffId?: string) {
    await this.d.limits.fail('consoleFailPerAccount', username);
    await this.d.limits.fail('consoleFailPerIp', actor.ip);
    await recordAuditOutside(
      this.d.db,
      { ...actor, staffId: staffId ?? null, username: username.slice(0, 32) },
      action,
    );
  }
}

const as = (actor: Actor, account: StaffAccount): Actor => ({
  ...actor,
  staffId: account.id,
  username: account.username,
  role: account.role,
});

function recordAuditOutside(db: Db, actor: Actor, action: string) {
  return db.writeSql((sql) => recordAudit(sql, actor, { action }));
}
