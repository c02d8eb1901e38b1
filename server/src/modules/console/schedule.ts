import type { Db } from '../../db';
import { asDate } from '../../db/sql';
import { conflict } from '../../http/errors';
import { shanghaiDate, toShanghaiIso } from '../../lib/time';
import { recordAudit, type Actor } from '../audit/service';
import type { Seats } from '../booking/seat';
import type { SlotService } from '../booking/slots';
import { stopSlots } from '../booking/stop';
import { Department, Doctor, Hospital } from '../hospitals/models';

interface SlotRow {
  id: string;
  doctorId: string;
  period: 'am' | 'pm';
  level: string;
  feeFen: number;
  startAt: Date;
  endAt: Date;
  capacity: number;
  addedCapacity: number;
  booked: number;
  closed: boolean;
  waiting: number;
}

const toSlot = (s: SlotRow) => ({
  id: s.id,
  startAt: toShanghaiIso(s.startAt),
  endAt: toShanghaiIso(s.endAt),
  capacity: s.capacity,
  addedCapacity: s.addedCapacity,
  booked: s.booked,
  remaining: s.closed ? 0 : Math.max(0, s.capacity - s.booked),
  waiting: s.waiting,
  closed: s.closed,
});

/**
 * 排班与号源: a department's sessions on a date with their seats, 停诊 (the
 * booking module's `stopSlots`, the one stop use case) and 加号 (more seats
 * for a slot, given to its waitlist first by `Seats.promote`). Both run in
 * one transaction with their audit row; the audit says who added how many
 * seats and when.
 */
export class ConsoleSchedule {
  constructor(private readonly d: { db: Db; seats: Seats; slots: SlotService }) {}

  async view(departmentId: string, date: string) {
    const dep = (await Department.findByPk(departmentId))!;
    const hospital = (await Hospital.findByPk(dep.hospitalId))!;
    // Like the patients' schedule: a never-synced pool waits for the HIS; the console then shows what is held.
    await this.d.slots.ensureSlots(hospital).catch(() => undefined);
    const slots = await this.slotRows('s.department_id = ? AND s.date = ?', [departmentId, date]);
    const doctors = await Doctor.findAll({
      where: { id: [...new Set(slots.map((s) => s.doctorId))] },
      order: [['name', 'ASC']],
    });
    const now = new Date();
    return {
      date,
      department: { id: dep.id, name: dep.name },
      hospital: { id: hospital.id, name: hospital.name },
      doctors: doctors.map((doc) => ({
        doctor: { id: doc.id, name: doc.name, title: doc.title, departmentId: doc.departmentId },
        sessions: (['am', 'pm'] as const)
          .map((period) => slots.filter((s) => s.doctorId === doc.id && s.period === period))
          .filter((list) => list.length > 0)
          .map((list) => {
            const views = list.map(toSlot);
            return {
              period: list[0].period,
              level: list[0].level as 'normal' | 'expert' | 'special',
              feeFen: list[0].feeFen,
              capacity: views.reduce((n, s) => n + s.capacity, 0),
              booked: views.reduce((n, s) => n + s.booked, 0),
              remaining: views.reduce((n, s) => n + s.remaining, 0),
              waiting: views.reduce((n, s) => n + s.waiting, 0),
              stopped: list.every((s) => s.closed),
              started: list[0].startAt <= now,
              slots: views,
            };
          }),
      })),
    };
  }

  /** 停诊: closes the session's open slots, cancels their appointments with the reason, ends their waitlist. */
  async stop(input: { doctorId: string; date: string; period: 'am' | 'pm'; reason: string }, actor: Actor) {
    if (input.date < shanghaiDate()) throw conflict('SESSION_PAST', '已过去的出诊不能停诊');
    return this.d.db.writeSql(async (sql) => {
      const open = await sql.all<{ id: string; hospitalId: string; endAt: unknown }>(
        `SELECT id, hospital_id AS "hospitalId", end_at AS "endAt" FROM slots
         WHERE doctor_id = ? AND date = ? AND period = ? AND closed = ? ORDER BY start_at`,
        [input.doctorId, input.date, input.period, false],
      );
      if (!open.length) throw conflict('NOTHING_TO_STOP', '该出诊没有可停诊的号源（可能已停诊）');
      const ids = open.map((s) => s.id);
      const result = await stopSlots(sql, this.d.seats, ids, input.reason);
      await recordAudit(sql, actor, {
        action: 'schedule.stop',
        targetType: 'doctor',
        targetId: input.doctorId,
        hospitalId: open[0].hospitalId,
        details: { date: input.date, period: input.period, reason: input.reason, slots: ids.length, ...result },
      });
      return { slots: ids.length, ...result };
    });
  }

  /** 加号: more seats on a slot that has not started; the waitlist gets them first. */
  async addCapacity(slotId: string, input: { count: number; reason: string }, actor: Actor) {
    return this.d.db.writeSql(async (sql) => {
      const slot = (await this.slotRows('s.id = ?', [slotId], sql))[0];
      if (slot.closed) throw conflict('SLOT_CLOSED', '该时段已停诊，不能加号');
      if (slot.startAt <= new Date()) throw conflict('SLOT_STARTED', '该时段已开始，不能加号');
      await sql.run(
        'UPDATE slots SET capacity = capacity + ?, added_capacity = added_capacity + ?, updated_at = ? WHERE id = ?',
        [input.count, input.count, new Date(), slotId],
      );
      const promoted = await this.d.seats.promote(sql, slotId);
      const after = (await this.slotRows('s.id = ?', [slotId], sql))[0];
      await recordAudit(sql, actor, {
        action: 'schedule.add_capacity',
        targetType: 'slot',
        targetId: slotId,
        hospitalId: (await sql.one<{ h: string }>('SELECT hospital_id AS "h" FROM slots WHERE id = ?', [slotId]))!.h,
        details: {
          added: input.count,
          reason: input.reason,
          capacityBefore: slot.capacity,
          capacityAfter: after.capacity,
          promoted,
        },
      });
      return { slot: toSlot(after), promoted };
    });
  }

  private async slotRows(where: string, params: Array<string | boolean>, sql = this.d.db.sql): Promise<SlotRow[]> {
    const rows = await sql.all<Record<string, unknown>>(
      `SELECT s.id, s.doctor_id AS "doctorId", s.period, s.level, s.fee_fen AS "feeFen", s.start_at AS "startAt",
         s.end_at AS "endAt", s.capacity, s.added_capacity AS "addedCapacity", s.booked, s.closed,
         (SELECT COUNT(*) FROM waitlist_entries w WHERE w.slot_id = s.id AND w.status = 'waiting') AS "waiting"
       FROM slots s WHERE ${where} ORDER BY s.start_at`,
      params,
    );
    return rows.map((r) => ({
      ...(r as unknown as SlotRow),
      startAt: asDate(r.startAt),
      endAt: asDate(r.endAt),
      closed: Boolean(r.closed),
      waiting: Number(r.waiting),
      capacity: Number(r.capacity),
      booked: Number(r.booked),
      addedCapacity: Number(r.addedCapacity),
    }));
  }
}
