import { Op, type Transaction } from 'sequelize';
import { HOSPITAL_STAFF_ROLES, type StaffRole } from '../../../../common/console/roles';
import type { Db } from '../../db';
import { AppError, conflict, notFound } from '../../http/errors';
import type { StaffCaller } from '../../http/route';
import type { Page } from '../../http/schemas';
import { newId } from '../../lib/ids';
import { toShanghaiIso, toShanghaiIsoOrNull } from '../../lib/time';
import { Hospital } from '../hospitals/models';
import { recordAudit, type Actor } from '../audit/service';
import { scopeOf } from './access';
import { StaffAccount, StaffHospital, StaffRecoveryCode } from './models';
import { hashPassword, oneTimePassword } from './passwords';
import type { StaffAccountDto } from './schemas';
import type { StaffSessions } from './sessions';

/** Inserts an account with its hospitals (console, create-admin, demo data); 409 when the name is taken. */
export async function insertStaff(
  t: Transaction,
  input: StaffInput & { username: string; passwordHash: string; mustChangePassword: boolean; isDemo?: boolean },
): Promise<StaffAccount> {
  if (await StaffAccount.findOne({ where: { username: input.username }, transaction: t })) {
    throw conflict('USERNAME_TAKEN', '用户名已被使用');
  }
  const account = await StaffAccount.create(
    {
      id: newId('stf'),
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      passwordHash: input.passwordHash,
      mustChangePassword: input.mustChangePassword,
      isDemo: input.isDemo ?? false,
    },
    { transaction: t },
  );
  await StaffHospital.bulkCreate(
    input.hospitalIds.map((hospitalId) => ({ staffId: account.id, hospitalId })),
    { transaction: t },
  );
  return account;
}

interface StaffInput {
  displayName: string;
  role: StaffRole;
  hospitalIds: string[];
}

/**
 * 人员与权限: staff accounts, their roles and hospital scopes. Platform
 * admins manage everyone; a hospital admin manages nurses and experts of
 * their own hospitals only (the one scope check in ./access.ts decides which
 * accounts they see). Every change is audited; resets and disabling end the
 * account's sessions at once.
 */
export class StaffService {
  constructor(private readonly d: { db: Db; sessions: StaffSessions }) {}

  async list(caller: StaffCaller, q: { q?: string; role?: StaffRole; page: number; pageSize: number }) {
    const scope = scopeOf(caller);
    const where: Record<string | symbol, unknown> = {};
    if (q.role) where.role = q.role;
    if (q.q) where[Op.or] = [{ username: { [Op.like]: `%${q.q}%` } }, { displayName: { [Op.like]: `%${q.q}%` } }];
    if (scope) {
      // Accounts with a hospital outside the caller's are not theirs to see.
      const outside = await StaffHospital.findAll({ where: { hospitalId: { [Op.notIn]: scope } } });
      const inside = await StaffHospital.findAll({ where: { hospitalId: scope } });
      const ids = [...new Set(inside.map((r) => r.staffId))].filter((id) => !outside.some((o) => o.staffId === id));
      where.id = ids;
      where.role = q.role && HOSPITAL_STAFF_ROLES.includes(q.role) ? q.role : HOSPITAL_STAFF_ROLES;
    }
    const { rows, count } = await StaffAccount.findAndCountAll({
      where,
      order: [['username', 'ASC']],
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    });
    const items = await this.toDtos(rows);
    return { items, total: count, page: q.page, pageSize: q.pageSize } satisfies Page<StaffAccountDto>;
  }

  async get(id: string): Promise<StaffAccountDto> {
    const account = await StaffAccount.findByPk(id);
    if (!account) throw notFound('账号');
    return (await this.toDtos([account]))[0];
  }

  async create(caller: StaffCaller, input: StaffInput & { username: string }, actor: Actor) {
    await this.checkGrant(caller, input);
    const password = oneTimePassword();
    const passwordHash = await hashPassword(password);
    const id = await this.d.db.write(async (t) => {
      const account = await insertStaff(t, { ...input, passwordHash, mustChangePassword: true });
      await recordAudit(this.d.db.sqlIn(t), actor, {
        action: 'staff.create',
        targetType: 'staff',
        targetId: account.id,
        hospitalId: input.hospitalIds[0] ?? null,
        details: { username: input.username, role: input.role, hospitalIds: input.hospitalIds },
      });
      return account.id;
    });
    return { staff: await this.get(id), oneTimePassword: password };
  }

  async update(caller: StaffCaller, id: string, input: StaffInput, actor: Actor) {
    await this.checkGrant(caller, input);
    if (id === caller.id && input.role !== caller.role) {
      throw conflict('SELF_CHANGE', '不能修改自己的角色');
    }
    await this.d.db.write(async (t) => {
      const account = (await StaffAccount.findByPk(id, { transaction: t }))!;
      const before = {
        displayName: account.displayName,
        role: account.role,
        hospitalIds: (await StaffHospital.findAll({ where: { staffId: id }, transaction: t })).map((r) => r.hospitalId),
      };
      await account.update({ displayName: input.displayName, role: input.role }, { transaction: t });
      await StaffHospital.destroy({ where: { staffId: id }, transaction: t });
      await StaffHospital.bulkCreate(
        input.hospitalIds.map((hospitalId) => ({ staffId: id, hospitalId })),
        { transaction: t },
      );
      await recordAudit(this.d.db.sqlIn(t), actor, {
        action: 'staff.update',
        targetType: 'staff',
        targetId: id,
        details: { before, after: input },
      });
    });
    return this.get(id);
  }

  /** A new one-time password; the account must replace it at its next sign-in. */
  async resetPassword(id: string, actor: Actor) {
    const password = oneTimePassword();
    const passwordHash = await hashPassword(password);
    await this.change(id, actor, 'staff.reset_password', { passwordHash, mustChangePassword: true });
    return { staff: await this.get(id), oneTimePassword: password };
  }

  /** Removes the second factor and its recovery codes; the account enrols again at its next sign-in. */
  async resetTotp(id: string, actor: Actor) {
    await this.change(id, actor, 'staff.reset_totp', { totpSecretEnc: null, totpEnabledAt: null, totpLastStep: null });
    return this.get(id);
  }

  async setDisabled(caller: StaffCaller, id: string, disabled: boolean, actor: Actor) {
    if (id === caller.id) throw conflict('SELF_CHANGE', '不能停用自己的账号');
    await this.change(id, actor, disabled ? 'staff.disable' : 'staff.enable', {
      disabledAt: disabled ? new Date() : null,
    });
    return this.get(id);
  }

  private async change(id: string, actor: Actor, action: string, changes: Partial<StaffAccount>) {
    await this.d.db.write(async (t) => {
      const account = (await StaffAccount.findByPk(id, { transaction: t }))!;
      await account.update(changes, { transaction: t });
      if (action === 'staff.reset_totp') await StaffRecoveryCode.destroy({ where: { staffId: id }, transaction: t });
      if (action !== 'staff.enable') await this.d.sessions.revokeAll(id, t);
      await recordAudit(this.d.db.sqlIn(t), actor, { action, targetType: 'staff', targetId: id });
    });
  }

  /** What a caller may hand out: hospital admins give nurse and expert roles in their own hospitals only. */
  private async checkGrant(caller: StaffCaller, input: StaffInput) {
    const scope = scopeOf(caller);
    if (scope && !HOSPITAL_STAFF_ROLES.includes(input.role)) {
      throw new AppError(403, 'FORBIDDEN', '医院管理员只能设置分诊护士或专家账号');
    }
    const found = await Hospital.count({ where: { id: input.hospitalIds } });
    if (found !== new Set(input.hospitalIds).size || input.hospitalIds.some((h) => scope && !scope.includes(h))) {
      throw notFound('医院');
    }
  }

  private async toDtos(rows: StaffAccount[]): Promise<StaffAccountDto[]> {
    const links = await StaffHospital.findAll({ where: { staffId: rows.map((r) => r.id) } });
    const hospitals = await Hospital.findAll({ where: { id: [...new Set(links.map((l) => l.hospitalId))] } });
    const names = new Map(hospitals.map((h) => [h.id, h.name]));
    return rows.map((a) => ({
      id: a.id,
      username: a.username,
      displayName: a.displayName,
      role: a.role,
      hospitals: links
        .filter((l) => l.staffId === a.id)
        .map((l) => ({ id: l.hospitalId, name: names.get(l.hospitalId) ?? '' })),
      totpEnabled: Boolean(a.totpEnabledAt),
      mustChangePassword: Boolean(a.mustChangePassword),
      isDemo: Boolean(a.isDemo),
      disabled: Boolean(a.disabledAt),
      lastLoginAt: toShanghaiIsoOrNull(a.lastLoginAt),
      createdAt: toShanghaiIso(a.createdAt),
    }));
  }
}
