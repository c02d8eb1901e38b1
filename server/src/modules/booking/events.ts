import type { Transaction } from 'sequelize';
import { newId } from '../../lib/ids';
import { DomainEvent } from './models';

export type EventType =
  | 'booking.created'
  | 'booking.confirmed'
  | 'booking.cancelled'
  | 'booking.rejected_by_hospital'
  | 'waitlist.joined'
  | 'waitlist.granted';

/** Written in the same transaction as the change, so an event exists exactly when the change does. */
export function emit(
  type: EventType,
  userId: string | null,
  aggregateId: string,
  payload: Record<string, unknown>,
  transaction: Transaction,
) {
  return DomainEvent.create(
    { id: newId('evt'), type, userId, aggregateId, payload: JSON.stringify(payload) },
    { transaction },
  );
}
