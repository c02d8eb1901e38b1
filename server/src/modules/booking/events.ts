import type { Sql } from '../../db/sql';
import { newId } from '../../lib/ids';

export type EventType =
  | 'booking.created'
  | 'booking.confirmed'
  | 'booking.cancelled'
  | 'booking.rejected_by_hospital'
  | 'waitlist.joined'
  | 'waitlist.granted';

/** Written in the same transaction as the change, so an event exists exactly when the change does. */
export function emit(
  sql: Sql,
  type: EventType,
  userId: string | null,
  aggregateId: string,
  payload: Record<string, unknown>,
) {
  const now = new Date();
  return sql.run(
    `INSERT INTO domain_events (id, type, user_id, aggregate_id, payload, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [newId('evt'), type, userId, aggregateId, JSON.stringify(payload), now, now],
  );
}
