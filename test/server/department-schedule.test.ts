import { Op } from 'sequelize';
import { BookingRule, Slot } from '../../server/src/modules/booking/models';
import { DEFAULT_RULES, addDays } from '../../server/src/modules/booking/rules';
import { shanghaiDate } from '../../server/src/lib/time';
import { openSlots } from '../support/booking';
import { startTestPlatform, type TestPlatform } from '../support/platform';

let p: TestPlatform;
let departmentId: string;
let hospitalId: string;
beforeAll(async () => {
  p = await startTestPlatform();
  const [slot] = await openSlots(p, 2);
  const row = (await Slot.findByPk(slot.id))!;
  departmentId = row.departmentId;
  hospitalId = row.hospitalId;
});
afterAll(() => p.close());

interface Day {
  date: string;
  status: string;
}
const schedule = (query = '') => p.api.get(`/api/v1/departments/${departmentId}/schedule${query}`);
const statusOf = (days: Day[], date: string) => days.find((d) => d.date === date)?.status;

describe('department schedule: availability per date', () => {
  it('gives every date of the booking window a status in the same answer', async () => {
    const res = await schedule(`?date=${shanghaiDate()}`);
    expect(res.status).toBe(200);
    expect(res.body.days).toHaveLength(DEFAULT_RULES.windowDays + 1);
    expect(res.body.days.map((d: Day) => d.date)).toEqual(res.body.dates);
    for (const d of res.body.days as Day[])
      expect(['open', 'full', 'not_released', 'closed', 'none']).toContain(d.status);
  });

  it('refuses a date that does not exist with 422, in Chinese', async () => {
    for (const date of ['2026-13-01', '2026-02-30', '2026-2-3']) {
      const res = await schedule(`?date=${date}`);
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(res.body.error.details.fields[0].message).toBe('日期格式应为YYYY-MM-DD');
    }
  });

  it('opens on the first date with seats left when no date is asked for', async () => {
    const res = await schedule();
    const firstOpen = (res.body.days as Day[]).find((d) => d.status === 'open')!.date;
    expect(res.body.date).toBe(firstOpen);
    expect(res.body.doctors.length).toBeGreaterThan(0);
    for (const d of res.body.doctors)
      expect(d.sessions.some((s: { status: string }) => s.status === 'open')).toBe(true);
  });

  it('marks a fully booked date 约满, a date without sessions 无排班, and dates not yet released 未放号', async () => {
    const before = (await schedule()).body.days as Day[];
    const [full, empty] = before.filter((d) => d.status === 'open' && d.date > shanghaiDate()).map((d) => d.date);
    const slotsOf = (date: string) => ({ departmentId, date });
    const fullRows = await Slot.findAll({ where: slotsOf(full) });
    for (const s of fullRows) await s.update({ booked: s.capacity });
    await Slot.destroy({ where: slotsOf(empty) });
    // The last date of the window is released today at the release time; a late release time keeps it shut.
    await BookingRule.upsert({ hospitalId, ...DEFAULT_RULES, releaseTime: '23:59' });
    try {
      const days = (await schedule()).body.days as Day[];
      expect(statusOf(days, full)).toBe('full');
      expect(statusOf(days, empty)).toBe('none');
      const last = addDays(shanghaiDate(), DEFAULT_RULES.windowDays);
      const lastHasSlots = (await Slot.count({ where: { departmentId, date: { [Op.eq]: last } } })) > 0;
      if (lastHasSlots) expect(statusOf(days, last)).toBe('not_released');
      const onFull = (await schedule(`?date=${full}`)).body;
      expect(onFull.date).toBe(full);
      for (const d of onFull.doctors)
        for (const s of d.sessions) expect(s).toMatchObject({ status: 'full', remaining: 0 });
    } finally {
      await BookingRule.destroy({ where: { hospitalId } });
    }
  });
});
