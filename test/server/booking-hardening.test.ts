import axios from 'axios';
import { Appointment, DomainEvent, Slot, WaitlistEntry } from '../../server/src/modules/booking/models';
import { Doctor, Hospital } from '../../server/src/modules/hospitals/models';
import { targetOf } from '../../server/src/modules/hospitals/sync';
import { DEFAULT_RULES } from '../../server/src/modules/booking/rules';
import { HIS_CANCEL_BOOKING, HIS_CONFIRM_BOOKING } from '../../server/src/modules/booking/his-jobs';
import { BatchWriter } from '../../server/src/modules/booking/writer';
import { enqueue } from '../../server/src/outbox/jobs';
import { accountWithPatients, book, openSlots, type SlotView, slotPicker } from '../support/booking';
import { jobsOf, makeDue, newWorker } from '../support/outbox';
import { startTestPlatform, type TestPlatform } from '../support/platform';

let p: TestPlatform;
let slots: SlotView[];
/** A fresh open slot of another doctor each time. */
let freshSlot: () => SlotView;
const sim = () => axios.create({ baseURL: p.sims.his.url });
const hospitalOf = async (slotId: string) => (await Hospital.findByPk((await Slot.findByPk(slotId))!.hospitalId))!;
const simBookings = async (code: string) =>
  (await sim().get(`/__sim/hospitals/${code}/bookings`)).data.items as Array<{ id: string; status: string }>;
const events = async (aggregateId: string) =>
  (await DomainEvent.findAll({ where: { aggregateId }, order: [['createdAt', 'ASC']] })).map((e) => e.type);
/** Runs a fresh worker until nothing is due (jobs of one appointment run one after another). */
const drainOutbox = async () => {
  const worker = newWorker(p);
  for (let i = 0; i < 5 && (await worker.runOnce()) > 0; i++);
};
const waitlist = (s: { auth: Record<string, string> }, slotId: string, patientId: string) =>
  p.api.post('/api/v1/waitlist').set(s.auth).send({ slotId, patientId });

beforeAll(async () => {
  p = await startTestPlatform({ env: { RATE_BOOKING_PER_ACCOUNT_PER_MINUTE: '1000', OUTBOX_MAX_ATTEMPTS: '3' } });
  slots = [...(await openSlots(p, 3)), ...(await openSlots(p, 4))];
  freshSlot = slotPicker(slots);
});
afterAll(() => p.close());

describe('the hospital link', () => {
  it('a cancellation waits for its confirmation, then cancels the booking the hospital made even if our record of it was lost', async () => {
    const { session, patientIds } = await accountWithPatients(p);
    const slot = freshSlot();
    const h = await hospitalOf(slot.id);
    const apt = (await book(p, session, slot.id, patientIds[0])).body;
    // The confirmation reaches the hospital, but our update is lost (as if the process died before committing).
    const { hisBookingId } = await p.his.confirmBooking(targetOf(h, p.services.cipher), {
      idempotencyKey: apt.id,
      slotCode: (await Slot.findByPk(slot.id))!.hisCode,
      patient: { name: '测试甲', idNumber: 'x', phone: 'y' },
    });
    await p.api.post(`/api/v1/appointments/${apt.id}/cancel`).set(session.auth).expect(200);
    expect((await jobsOf(p.db, apt.id)).map((j) => j.kind)).toEqual([HIS_CONFIRM_BOOKING, HIS_CANCEL_BOOKING]);

    // One run: the cancellation is not due while the confirmation is open (ordered per appointment).
    await newWorker(p).runOnce();
    const [confirm, cancel] = await jobsOf(p.db, apt.id);
    expect(confirm.doneAt).not.toBeNull();
    expect(cancel.doneAt).toBeNull();
    await newWorker(p).runOnce();
    expect((await jobsOf(p.db, apt.id)).every((j) => j.doneAt)).toBe(true);
    // The hospital's booking is cancelled, found by the idempotency key: no orphan.
    expect((await simBookings(h.code)).find((b) => b.id === hisBookingId)!.status).toBe('cancelled');
  });

  it('only a documented refusal cancels a booking; a misconfigured hospital is an outage and the booking stays', async () => {
    const { session, patientIds } = await accountWithPatients(p);
    const slot = freshSlot();
    const h = await hospitalOf(slot.id);
    const apt = (await book(p, session, slot.id, patientIds[0])).body;
    await sim().put(`/__sim/hospitals/${h.code}/answer-fault`, { status: 401, body: { code: 'UNAUTHORIZED' } });
    try {
      await newWorker(p).runOnce();
    } finally {
      await sim().put(`/__sim/hospitals/${h.code}/answer-fault`, {});
    }
    expect((await Appointment.findByPk(apt.id))!).toMatchObject({ status: 'booked', hisStatus: 'pending' });
    const [job] = await jobsOf(p.db, apt.id);
    expect(job).toMatchObject({ attempts: 1, doneAt: null, deadAt: null });
    expect(job.lastError).toContain('status 401');
  });

  it('dead-letters a job after its last attempt, keeps delivering the others, and lets an admin retry it', async () => {
    const { session, patientIds } = await accountWithPatients(p, 2);
    const [s1, s2] = [freshSlot(), freshSlot()];
    const h = await hospitalOf(s1.id);
    const doomed = (await book(p, session, s1.id, patientIds[0])).body;
    const fine = (await book(p, session, s2.id, patientIds[1])).body;
    // A job whose appointment does not exist is bad data: dead at once, and it stops nothing.
    await p.db.writeSql((sql) => enqueue(sql, [{ kind: HIS_CONFIRM_BOOKING, aggregateId: 'apt_missing' }]));
    await p.setFaults(h.code, { errorRate: 1 });
    const worker = newWorker(p, 3);
    try {
      for (let i = 0; i < 3; i++) {
        await makeDue(p.db, doomed.id);
        await worker.runOnce();
      }
    } finally {
      await p.setFaults(h.code, {});
    }
    const [job] = await jobsOf(p.db, doomed.id);
    expect(job).toMatchObject({ attempts: 3, doneAt: null });
    expect(job.deadAt).not.toBeNull();
    expect(job.lastError).toContain('HisUnavailableError');
    const dead = await worker.deadLetters();
    expect(dead.map((d) => d.aggregateId)).toEqual(expect.arrayContaining([doomed.id, 'apt_missing']));
    expect(dead.find((d) => d.aggregateId === 'apt_missing')!.lastError).toContain('appointment not found');
    // The other hospital's booking went through meanwhile (it may share SH00x with the doomed one).
    await makeDue(p.db, fine.id);
    await worker.runOnce();
    expect((await Appointment.findByPk(fine.id))!.hisStatus).toBe('confirmed');

    // The admin retries the dead letter once the hospital is back: it is delivered.
    expect(await worker.retry(job.id)).toBe(true);
    expect(await worker.retry(job.id)).toBe(false);
    await newWorker(p).runOnce();
    expect((await Appointment.findByPk(doomed.id))!.hisStatus).toBe('confirmed');
  });
});

describe('erasure', () => {
  it('deleting a patient cancels their future appointments, frees the seats, tells the hospital and leaves waitlists', async () => {
    const owner = await accountWithPatients(p, 2);
    const slot = freshSlot();
    const full = freshSlot();
    const h = await hospitalOf(slot.id);
    const apt = (await book(p, owner.session, slot.id, owner.patientIds[1])).body;
    await newWorker(p).runOnce(); // confirmed at the hospital
    const { hisBookingId } = (await Appointment.findByPk(apt.id))!;
    await Slot.update({ capacity: 0 }, { where: { id: full.id } });
    const entry = (await waitlist(owner.session, full.id, owner.patientIds[1])).body;
    const bookedBefore = (await Slot.findByPk(slot.id))!.booked;

    await p.api.delete(`/api/v1/patients/${owner.patientIds[1]}`).set(owner.session.auth).expect(204);
    expect(await events(apt.id)).toContain('booking.cancelled');
    expect((await Appointment.findByPk(apt.id))!).toMatchObject({
      status: 'cancelled',
      cancelReason: '就诊人信息已删除',
    });
    expect((await Slot.findByPk(slot.id))!.booked).toBe(bookedBefore - 1);
    expect((await WaitlistEntry.findByPk(entry.id))!.status).toBe('cancelled');
    await drainOutbox();
    expect((await simBookings(h.code)).find((b) => b.id === hisBookingId)!.status).toBe('cancelled');
    expect((await jobsOf(p.db, apt.id)).every((j) => j.doneAt && !j.deadAt)).toBe(true);
  });

  it('deleting the account cancels every future appointment of every patient, even one the hospital never confirmed', async () => {
    const owner = await accountWithPatients(p, 2);
    const [s1, s2] = [freshSlot(), freshSlot()];
    const a1 = (await book(p, owner.session, s1.id, owner.patientIds[0])).body;
    const a2 = (await book(p, owner.session, s2.id, owner.patientIds[1])).body;
    await p.api.delete('/api/v1/me').set(owner.session.auth).expect(204);
    for (const id of [a1.id, a2.id]) expect((await Appointment.findByPk(id))!.status).toBe('cancelled');
    // The confirmation is not sent for a cancelled booking, and nothing decrypts an erased ID number;
    // each cancellation runs once its confirmation has resolved (a second run).
    await drainOutbox();
    for (const id of [a1.id, a2.id]) {
      const jobs = await jobsOf(p.db, id);
      expect(jobs.every((j) => j.doneAt && !j.deadAt)).toBe(true);
    }
  });
});

describe('waitlist promotion follows the booking rules', () => {
  it('skips a waiting patient who withdrew consent, and gives the seat to the next one', async () => {
    const holder = await accountWithPatients(p);
    const a = await accountWithPatients(p);
    const b = await accountWithPatients(p);
    const slot = freshSlot();
    await Slot.update({ capacity: 1 }, { where: { id: slot.id } });
    const held = (await book(p, holder.session, slot.id, holder.patientIds[0])).body;
    const first = (await waitlist(a.session, slot.id, a.patientIds[0])).body;
    const second = (await waitlist(b.session, slot.id, b.patientIds[0])).body;
    await p.api.delete('/api/v1/me/consents/health_data').set(a.session.auth).expect(204);

    await p.api.post(`/api/v1/appointments/${held.id}/cancel`).set(holder.session.auth).expect(200);
    expect((await WaitlistEntry.findByPk(first.id))!).toMatchObject({
      status: 'expired',
      endReason: '未同意最新的健康信息授权',
    });
    const granted = (await WaitlistEntry.findByPk(second.id))!;
    expect(granted.status).toBe('granted');
    expect(await events(granted.appointmentId!)).toEqual(['booking.created', 'waitlist.granted']);
  });

  it('gives seats to the waitlist when the hospital raises a slot capacity', async () => {
    const holder = await accountWithPatients(p);
    const a = await accountWithPatients(p);
    const slot = freshSlot();
    const row = (await Slot.findByPk(slot.id))!;
    await Slot.update({ capacity: row.booked + 1 }, { where: { id: slot.id } });
    await book(p, holder.session, slot.id, holder.patientIds[0]).expect(201);
    const entry = (await waitlist(a.session, slot.id, a.patientIds[0])).body;
    expect(entry.status).toBe('waiting');
    // The next sync sees the hospital's own, larger capacity.
    await Hospital.update({ slotsSyncedAt: null }, { where: { id: row.hospitalId } });
    await p.api.get(`/api/v1/doctors/${slot.doctorId}/slots`).expect(200);
    expect((await WaitlistEntry.findByPk(entry.id))!.status).toBe('granted');
  });

  it('leaving and promotion cannot both win', async () => {
    const holder = await accountWithPatients(p);
    const a = await accountWithPatients(p);
    const slot = freshSlot();
    await Slot.update({ capacity: 1 }, { where: { id: slot.id } });
    const held = (await book(p, holder.session, slot.id, holder.patientIds[0])).body;
    const entry = (await waitlist(a.session, slot.id, a.patientIds[0])).body;
    const [left, cancelled] = await Promise.all([
      p.api.delete(`/api/v1/waitlist/${entry.id}`).set(a.session.auth),
      p.api.post(`/api/v1/appointments/${held.id}/cancel`).set(holder.session.auth),
    ]);
    expect(cancelled.status).toBe(200);
    const final = (await WaitlistEntry.findByPk(entry.id))!;
    if (left.status === 204) expect(final.status).toBe('cancelled');
    else {
      expect(left.body.error.code).toBe('NOT_WAITING');
      expect(final.status).toBe('granted');
    }
    const active = await Appointment.count({ where: { patientId: a.patientIds[0], status: 'booked' } });
    expect(active).toBe(final.status === 'granted' ? 1 : 0);
  });
});

describe('schedule sync', () => {
  const resync = async (hospitalId: string, doctorId: string) => {
    await Hospital.update({ slotsSyncedAt: null }, { where: { id: hospitalId } });
    await p.api.get(`/api/v1/doctors/${doctorId}/slots`).expect(200);
  };

  it('keeps every slot when a hospital answers with an empty or shrunken schedule, and notes the anomaly', async () => {
    const slot = freshSlot();
    const h = await hospitalOf(slot.id);
    const open = await Slot.count({ where: { hospitalId: h.id, closed: false } });
    for (const mode of ['empty', 'half']) {
      await sim().put(`/__sim/hospitals/${h.code}/schedule-fault`, { mode });
      try {
        await resync(h.id, slot.doctorId);
      } finally {
        await sim().put(`/__sim/hospitals/${h.code}/schedule-fault`, {});
      }
      expect(await Slot.count({ where: { hospitalId: h.id, closed: false } })).toBe(open);
      expect((await Hospital.findByPk(h.id))!.scheduleAnomaly).toMatch(/排班数据异常/);
    }
    await resync(h.id, slot.doctorId);
    expect((await Hospital.findByPk(h.id))!.scheduleAnomaly).toBeNull();
  });

  it('closes a session only when the hospital stops it, cancelling its appointments with the reason', async () => {
    const { session, patientIds } = await accountWithPatients(p);
    const slot = freshSlot();
    const row = (await Slot.findByPk(slot.id))!;
    const h = await hospitalOf(slot.id);
    const apt = (await book(p, session, slot.id, patientIds[0])).body;
    const doctorCode = (await Doctor.findByPk(slot.doctorId))!.hisCode;
    await sim().put(`/__sim/hospitals/${h.code}/sessions/stop`, {
      doctorCode,
      date: row.date,
      period: row.period,
      reason: '专家外出会诊',
    });
    try {
      await resync(h.id, slot.doctorId);
    } finally {
      await sim().post('/__sim/reset');
    }
    expect((await Slot.findByPk(slot.id))!.closed).toBe(true);
    const after = (await p.api.get(`/api/v1/appointments/${apt.id}`).set(session.auth)).body;
    expect(after).toMatchObject({ status: 'cancelled', cancelReason: '医生停诊：专家外出会诊' });
    expect(await events(apt.id)).toContain('booking.cancelled_by_hospital');
    // The hospital stopped it itself: nothing is sent back to cancel.
    expect((await jobsOf(p.db, apt.id)).map((j) => j.kind)).toEqual([HIS_CONFIRM_BOOKING]);
  });
});

describe('a bounded booking queue', () => {
  it('answers 503 BUSY with Retry-After when the writer queue is full, and never waits without bound', async () => {
    const writer = new BatchWriter(p.db, 2);
    const { session, patientIds } = await accountWithPatients(p, 4);
    const row = (await Slot.findByPk(freshSlot().id))!;
    await row.update({ capacity: 100 });
    const request = (patientId: string) => ({
      userId: session.userId,
      patientId,
      slot: { id: row.id, doctorId: row.doctorId, hospitalId: row.hospitalId, date: row.date, feeFen: row.feeFen },
      rules: DEFAULT_RULES,
    });
    // One batch is being written and two wait: the fourth is refused at once.
    const results = await Promise.allSettled(patientIds.map((id) => writer.submit(request(id))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    expect((results[3] as PromiseRejectedResult).reason).toMatchObject({ status: 503, code: 'BUSY' });
    await writer.idle();

    // Over HTTP: the same error with Retry-After.
    const small = new BatchWriter(p.db, 0);
    const original = (p.services.booking as unknown as { d: { writer: BatchWriter } }).d.writer;
    (p.services.booking as unknown as { d: { writer: BatchWriter } }).d.writer = small;
    try {
      const res = await book(p, session, freshSlot().id, patientIds[0]);
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('BUSY');
      expect(res.headers['retry-after']).toBe('2');
    } finally {
      (p.services.booking as unknown as { d: { writer: BatchWriter } }).d.writer = original;
    }
  });
});
