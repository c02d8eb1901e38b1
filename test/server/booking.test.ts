import axios from 'axios';
import { Op } from 'sequelize';
import { Appointment, BookingRule, DomainEvent, Slot } from '../../server/src/modules/booking/models';
import { jobsOf, makeDue, newWorker } from '../support/outbox';
import { Hospital } from '../../server/src/modules/hospitals/models';
import { DEFAULT_RULES } from '../../server/src/modules/booking/rules';
import { accountWithPatients, book, newKey, openSlots, type SlotView, slotPicker } from '../support/booking';
import { startTestPlatform, type TestPlatform } from '../support/platform';

let p: TestPlatform;
let slots: SlotView[];
/** A fresh open slot of another doctor each time. */
let freshSlot: () => SlotView;

beforeAll(async () => {
  p = await startTestPlatform({ env: { RATE_BOOKING_PER_ACCOUNT_PER_MINUTE: '1000' } });
  slots = [...(await openSlots(p, 0)), ...(await openSlots(p, 1))];
  freshSlot = slotPicker(slots);
});
afterAll(() => p.close());

const hospitalOf = async (slotId: string) => (await Hospital.findByPk((await Slot.findByPk(slotId))!.hospitalId))!;
const setRules = async (slotId: string, rules: Partial<typeof DEFAULT_RULES>) => {
  const h = await hospitalOf(slotId);
  await BookingRule.upsert({ hospitalId: h.id, ...DEFAULT_RULES, ...rules });
  return () => BookingRule.destroy({ where: { hospitalId: h.id } });
};
const events = async (aggregateId: string) =>
  (await DomainEvent.findAll({ where: { aggregateId }, order: [['createdAt', 'ASC']] })).map((e) => e.type);

describe('slots', () => {
  it('lists a doctor’s timed slots with fee in fen, remaining seats and status', async () => {
    const s = slots[0];
    expect(s).toMatchObject({ period: expect.stringMatching(/^(am|pm)$/), feeFen: expect.any(Number), status: 'open' });
    expect(new Date(s.startAt).getTime()).toBeGreaterThan(Date.now());
    expect(s.startAt).toMatch(/\+08:00$/);
    const all = (await p.api.get(`/api/v1/doctors/${s.doctorId}/slots`)).body.items;
    for (const x of all)
      expect(new Date(x.endAt).getTime() - new Date(x.startAt).getTime()).toBeLessThanOrEqual(30 * 60_000);
  });

  it('shows a department’s doctors with sessions and remaining counts for a date', async () => {
    const slot = (await Slot.findByPk(slots[0].id))!;
    const res = await p.api.get(`/api/v1/departments/${slot.departmentId}/schedule?date=${slot.date}`);
    expect(res.status).toBe(200);
    const doc = res.body.doctors.find((d: { doctor: { id: string } }) => d.doctor.id === slot.doctorId);
    expect(doc.sessions[0]).toMatchObject({ period: slot.period, remaining: expect.any(Number), status: 'open' });
    expect(res.body.dates).toHaveLength(DEFAULT_RULES.windowDays + 1);
    expect((await p.api.get(`/api/v1/departments/${slot.departmentId}/schedule?date=tomorrow`)).status).toBe(422);
  });
});

describe('booking', () => {
  it('books a seat, confirms it with the hospital through the outbox, and records events', async () => {
    const { session, patientIds } = await accountWithPatients(p);
    const slot = freshSlot();
    const res = await book(p, session, slot.id, patientIds[0]);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'booked',
      bookingCode: expect.stringMatching(/^[0-9A-Z]{8}$/),
      hospitalConfirmation: 'pending',
      feeFen: slot.feeFen,
      slot: { id: slot.id },
      patient: { id: patientIds[0], idNumber: expect.stringContaining('***') },
      cancellable: true,
    });
    const after = (await p.api.get(`/api/v1/doctors/${slot.doctorId}/slots`)).body.items.find(
      (x: SlotView) => x.id === slot.id,
    );
    expect(after.remaining).toBe(slot.remaining - 1);

    await p.services.outbox.runOnce();
    const confirmed = (await p.api.get(`/api/v1/appointments/${res.body.id}`).set(session.auth)).body;
    expect(confirmed.hospitalConfirmation).toBe('confirmed');
    expect(await events(res.body.id)).toEqual(['booking.created', 'booking.confirmed']);
    const h = await hospitalOf(slot.id);
    const atHospital = (await axios.get(`${p.sims.his.url}/__sim/hospitals/${h.code}/bookings`)).data.items;
    const hisCode = (await Slot.findByPk(slot.id))!.hisCode;
    expect(atHospital).toContainEqual(expect.objectContaining({ slotCode: hisCode, status: 'booked' }));
  });

  it('returns the first result for a repeated Idempotency-Key and never books twice', async () => {
    const { session, patientIds } = await accountWithPatients(p);
    const slot = freshSlot();
    const key = newKey();
    const first = await book(p, session, slot.id, patientIds[0], key);
    const again = await book(p, session, slot.id, patientIds[0], key);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect(await Appointment.count({ where: { patientId: patientIds[0] } })).toBe(1);
    const other = await book(p, session, freshSlot().id, patientIds[0], key);
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const none = await p.api
      .post('/api/v1/appointments')
      .set(session.auth)
      .send({ slotId: slot.id, patientId: patientIds[0] });
    expect(none.status).toBe(422);
    expect(none.body.error.details.fields[0].path).toBe('headers.idempotency-key');
  });

  it('refuses a second booking for the same patient, doctor and day', async () => {
    const { session, patientIds } = await accountWithPatients(p);
    const slot = freshSlot();
    // Another slot of the same doctor on the same day: a different seat, the same rule.
    const sameDay = slots.find((s) => s.doctorId === slot.doctorId && s.date === slot.date && s.id !== slot.id);
    expect(sameDay).toBeDefined();
    await book(p, session, slot.id, patientIds[0]).expect(201);
    const res = await book(p, session, sameDay!.id, patientIds[0]);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('DUPLICATE_BOOKING');
  });

  it('answers SLOT_FULL, NOT_RELEASED and BOOKING_CLOSED with 409', async () => {
    const { session, patientIds } = await accountWithPatients(p);
    const full = freshSlot();
    await Slot.update({ capacity: 0 }, { where: { id: full.id } });
    expect((await book(p, session, full.id, patientIds[0])).body.error.code).toBe('SLOT_FULL');

    const later = freshSlot();
    const reset = await setRules(later.id, { windowDays: 0 });
    try {
      const res = await book(p, session, later.id, patientIds[0]);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('NOT_RELEASED');
    } finally {
      await reset();
    }

    const closed = freshSlot();
    await Slot.update({ closed: true }, { where: { id: closed.id } });
    expect((await book(p, session, closed.id, patientIds[0])).body.error.code).toBe('BOOKING_CLOSED');
  });

  it('lets only verified patients book', async () => {
    const { session, patientIds } = await accountWithPatients(p);
    const { Patient } = await import('../../server/src/modules/patients/models');
    await Patient.update({ verificationStatus: 'rejected' }, { where: { id: patientIds[0] } });
    const res = await book(p, session, freshSlot().id, patientIds[0]);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('PATIENT_NOT_VERIFIED');
  });

  it('suspends booking after 3 no-shows in 90 days', async () => {
    const { session, patientIds } = await accountWithPatients(p);
    const slot = freshSlot();
    const past = (await Slot.findByPk(slots[0].id))!;
    for (let i = 0; i < 3; i++) {
      await Appointment.create({
        id: `apt_noshow_${patientIds[0].slice(-8)}_${i}`,
        userId: session.userId,
        patientId: patientIds[0],
        slotId: past.id,
        doctorId: past.doctorId,
        hospitalId: past.hospitalId,
        date: `2026-0${i + 1}-01`,
        status: 'no_show',
        bookingCode: 'NOSHOW00',
        feeFen: 0,
        hisStatus: 'confirmed',
      });
    }
    const res = await book(p, session, slot.id, patientIds[0]);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('BOOKING_SUSPENDED');
    expect(res.body.error.message).toMatch(/暂停预约至\d{4}-\d{2}-\d{2}/);
  });

  it('limits active appointments per account', async () => {
    const { session, patientIds } = await accountWithPatients(p, 2);
    const a = freshSlot();
    const rowA = (await Slot.findByPk(a.id))!;
    const sameHospital = await Slot.findOne({
      where: { hospitalId: rowA.hospitalId, id: slots.map((s) => s.id), doctorId: { [Op.ne]: rowA.doctorId } },
    });
    const reset = await setRules(a.id, { maxActive: 1 });
    try {
      await book(p, session, a.id, patientIds[0]).expect(201);
      const res = await book(p, session, sameHospital!.id, patientIds[1]);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('TOO_MANY_ACTIVE');
    } finally {
      await reset();
    }
  });

  it("never books or shows another user's patients or appointments", async () => {
    const owner = await accountWithPatients(p);
    const other = await accountWithPatients(p);
    const slot = freshSlot();
    const res = await book(p, other.session, slot.id, owner.patientIds[0]);
    expect(res.status).toBe(404);
    const mine = await book(p, owner.session, slot.id, owner.patientIds[0]);
    for (const r of [
      await p.api.get(`/api/v1/appointments/${mine.body.id}`).set(other.session.auth),
      await p.api.post(`/api/v1/appointments/${mine.body.id}/cancel`).set(other.session.auth),
    ]) {
      expect(r.status).toBe(404);
    }
    expect((await p.api.get('/api/v1/appointments').set(other.session.auth)).body.total).toBe(0);
    expect((await p.api.get('/api/v1/appointments').set(owner.session.auth)).body.total).toBe(1);
  });
});

describe('cancellation', () => {
  it('cancels before the cut-off, returns the seat and tells the hospital', async () => {
    const { session, patientIds } = await accountWithPatients(p);
    const slot = freshSlot();
    const apt = (await book(p, session, slot.id, patientIds[0])).body;
    await p.services.outbox.runOnce();
    const res = await p.api.post(`/api/v1/appointments/${apt.id}/cancel`).set(session.auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'cancelled', cancelReason: '患者取消', cancellable: false });
    expect((await Slot.findByPk(slot.id))!.booked).toBe(slot.capacity - slot.remaining);
    await p.services.outbox.runOnce();
    const row = (await Appointment.findByPk(apt.id))!;
    const h = await hospitalOf(slot.id);
    const atHospital = (await axios.get(`${p.sims.his.url}/__sim/hospitals/${h.code}/bookings`)).data.items;
    expect(atHospital.find((b: { id: string }) => b.id === row.hisBookingId).status).toBe('cancelled');
    expect(await events(apt.id)).toEqual(['booking.created', 'booking.confirmed', 'booking.cancelled']);
    const twice = await p.api.post(`/api/v1/appointments/${apt.id}/cancel`).set(session.auth);
    expect(twice.body.error.code).toBe('NOT_CANCELLABLE');
  });

  it('refuses to cancel after the cut-off', async () => {
    const { session, patientIds } = await accountWithPatients(p);
    const slot = freshSlot();
    const apt = (await book(p, session, slot.id, patientIds[0])).body;
    const reset = await setRules(slot.id, { cancelCutoffHours: 24 * 30 });
    try {
      const res = await p.api.post(`/api/v1/appointments/${apt.id}/cancel`).set(session.auth);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('CANCEL_CUTOFF_PASSED');
    } finally {
      await reset();
    }
  });
});

describe('waitlist', () => {
  it('gives a freed seat to the first in line automatically', async () => {
    const a = await accountWithPatients(p);
    const b = await accountWithPatients(p);
    const c = await accountWithPatients(p);
    const slot = freshSlot();
    await Slot.update({ capacity: 1 }, { where: { id: slot.id } });
    const held = (await book(p, a.session, slot.id, a.patientIds[0])).body;
    const open = await p.api
      .post('/api/v1/waitlist')
      .set(c.session.auth)
      .send({ slotId: freshSlot().id, patientId: c.patientIds[0] });
    expect(open.body.error.code).toBe('SLOT_AVAILABLE');

    const first = await p.api
      .post('/api/v1/waitlist')
      .set(b.session.auth)
      .send({ slotId: slot.id, patientId: b.patientIds[0] });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'waiting', position: 1 });
    const second = await p.api
      .post('/api/v1/waitlist')
      .set(c.session.auth)
      .send({ slotId: slot.id, patientId: c.patientIds[0] });
    expect(second.body.position).toBe(2);

    await p.api.post(`/api/v1/appointments/${held.id}/cancel`).set(a.session.auth).expect(200);
    const entry = (await p.api.get('/api/v1/waitlist').set(b.session.auth)).body.items[0];
    expect(entry).toMatchObject({ status: 'granted', appointmentId: expect.any(String) });
    const granted = (await p.api.get(`/api/v1/appointments/${entry.appointmentId}`).set(b.session.auth)).body;
    expect(granted).toMatchObject({ status: 'booked', fromWaitlist: true, cancellable: true });
    expect(await events(entry.appointmentId)).toEqual(['booking.created', 'waitlist.granted']);
    expect((await p.api.get('/api/v1/waitlist').set(c.session.auth)).body.items[0]).toMatchObject({
      status: 'waiting',
      position: 1,
    });
    await p.api.delete(`/api/v1/waitlist/${second.body.id}`).set(c.session.auth).expect(204);
  });
});

describe('the hospital', () => {
  it('rejecting a booking cancels it with the reason and returns the seat', async () => {
    const { session, patientIds } = await accountWithPatients(p);
    const slot = freshSlot();
    const h = await hospitalOf(slot.id);
    await axios.put(`${p.sims.his.url}/__sim/hospitals/${h.code}/booking-refusal`, { reason: '该医生临时停诊' });
    try {
      const apt = (await book(p, session, slot.id, patientIds[0])).body;
      await p.services.outbox.runOnce();
      const after = (await p.api.get(`/api/v1/appointments/${apt.id}`).set(session.auth)).body;
      expect(after).toMatchObject({
        status: 'cancelled',
        hospitalConfirmation: 'rejected',
        cancelReason: '医院未能确认预约：该医生临时停诊',
      });
      expect((await Slot.findByPk(slot.id))!.booked).toBe(slot.capacity - slot.remaining);
      expect(await events(apt.id)).toEqual(['booking.created', 'booking.rejected_by_hospital']);
    } finally {
      await axios.put(`${p.sims.his.url}/__sim/hospitals/${h.code}/booking-refusal`, {});
    }
  });

  it('being down never loses a booking nor blocks the API; a new worker delivers it later', async () => {
    const { session, patientIds } = await accountWithPatients(p);
    const slot = freshSlot();
    const h = await hospitalOf(slot.id);
    await p.setFaults(h.code, { down: true });
    let aptId: string;
    try {
      const res = await book(p, session, slot.id, patientIds[0]);
      expect(res.status).toBe(201);
      aptId = res.body.id;
      await p.services.outbox.runOnce();
      const [item] = await jobsOf(p.db, aptId);
      expect(item).toMatchObject({ kind: 'his.confirm_booking', attempts: 1, doneAt: null, deadAt: null });
      expect(new Date(item.nextAttemptAt as string).getTime()).toBeGreaterThan(Date.now());
      expect((await Appointment.findByPk(aptId))!.status).toBe('booked');
    } finally {
      await p.setFaults(h.code, {});
    }
    // "Restart": a fresh worker picks the row up from the table once its retry is due.
    await makeDue(p.db, aptId!);
    expect(await newWorker(p).runOnce()).toBeGreaterThanOrEqual(1);
    const apt = (await Appointment.findByPk(aptId!))!;
    expect(apt).toMatchObject({ status: 'booked', hisStatus: 'confirmed' });
    expect((await jobsOf(p.db, aptId!)).filter((j) => !j.doneAt)).toEqual([]);
  });
});
