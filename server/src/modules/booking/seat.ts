import { randomInt } from 'node:crypto';
import { Op, col, literal, type Transaction } from 'sequelize';
import { AppError, conflict } from '../../http/errors';
import { newId } from '../../lib/ids';
import { Patient } from '../patients/models';
import { emit } from './events';
import { ACTIVE_STATUSES, Appointment, OutboxItem, Slot, WaitlistEntry } from './models';
import { rulesFor, slotStatus, type Rules } from './rules';

const CODE_CHARS = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const bookingCode = () => Array.from({ length: 8 }, () => CODE_CHARS[randomInt(CODE_CHARS.length)]).join('');

export const STATUS_ERRORS: Record<string, AppError> = {
  full: conflict('SLOT_FULL', '该时段号源已约满，可加入候补'),
  not_released: conflict('NOT_RELEASED', '该日期号源尚未放出，请在放号时间后预约'),
  closed: conflict('BOOKING_CLOSED', '该时段已停止预约'),
};

/**
 * The atomic step: rules that depend on other bookings are checked and the
 * seat taken by one conditional UPDATE (booked < capacity), in the same
 * transaction that writes the appointment, its outbox row and its event.
 */
export async function takeSeat(
  userId: string,
  patient: Patient,
  slotId: string,
  rules: Rules,
  t: Transaction,
  key?: { idempotencyKey: string; hash: string },
): Promise<string> {
  const slot = (await Slot.findByPk(slotId, { transaction: t }))!;
  const status = slotStatus(slot, rules);
  if (status !== 'open') throw STATUS_ERRORS[status];
  const duplicate = await Appointment.count({
    where: { patientId: patient.id, doctorId: slot.doctorId, date: slot.date, status: ACTIVE_STATUSES },
    transaction: t,
  });
  if (duplicate) throw conflict('DUPLICATE_BOOKING', '该就诊人当天已预约该医生');
  const active = await Appointment.count({ where: { userId, status: ACTIVE_STATUSES }, transaction: t });
  if (active >= rules.maxActive) {
    throw conflict('TOO_MANY_ACTIVE', `每个账号最多同时有${rules.maxActive}个待就诊预约`);
  }
  const [taken] = await Slot.update(
    { booked: literal('booked + 1') as unknown as number },
    { where: { id: slot.id, closed: false, booked: { [Op.lt]: col('capacity') } }, transaction: t },
  );
  if (!taken) throw STATUS_ERRORS.full;

  const appointment = await Appointment.create(
    {
      id: newId('apt'),
      userId,
      patientId: patient.id,
      slotId: slot.id,
      doctorId: slot.doctorId,
      hospitalId: slot.hospitalId,
      date: slot.date,
      status: 'booked',
      bookingCode: bookingCode(),
      feeFen: slot.feeFen,
      idempotencyKey: key?.idempotencyKey ?? null,
      requestHash: key?.hash ?? null,
      hisStatus: 'pending',
      fromWaitlist: !key,
    },
    { transaction: t },
  );
  await OutboxItem.create(
    { id: newId('obx'), kind: 'confirm_booking', appointmentId: appointment.id, nextAttemptAt: new Date() },
    { transaction: t },
  );
  await emit('booking.created', userId, appointment.id, { slotId: slot.id, patientId: patient.id }, t);
  return appointment.id;
}

/**
 * Cancels an appointment and frees its seat in one transaction: the seat goes
 * to the first in the waitlist if anyone waits, else back to the pool. The
 * hospital is told through the outbox.
 */
export async function releaseSeat(
  apt: Appointment,
  reason: string,
  event: 'booking.cancelled' | 'booking.rejected_by_hospital',
  t: Transaction,
) {
  await apt.update(
    {
      status: 'cancelled',
      cancelReason: reason,
      cancelledAt: new Date(),
      ...(event === 'booking.rejected_by_hospital' ? { hisStatus: 'rejected' as const } : {}),
    },
    { transaction: t },
  );
  await Slot.update(
    { booked: literal('booked - 1') as unknown as number },
    { where: { id: apt.slotId }, transaction: t },
  );
  if (event === 'booking.cancelled') {
    await OutboxItem.create(
      { id: newId('obx'), kind: 'cancel_booking', appointmentId: apt.id, nextAttemptAt: new Date() },
      { transaction: t },
    );
  }
  await emit(event, apt.userId, apt.id, { reason }, t);
  await promoteWaitlist(apt.slotId, t);
}

/**
 * Gives freed seats of a slot to the waitlist, first come first served,
 * while the session has not started. An entry whose patient can no longer
 * take the seat (already booked that doctor that day, removed, limit reached)
 * is expired and the next one tried.
 */
export async function promoteWaitlist(slotId: string, t: Transaction) {
  const slot = (await Slot.findByPk(slotId, { transaction: t }))!;
  const rules = await rulesFor(slot.hospitalId, t);
  const waiting = await WaitlistEntry.findAll({
    where: { slotId, status: 'waiting' },
    order: [['createdAt', 'ASC']],
    transaction: t,
  });
  for (const entry of waiting) {
    if (new Date() >= slot.startAt) {
      await entry.update({ status: 'expired' }, { transaction: t });
      continue;
    }
    await slot.reload({ transaction: t });
    if (slot.booked >= slot.capacity) return;
    const patient = await Patient.findOne({ where: { id: entry.patientId, deletedAt: null }, transaction: t });
    try {
      if (!patient) throw conflict('PATIENT_GONE', '');
      // The waitlist outlives release and stop times: only the seat itself must be free.
      const open: Rules = { ...rules, windowDays: 3650, stopTime: '23:59' };
      const id = await takeSeat(entry.userId, patient, slotId, open, t);
      await entry.update({ status: 'granted', appointmentId: id }, { transaction: t });
      await emit('waitlist.granted', entry.userId, id, { waitlistEntryId: entry.id, slotId }, t);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      await entry.update({ status: 'expired' }, { transaction: t });
    }
  }
}
