import { Op, type InferCreationAttributes } from 'sequelize';
import type { Db } from '../../db';
import { notFound } from '../../http/errors';
import { HisUnavailableError, type HisClient } from '../../his/types';
import type { Logger } from '../../logger';
import { newId } from '../../lib/ids';
import { Refresher } from '../../lib/refresher';
import { shanghaiDate, toShanghaiIso } from '../../lib/time';
import { Department, Doctor, Hospital } from '../hospitals/models';
import { hisUnavailable } from '../hospitals/service';
import { syncHospitalCatalog, targetOf } from '../hospitals/sync';
import type { PiiCipher } from '../../privacy/cipher';
import { Slot } from './models';
import type { Seats } from './seat';
import { stopSlots } from './stop';
import { addDays, at, rulesFor, slotStatus, type Rules, type SlotStatus } from './rules';
import type { SlotDto } from './schemas';

export interface SlotServiceDeps {
  db: Db;
  his: HisClient;
  cipher: PiiCipher;
  seats: Seats;
  log: Logger;
  /** Slot pools older than this are refreshed from the HIS in the background. */
  ttlMs: number;
}

/** The hospital's allotted slot pool, held locally and kept in sync with its HIS. */
export class SlotService {
  private readonly pools: Refresher;

  constructor(private readonly d: SlotServiceDeps) {
    this.pools = new Refresher((key, err) => d.log.warn({ hospitalId: key, err: err.message }, 'slot refresh failed'));
  }

  /** Waits for background slot refreshes (shutdown). */
  idle(): Promise<void> {
    return this.pools.idle();
  }

  async doctorSlots(doctorId: string, from?: string, to?: string): Promise<{ items: SlotDto[] }> {
    const doctor = await Doctor.findOne({ where: { id: doctorId, active: true } });
    if (!doctor) throw notFound('医生');
    const hospital = (await Hospital.findByPk(doctor.hospitalId))!;
    await this.ensureSlots(hospital);
    const rules = await rulesFor(hospital.id);
    const today = shanghaiDate();
    const rows = await Slot.findAll({
      where: { doctorId, date: { [Op.between]: [from ?? today, to ?? addDays(today, rules.windowDays)] } },
      order: [['startAt', 'ASC']],
    });
    return { items: rows.map((s) => toSlotDto(s, rules)) };
  }

  /**
   * One day of a department: each doctor with their sessions and seats left,
   * plus the status of every date of the booking window (one slot query for
   * the whole window). Without a date, the first date with seats left.
   */
  async departmentSchedule(departmentId: string, requested?: string) {
    const dep = await Department.findOne({ where: { id: departmentId, active: true } });
    if (!dep) throw notFound('科室');
    const hospital = (await Hospital.findByPk(dep.hospitalId))!;
    await this.ensureSlots(hospital);
    const rules = await rulesFor(hospital.id);
    const dates = Array.from({ length: rules.windowDays + 1 }, (_, i) => addDays(shanghaiDate(), i));
    const inWindow = !requested || (requested >= dates[0] && requested <= dates[dates.length - 1]);
    const range: [string, string] = inWindow ? [dates[0], dates[dates.length - 1]] : [requested, requested];
    const all = await Slot.findAll({
      where: { departmentId, date: { [Op.between]: range } },
      order: [['startAt', 'ASC']],
    });
    const statusOf = new Map(all.map((s) => [s, slotStatus(s, rules)]));
    const days = dates.map((d) => {
      const statuses = all.filter((s) => s.date === d).map((s) => statusOf.get(s)!);
      return { date: d, status: statuses.length ? sessionStatus(statuses) : ('none' as const) };
    });
    const date = requested ?? days.find((d) => d.status === 'open')?.date ?? dates[0];
    const slots = all.filter((s) => s.date === date);
    const doctors = await Doctor.findAll({ where: { id: [...new Set(slots.map((s) => s.doctorId))] } });
    return {
      date,
      dates,
      days,
      doctors: doctors.map((doc) => {
        const mine = slots.filter((s) => s.doctorId === doc.id);
        return {
          doctor: { id: doc.id, name: doc.name, title: doc.title, specialty: String(doc.specialty) },
          sessions: (['am', 'pm'] as const)
            .map((period) => mine.filter((s) => s.period === period))
            .filter((list) => list.length > 0)
            .map((list) => ({
              period: list[0].period,
              level: list[0].level,
              feeFen: list[0].feeFen,
              remaining: list.reduce((n, s) => n + (statusOf.get(s) === 'open' ? s.capacity - s.booked : 0), 0),
              status: sessionStatus(list.map((s) => statusOf.get(s)!)),
            })),
        };
      }),
    };
  }

  /** Like the catalog: never-synced pools wait for the HIS, stale ones refresh in the background. */
  async ensureSlots(h: Hospital): Promise<void> {
    try {
      await this.pools.ensure(h.id, h.slotsSyncedAt, this.d.ttlMs, () => this.sync(h));
    } catch (err) {
      throw err instanceof HisUnavailableError ? hisUnavailable(h) : err;
    }
  }

  /**
   * Pulls the booking window's sessions and upserts their slots. Capacity
   * never drops below what is already booked, and a raised capacity goes to
   * the waitlist first. Only an explicit closure closes slots: a session the
   * hospital marks `stopped` (停诊) closes and its appointments are cancelled
   * with the reason. Slots missing from an answer are kept. An answer that is
   * empty, or lists fewer than half the open slots we hold, is taken for a
   * fault of the hospital's system: nothing changes, and the anomaly is
   * logged and shown with the hospital's HIS health.
   */
  private async sync(h: Hospital): Promise<void> {
    if (!h.catalogSyncedAt) await syncHospitalCatalog(this.d, h);
    const rules: Rules = await rulesFor(h.id);
    const from = shanghaiDate();
    const to = addDays(from, rules.windowDays);
    const sessions = await this.d.his.listSessions(targetOf(h, this.d.cipher), from, to);
    const doctors = await Doctor.findAll({
      where: { hospitalId: h.id },
      attributes: ['id', 'hisCode', 'departmentId'],
    });
    const byCode = new Map(doctors.map((d) => [d.hisCode, d]));

    await this.d.db.write(async (transaction) => {
      const sql = this.d.db.sqlIn(transaction);
      const existing = await Slot.findAll({
        where: { hospitalId: h.id, date: { [Op.between]: [from, to] } },
        transaction,
      });
      const answered = sessions.reduce((n, s) => n + s.slots.length, 0);
      const held = existing.filter((s) => !s.closed && s.startAt > new Date()).length;
      if (held > 0 && answered < held / 2) {
        const note = `排班数据异常：医院返回 ${answered} 个号源，平台现有 ${held} 个，已保留原号源`;
        this.d.log.error({ hospital: h.code, answered, held }, 'suspicious schedule answer: slots kept');
        await h.update(
          { scheduleAnomaly: note, scheduleAnomalyAt: new Date(), slotsSyncedAt: new Date() },
          { transaction },
        );
        return;
      }
      const known = new Map(existing.map((s) => [s.hisCode, s]));
      const fresh: Array<
        Omit<InferCreationAttributes<Slot>, 'booked' | 'closed' | 'addedCapacity' | 'createdAt' | 'updatedAt'>
      > = [];
      const raised: string[] = [];
      const stopped = new Map<string, string[]>();
      for (const session of sessions) {
        const doc = byCode.get(session.doctorCode);
        if (!doc) continue;
        for (const slot of session.slots) {
          const row = known.get(slot.code);
          if (session.status === 'stopped') {
            const reason = session.stopReason || '医生临时停诊';
            if (row && !row.closed) stopped.set(reason, [...(stopped.get(reason) ?? []), row.id]);
            continue;
          }
          if (row) {
            // Seats added on the console (加号) come on top of the hospital's own count.
            const capacity = Math.max(slot.capacity + row.addedCapacity, row.booked);
            if (capacity > row.capacity) raised.push(row.id);
            if (row.capacity !== capacity) await row.update({ capacity }, { transaction });
            continue;
          }
          fresh.push({
            id: newId('slt'),
            hospitalId: h.id,
            departmentId: doc.departmentId,
            doctorId: doc.id,
            hisCode: slot.code,
            date: session.date,
            period: session.period,
            startAt: at(session.date, slot.startTime),
            endAt: at(session.date, slot.endTime),
            level: session.level,
            feeFen: session.feeFen,
            capacity: slot.capacity,
          });
        }
      }
      if (fresh.length) await Slot.bulkCreate(fresh, { transaction });
      for (const [reason, slotIds] of stopped) {
        const { cancelled } = await stopSlots(sql, this.d.seats, slotIds, reason);
        this.d.log.info({ hospital: h.code, slots: slotIds.length, cancelled }, 'sessions stopped by the hospital');
      }
      for (const slotId of raised) await this.d.seats.promote(sql, slotId);
      await h.update({ slotsSyncedAt: new Date(), scheduleAnomaly: null, scheduleAnomalyAt: null }, { transaction });
    });
  }
}

function sessionStatus(statuses: SlotStatus[]): SlotStatus {
  if (statuses.includes('open')) return 'open';
  if (statuses.includes('not_released')) return 'not_released';
  if (statuses.includes('full')) return 'full';
  return 'closed';
}

/** The slot fields every view of a booking shows. */
export function slotSummary(
  s: Pick<Slot, 'id' | 'doctorId' | 'date' | 'period' | 'startAt' | 'endAt' | 'level' | 'feeFen'>,
) {
  return {
    id: s.id,
    doctorId: s.doctorId,
    date: s.date,
    period: s.period,
    startAt: toShanghaiIso(s.startAt),
    endAt: toShanghaiIso(s.endAt),
    level: s.level,
    feeFen: s.feeFen,
  };
}

export function toSlotDto(s: Slot, rules: Rules): SlotDto {
  return {
    ...slotSummary(s),
    capacity: s.capacity,
    remaining: Math.max(0, s.capacity - s.booked),
    status: slotStatus(s, rules),
  };
}
