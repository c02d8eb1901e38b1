import { insertRows, type Sql, type SqlValue } from '../../db/sql';
import { newId } from '../../lib/ids';

export type EventType =
  | 'booking.created'
  | 'booking.confirmed'
  | 'booking.cancelled'
  | 'booking.rejected_by_hospital'
  | 'booking.cancelled_by_hospital'
  | 'waitlist.joined'
  | 'waitlist.granted'
  // Reports (modules/reports/store.ts): a newly seen released or amended report, and one with a critical value.
  | 'report.ready'
  | 'report.critical_value'
  // Visit (modules/visit): three or fewer ahead in the clinic room's queue, once per appointment.
  | 'queue.near'
  // Human triage (modules/triage/tickets.ts): a nurse replied, recommended a department, or closed the ticket.
  | 'triage.replied';

export const EVENT_COLUMNS = ['id', 'type', 'user_id', 'aggregate_id', 'payload', 'created_at', 'updated_at'];

/** One domain_events row, in EVENT_COLUMNS order, for writing several at once. */
export function eventRow(
  type: EventType,
  userId: string | null,
  aggregateId: string,
  payload: Record<string, unknown>,
  now = new Date(),
): SqlValue[] {
  return [newId('evt'), type, userId, aggregateId, JSON.stringify(payload), now, now];
}

/** Written in the same transaction as the change, so an event exists exactly when the change does. */
export function emit(
  sql: Sql,
  type: EventType,
  userId: string | null,
  aggregateId: string,
  payload: Record<string, unknown>,
) {
  return insertRows(sql, 'domain_events', EVENT_COLUMNS, [eventRow(type, userId, aggregateId, payload)]);
}
