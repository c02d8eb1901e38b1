import { Op } from 'sequelize';
import { shanghaiDate } from '../../server/src/lib/time';
import { AuditEvent } from '../../server/src/modules/audit/models';
import { Appointment, BookingRule, DomainEvent, Slot, WaitlistEntry } from '../../server/src/modules/booking/models';
import { DEFAULT_RULES } from '../../server/src/modules/booking/rules';
import { Hospital } from '../../server/src/modules/hospitals/models';
import { suspendedUntil } from '../../server/src/modules/booking/suspension';
import { accountWithPatients, book, openSlots, type SlotView } from '../support/booking';
import { consoleSignIn, makeStaff, type ConsoleClient } from '../support/console';
import { startTestPlatform, type TestPlatform } from '../support/platform';

let p: TestPlatform;
let admin: ConsoleClient;
let platform: ConsoleClient;
let hospitalId: string;
let slots: SlotView[];

beforeAll(async () => {
  p = await startTestPlatform({ env: { RATE_BOOKING_PER_ACCOUNT_PER_MINUTE: '1000' } });
  hospitalId = (await p.api.get('/api/v1/hospitals')).body.items[0].id;
  slots = await openSlots(p, 0);
  admin = await consoleSignIn(p, await makeStaff(p, 'hospital_admin', [hospitalId]));
  platform = await consoleSignIn(p, await makeStaff(p, 'platform_admin'));
});
afterAll(() => p.close());

/** An open slot with seats of a doctor not used before in this file. */
const usedDoctors = new Set<string>();
async function openSlot(): Promise<SlotView> {
  for (const s of slots) {
    const row = (await Slot.findByPk(s.id))!;
    if (usedDoctors.has(s.doctorId) || row.closed || row.booked >= row.capacity) continue;
    usedDoctors.add(s.doctorId);
    return s;
  }
  throw new Error('no open slot left');
}

/** The database refused the statement because the audit table is append-only (whatever the driver's wrapping). */
async function refused(work: Promise<unknown>) {
  const err = (await work.then(
    () => undefined,
    (e: unknown) => e,
  )) as (Error & { original?: Error; parent?: Error }) | undefined;
  expect(err).toBeDefined();
  expect(`${err!.message} ${err!.original?.message} ${err!.parent?.message}`).toMatch(/append-only/);
}

const audits = (action: string) => AuditEvent.findAll({ where: { action }, order: [['createdAt', 'ASC']] });

describe('医院与规则', () => {
  it('changes booking rules at once and audits old and new values', async () => {
    const rules = { ...DEFAULT_RULES, maxActive: 2, cancelCutoffHours: 4 };
    const res = await admin.put(`/hospitals/${hospitalId}/rules`, rules);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ rulesCustomised: true, rules: { maxActive: 2, cancelCutoffHours: 4 } });
    const [entry] = await audits('rules.update');
    expect(entry).toMatchObject({ hospitalId, targetId: hospitalId, role: 'hospital_admin' });
    expect(JSON.parse(entry.details!)).toEqual({
      before: { cancelCutoffHours: 2, maxActive: 5 },
      after: { cancelCutoffHours: 4, maxActive: 2 },
    });
    // The next booking sees the new limit of two active bookings.
    const { session, patientIds } = await accountWithPatients(p, 3);
    const byDoctor = [...new Map(slots.map((s) => [s.doctorId, s])).values()];
    await book(p, session, byDoctor[0].id, patientIds[0]).expect(201);
    await book(p, session, byDoctor[1].id, patientIds[1]).expect(201);
    const third = await book(p, session, byDoctor[2].id, patientIds[2]);
    expect(third.body.error.code).toBe('TOO_MANY_ACTIVE');
    await BookingRule.destroy({ where: { hospitalId } });
  });

  it('refuses rules that make no sense, naming the fields, in Chinese', async () => {
    const res = await admin.put(`/hospitals/${hospitalId}/rules`, {
      ...DEFAULT_RULES,
      releaseTime: '17:00',
      stopTime: '16:00',
      windowDays: 1,
      cancelCutoffHours: 48,
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details.fields).toEqual([
      { path: 'body.releaseTime', message: '放号时间必须早于停挂时间' },
      { path: 'body.cancelCutoffHours', message: '退号截止（48小时）不能超过预约周期（1天）' },
    ]);
    const wrongType = await admin.put(`/hospitals/${hospitalId}/rules`, { ...DEFAULT_RULES, windowDays: '7' });
    expect(wrongType.body.error.details.fields[0]).toEqual({
      path: 'body.windowDays',
      message: '预约周期（天）应为整数',
    });
  });
});

describe('排班与号源', () => {
  it('shows a department’s sessions with capacity, booked, remaining and waitlist', async () => {
    const slot = (await Slot.findByPk(slots[0].id))!;
    const res = await admin.get(`/departments/${slot.departmentId}/schedule?date=${slot.date}`);
    expect(res.status).toBe(200);
    const doc = res.body.doctors.find((d: { doctor: { id: string } }) => d.doctor.id === slot.doctorId);
    const session = doc.sessions.find((s: { period: string }) => s.period === slot.period);
    expect(session).toMatchObject({ capacity: expect.any(Number), booked: expect.any(Number), stopped: false });
    expect(session.remaining).toBe(session.slots.reduce((n: number, s: { remaining: number }) => n + s.remaining, 0));
  });

  it('加号 adds seats that go to the waitlist first, survive the HIS sync, and are audited', async () => {
    const slot = (await Slot.findByPk((await openSlot()).id))!;
    const a = await accountWithPatients(p);
    const b = await accountWithPatients(p);
    await book(p, a.session, slot.id, a.patientIds[0]).expect(201);
    await Slot.update({ capacity: 1 }, { where: { id: slot.id } });
    const his = { capacity: slot.capacity };
    await p.api
      .post('/api/v1/waitlist')
      .set(b.session.auth)
      .send({ slotId: slot.id, patientId: b.patientIds[0] })
      .expect(201);
    const res = await admin.post(`/slots/${slot.id}/capacity`, { count: 2, reason: '专家加号' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ promoted: 1, slot: { capacity: 3, addedCapacity: 2, booked: 2, remaining: 1 } });
    const entry = (await p.api.get('/api/v1/waitlist').set(b.session.auth)).body.items[0];
    expect(entry.status).toBe('granted');
    // The hospital's next schedule answer keeps the added seats on top of its own count.
    const hospital = (await Hospital.findByPk(hospitalId))!;
    await (p.services.slots as unknown as { sync(h: Hospital): Promise<void> }).sync(hospital);
    expect((await Slot.findByPk(slot.id))!.capacity).toBe(his.capacity + 2);
    const [audit] = await audits('schedule.add_capacity');
    expect(JSON.parse(audit.details!)).toMatchObject({ added: 2, capacityBefore: 1, capacityAfter: 3, promoted: 1 });
    expect(audit).toMatchObject({ targetId: slot.id, hospitalId, username: expect.any(String) });
    const bad = await admin.post(`/slots/${slot.id}/capacity`, { count: 0, reason: '' });
    expect(bad.body.error.details.fields.map((f: { path: string }) => f.path)).toEqual(['body.count', 'body.reason']);
  });

  it('停诊 cancels exactly the session’s appointments with the reason, ends its waitlist, and writes an event per patient', async () => {
    // A doctor's session with at least two slots, and another session of the same doctor that must stay untouched.
    const groups = new Map<string, SlotView[]>();
    for (const s of slots)
      groups.set(`${s.doctorId}|${s.date}|${s.period}`, [
        ...(groups.get(`${s.doctorId}|${s.date}|${s.period}`) ?? []),
        s,
      ]);
    const [key, session] = [...groups].find(
      ([k, list]) => list.length >= 2 && [...groups.keys()].some((o) => o !== k && o.startsWith(k.split('|')[0])),
    )!;
    const [doctorId, date, period] = key.split('|') as [string, string, 'am' | 'pm'];
    const elsewhere = [...groups].find(([k]) => k !== key && k.startsWith(doctorId))![1][0];
    const [s1, s2] = session;
    const { session: acct, patientIds } = await accountWithPatients(p, 4);
    const a1 = (await book(p, acct, s1.id, patientIds[0]).expect(201)).body;
    const a2 = (await book(p, acct, s2.id, patientIds[1]).expect(201)).body;
    const kept = (await book(p, acct, elsewhere.id, patientIds[2]).expect(201)).body;
    const cancelledBefore = (await book(p, acct, s2.id, patientIds[3]).expect(201)).body;
    await p.api.post(`/api/v1/appointments/${cancelledBefore.id}/cancel`).set(acct.auth).expect(200);
    await Slot.update({ capacity: (await Slot.findByPk(s1.id))!.booked }, { where: { id: s1.id } });
    const waiter = await accountWithPatients(p);
    const wait = await p.api
      .post('/api/v1/waitlist')
      .set(waiter.session.auth)
      .send({ slotId: s1.id, patientId: waiter.patientIds[0] });
    expect(wait.status).toBe(201);
    const sessionSlots = (await Slot.findAll({ where: { doctorId, date, period } })).map((x) => x.id);
    const bookedBefore = await Appointment.count({ where: { slotId: sessionSlots, status: 'booked' } });
    expect(bookedBefore).toBeGreaterThanOrEqual(2);

    const res = await admin.post('/sessions/stop', { doctorId, date, period, reason: '专家外出会诊' });
    expect(res.status).toBe(200);
    expect(res.body.cancelled).toBe(bookedBefore);
    expect(res.body.appointmentIds).toEqual(expect.arrayContaining([a1.id, a2.id]));
    expect(res.body.appointmentIds).not.toContain(cancelledBefore.id);

    const mine = (await p.api.get('/api/v1/appointments').set(acct.auth)).body.items;
    const byId = new Map(mine.map((a: { id: string }) => [a.id, a]));
    for (const id of [a1.id, a2.id]) {
      expect(byId.get(id)).toMatchObject({ status: 'cancelled', cancelReason: '医生停诊：专家外出会诊' });
    }
    expect(byId.get(kept.id)).toMatchObject({ status: 'booked' });
    expect(byId.get(cancelledBefore.id)).toMatchObject({ status: 'cancelled', cancelReason: '患者取消' });
    const stopped = await Slot.findAll({ where: { doctorId, date, period } });
    expect(stopped.every((s) => s.closed && s.booked === 0)).toBe(true);
    expect((await Slot.findByPk(elsewhere.id))!.closed).toBe(false);
    const waitEntry = await WaitlistEntry.findByPk(wait.body.id);
    expect(waitEntry).toMatchObject({ status: 'expired', endReason: '医生停诊：专家外出会诊' });
    const events = await DomainEvent.findAll({
      where: { type: 'booking.cancelled_by_hospital', aggregateId: res.body.appointmentIds },
    });
    expect(events).toHaveLength(bookedBefore);
    expect(new Set(events.map((e) => e.aggregateId)).size).toBe(bookedBefore);
    const [audit] = await audits('schedule.stop');
    expect(JSON.parse(audit.details!)).toMatchObject({ reason: '专家外出会诊', cancelled: bookedBefore });

    const again = await admin.post('/sessions/stop', { doctorId, date, period, reason: '专家外出会诊' });
    expect(again.body.error.code).toBe('NOTHING_TO_STOP');
    const closedAdd = await admin.post(`/slots/${s1.id}/capacity`, { count: 1, reason: '加号一个' });
    expect(closedAdd.body.error.code).toBe('SLOT_CLOSED');
  });
});

describe('预约管理', () => {
  it('finds appointments by booking code with the patient masked, and audits the read', async () => {
    const { session, patientIds } = await accountWithPatients(p);
    const apt = (await book(p, session, (await openSlot()).id, patientIds[0]).expect(201)).body;
    const res = await admin.get(`/appointments?bookingCode=${apt.bookingCode.toLowerCase()}`);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({
      id: apt.id,
      patient: {
        name: '测*甲',
        idNumber: expect.stringMatching(/^\d{3}\*+\d{3}[\dX]$/),
        phone: expect.stringContaining('****'),
      },
    });
    const [audit] = (await audits('appointment.search')).slice(-1);
    expect(JSON.parse(audit.details!)).toEqual({ filters: ['bookingCode'], results: 1 });
    expect(audit.details).not.toContain(apt.bookingCode);
  });

  it('marks check-in and completion on the day, and a no-show that counts toward suspension', async () => {
    const { session, patientIds } = await accountWithPatients(p);
    const slot = await openSlot();
    const apt = (await book(p, session, slot.id, patientIds[0]).expect(201)).body;
    const early = await admin.post(`/appointments/${apt.id}/status`, { status: 'no_show' });
    expect(early.body.error.code).toBe('TOO_EARLY');
    const notToday = await admin.post(`/appointments/${apt.id}/status`, { status: 'checked_in' });
    expect(notToday.body.error.code).toBe(apt.slot.date === shanghaiDate() ? undefined : 'NOT_TODAY');
    // Move it into the past, as if the session had started.
    await Slot.update({ startAt: new Date(Date.now() - 3_600_000) }, { where: { id: slot.id } });
    const noShow = await admin.post(`/appointments/${apt.id}/status`, { status: 'no_show' });
    expect(noShow.body.status).toBe('no_show');
    const completed = await admin.post(`/appointments/${apt.id}/status`, { status: 'completed' });
    expect(completed.body.error.code).toBe('STATUS_NOT_ALLOWED');
    const strict = { ...DEFAULT_RULES, noShowLimit: 1 };
    expect(await suspendedUntil(p.db.sql, patientIds[0], strict)).not.toBeNull();
    expect(await Appointment.count({ where: { id: apt.id, status: 'no_show' } })).toBe(1);
  });

  it('a desk check-in is the patient check-in: the time is kept and the hospital is asked for the queue number', async () => {
    const { session, patientIds } = await accountWithPatients(p);
    const slot = await openSlot();
    const apt = (await book(p, session, slot.id, patientIds[0]).expect(201)).body;
    await Appointment.update({ date: shanghaiDate() }, { where: { id: apt.id } });
    const marked = await admin.post(`/appointments/${apt.id}/status`, { status: 'checked_in' });
    expect(marked.body).toMatchObject({ status: 'checked_in' });
    const row = await p.db.sql.one<{ at: unknown; jobs: number }>(
      `SELECT a.checked_in_at AS "at", (SELECT COUNT(*) FROM outbox o WHERE o.aggregate_id = a.id AND o.kind = 'his.check_in') AS "jobs"
       FROM appointments a WHERE a.id = ?`,
      [apt.id],
    );
    expect(row!.at).not.toBeNull();
    expect(Number(row!.jobs)).toBe(1);
    // The patient's own check-in afterwards answers the same check-in, not an error.
    const again = await p.api.post(`/api/v1/appointments/${apt.id}/check-in`).set(session.auth);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ appointmentId: apt.id, status: 'checked_in' });
  });
});

describe('审计日志', () => {
  it('cannot be updated or deleted through the application, on any path', async () => {
    const [row] = await AuditEvent.findAll({ limit: 1 });
    const action = row.action;
    await refused(row.update({ action: 'forged' }));
    await refused(AuditEvent.destroy({ where: { id: row.id } }));
    await refused(p.db.writeSql((sql) => sql.run("UPDATE audit_events SET action = 'forged' WHERE id = ?", [row.id])));
    await refused(p.db.writeSql((sql) => sql.run('DELETE FROM audit_events')));
    const again = await AuditEvent.findByPk(row.id);
    expect(again!.action).toBe(action);
  });

  it('is read, filtered and exported as CSV by platform admins; the export is audited', async () => {
    const list = await platform.get(`/audit-events?action=schedule.&hospitalId=${hospitalId}`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((e: { action: string }) => e.action).sort()).toEqual([
      'schedule.add_capacity',
      'schedule.stop',
    ]);
    expect(list.body.items[0]).toMatchObject({
      hospitalName: expect.any(String),
      ip: expect.any(String),
      requestId: expect.any(String),
    });
    const csv = await platform.get('/audit-events/export?action=rules.');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="audit-/);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('时间,账号,角色,操作,对象类型,对象ID,医院,IP,请求ID,详情');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(await AuditEvent.count({ where: { action: 'audit.export' } })).toBe(1);
    expect((await admin.get('/audit-events')).status).toBe(403);
  });

  it('lets a platform admin retry a dead letter, audited', async () => {
    const job = await p.db.sql.one<{ id: string }>('SELECT id FROM outbox ORDER BY created_at LIMIT 1');
    await p.db.writeSql((sql) =>
      sql.run('UPDATE outbox SET dead_at = ?, done_at = NULL WHERE id = ?', [new Date(), job!.id]),
    );
    const dash = (await platform.get('/dashboard')).body;
    expect(dash.outbox.deadLetters.map((d: { id: string }) => d.id)).toContain(job!.id);
    const res = await platform.post(`/outbox/${job!.id}/retry`);
    expect(res.body).toEqual({ retried: true });
    expect((await platform.post(`/outbox/${job!.id}/retry`)).body.error.code).toBe('NOT_DEAD');
    expect(await AuditEvent.count({ where: { action: 'outbox.retry', targetId: job!.id } })).toBe(1);
    expect(await AuditEvent.count({ where: { action: { [Op.like]: 'outbox.%' } } })).toBe(1);
  });
});

describe('仪表盘', () => {
  it('counts today’s bookings, cancellations and waitlist per hospital, with HIS health and 14 days', async () => {
    const res = await admin.get('/dashboard');
    expect(res.status).toBe(200);
    const [row] = res.body.hospitals;
    const made = await Appointment.count({ where: { hospitalId } });
    expect(row.bookings).toBe(made);
    expect(row.cancellations).toBeGreaterThanOrEqual(3);
    expect(row.his).toMatchObject({ status: 'online', calls: expect.any(Number) });
    expect(res.body.daily).toHaveLength(14);
    expect(res.body.daily[13]).toMatchObject({ date: shanghaiDate(), bookings: made });
  });
});
