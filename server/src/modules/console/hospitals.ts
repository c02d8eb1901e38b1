import { Op } from 'sequelize';
import type { Db } from '../../db';
import type { HisClient } from '../../his/types';
import type { StaffCaller } from '../../http/route';
import { toShanghaiIsoOrNull } from '../../lib/time';
import { recordAudit, type Actor } from '../audit/service';
import { BookingRule } from '../booking/models';
import { DEFAULT_RULES, rulesFor, type Rules } from '../booking/rules';
import { Department, Doctor, Hospital } from '../hospitals/models';
import { scopeOf } from '../staff/access';
import type { BookingRulesInput } from '../../../../common/console/forms';

/** HIS health of one hospital, from its breaker and the last schedule sync. */
export function hisHealthOf(his: HisClient, h: Hospital) {
  const health = his.health(h.code);
  return {
    status: health.status,
    calls: health.calls,
    failures: health.failures,
    errorRate: health.calls ? health.failures / health.calls : null,
    latencyMs: health.latencyMs,
    lastError: health.lastError,
    scheduleAnomaly: h.scheduleAnomaly ?? null,
    scheduleAnomalyAt: toShanghaiIsoOrNull(h.scheduleAnomalyAt),
  };
}

const ref = (h: Hospital) => ({ id: h.id, code: h.code, name: h.name, level: h.level, district: h.district });

/**
 * 医院与规则: the caller's hospitals, a hospital's profile (synced from its
 * HIS, so read-only here) and its booking rules, which the console edits. A
 * rule change applies to the next booking (booking reads the rules row on
 * every request) and is audited with the old and new values.
 */
export class ConsoleHospitals {
  constructor(private readonly d: { db: Db; his: HisClient }) {}

  async list(staff: StaffCaller) {
    const scope = scopeOf(staff);
    const rows = await Hospital.findAll({ where: scope ? { id: scope } : {}, order: [['code', 'ASC']] });
    return { items: rows.map(ref) };
  }

  async get(id: string) {
    const h = (await Hospital.findByPk(id))!;
    const custom = await BookingRule.findByPk(id);
    return {
      ...ref(h),
      address: h.address,
      phone: h.phone,
      intro: h.intro,
      catalogSyncedAt: toShanghaiIsoOrNull(h.catalogSyncedAt),
      rules: await rulesFor(id),
      rulesCustomised: Boolean(custom),
      his: hisHealthOf(this.d.his, h),
    };
  }

  async updateRules(id: string, input: BookingRulesInput, actor: Actor) {
    await this.d.db.write(async (t) => {
      const before = await rulesFor(id, t);
      await BookingRule.upsert({ hospitalId: id, ...input }, { transaction: t });
      const changed = (Object.keys(DEFAULT_RULES) as Array<keyof Rules>).filter((k) => before[k] !== input[k]);
      await recordAudit(this.d.db.sqlIn(t), actor, {
        action: 'rules.update',
        targetType: 'hospital',
        targetId: id,
        hospitalId: id,
        details: {
          before: Object.fromEntries(changed.map((k) => [k, before[k]])),
          after: Object.fromEntries(changed.map((k) => [k, input[k]])),
        },
      });
    });
    return this.get(id);
  }

  async departments(hospitalId: string) {
    const rows = await Department.findAll({
      where: { hospitalId, active: true },
      order: [['sortOrder', 'ASC']],
      attributes: ['id', 'name'],
    });
    return { items: rows.map((r) => ({ id: r.id, name: r.name })) };
  }

  async doctors(hospitalId: string, q?: string) {
    const rows = await Doctor.findAll({
      where: { hospitalId, active: true, ...(q ? { name: { [Op.like]: `%${q}%` } } : {}) },
      order: [['name', 'ASC']],
      limit: 500,
    });
    return { items: rows.map((r) => ({ id: r.id, name: r.name, title: r.title, departmentId: r.departmentId })) };
  }
}
