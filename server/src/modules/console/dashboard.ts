import type { Db } from '../../db';
import type { SqlValue } from '../../db/sql';
import type { HisClient } from '../../his/types';
import type { StaffCaller } from '../../http/route';
import { shanghaiDate, shanghaiDayStart } from '../../lib/time';
import type { OutboxRunner } from '../../outbox/runner';
import { addDays } from '../booking/rules';
import { Hospital } from '../hospitals/models';
import { scopeOf } from '../staff/access';
import { hisHealthOf } from './hospitals';
import type { DashboardDto } from './schemas';

const DAYS = 14;
type Counts = { h: string; n: number | string };

/**
 * 仪表盘: today's bookings, cancellations, no-shows and waitlist per hospital,
 * each hospital's HIS health, bookings and cancellations of the last 14 days,
 * and (platform admins) the outbox backlog and dead letters. A hospital admin
 * sees their hospitals only.
 */
export class ConsoleDashboard {
  constructor(private readonly d: { db: Db; his: HisClient; outbox: OutboxRunner }) {}

  async overview(staff: StaffCaller, hospitalId?: string): Promise<DashboardDto> {
    const scope = hospitalId ? [hospitalId] : scopeOf(staff);
    const hospitals = await Hospital.findAll({ where: scope ? { id: scope } : {}, order: [['code', 'ASC']] });
    const today = shanghaiDate();
    const start = shanghaiDayStart(today);
    const { sql } = this.d.db;
    const inScope = (col: string): [string, SqlValue[]] =>
      scope ? [` AND ${col} IN (${scope.map(() => '?').join(', ')})`, scope] : ['', []];
    const [aIn, aParams] = inScope('a.hospital_id');
    const [sIn, sParams] = inScope('s.hospital_id');

    const byHospital = async (text: string, params: SqlValue[]) =>
      new Map((await sql.all<Counts>(text, params)).map((r) => [r.h, Number(r.n)]));
    const bookings = await byHospital(
      `SELECT a.hospital_id AS "h", COUNT(*) AS "n" FROM appointments a WHERE a.created_at >= ?${aIn} GROUP BY a.hospital_id`,
      [start, ...aParams],
    );
    const cancellations = await byHospital(
      `SELECT a.hospital_id AS "h", COUNT(*) AS "n" FROM appointments a
       WHERE a.status = 'cancelled' AND a.cancelled_at >= ?${aIn} GROUP BY a.hospital_id`,
      [start, ...aParams],
    );
    const noShows = await byHospital(
      `SELECT a.hospital_id AS "h", COUNT(*) AS "n" FROM appointments a
       WHERE a.status = 'no_show' AND a.date = ?${aIn} GROUP BY a.hospital_id`,
      [today, ...aParams],
    );
    const waitlist = await byHospital(
      `SELECT s.hospital_id AS "h", COUNT(*) AS "n" FROM waitlist_entries w JOIN slots s ON s.id = w.slot_id
       WHERE w.status = 'waiting'${sIn} GROUP BY s.hospital_id`,
      sParams,
    );

    const rows = hospitals.map((h) => ({
      hospital: { id: h.id, code: h.code, name: h.name, level: h.level, district: h.district },
      bookings: bookings.get(h.id) ?? 0,
      cancellations: cancellations.get(h.id) ?? 0,
      noShows: noShows.get(h.id) ?? 0,
      waitlist: waitlist.get(h.id) ?? 0,
      his: hisHealthOf(this.d.his, h),
    }));
    const sum = (k: 'bookings' | 'cancellations' | 'noShows' | 'waitlist') => rows.reduce((n, r) => n + r[k], 0);
    return {
      today,
      totals: {
        bookings: sum('bookings'),
        cancellations: sum('cancellations'),
        noShows: sum('noShows'),
        waitlist: sum('waitlist'),
      },
      hospitals: rows,
      daily: await this.daily(today, aIn, aParams),
      outbox:
        staff.role === 'platform_admin'
          ? { backlog: await this.d.outbox.backlog(), deadLetters: await this.d.outbox.deadLetters(20) }
          : null,
    };
  }

  /** Bookings made and cancellations per Shanghai day, the last 14 days, grouped by the database. */
  private async daily(today: string, aIn: string, aParams: SqlValue[]) {
    const first = addDays(today, -(DAYS - 1));
    const day = (col: string) =>
      this.d.db.dialect === 'postgres'
        ? `to_char(${col} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')`
        : `date(substr(${col}, 1, 19), '+8 hours')`;
    const perDay = async (col: string, extra: string) =>
      new Map(
        (
          await this.d.db.sql.all<{ d: string; n: number | string }>(
            `SELECT ${day(col)} AS "d", COUNT(*) AS "n" FROM appointments a WHERE ${col} >= ?${extra}${aIn} GROUP BY 1`,
            [shanghaiDayStart(first), ...aParams],
          )
        ).map((r) => [r.d, Number(r.n)]),
      );
    const made = await perDay('a.created_at', '');
    const cancelled = await perDay('a.cancelled_at', " AND a.status = 'cancelled'");
    return Array.from({ length: DAYS }, (_, i) => {
      const date = addDays(first, i);
      return { date, bookings: made.get(date) ?? 0, cancellations: cancelled.get(date) ?? 0 };
    });
  }
}
