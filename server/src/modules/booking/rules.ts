import type { Transaction } from 'sequelize';
import { shanghaiAt, shanghaiDate } from '../../lib/time';
import { BookingRule } from './models';

/** What a slot's status depends on. */
export interface SlotState {
  date: string;
  startAt: Date;
  booked: number;
  capacity: number;
  closed: boolean;
}

export interface Rules {
  windowDays: number;
  releaseTime: string; // HH:MM, Shanghai
  stopTime: string; // HH:MM, Shanghai: same-day booking closes
  cancelCutoffHours: number;
  maxActive: number;
  noShowLimit: number;
  noShowWindowDays: number;
  suspendDays: number;
}

/** Platform defaults; a hospital's own row (editable from the console later) overrides them. */
export const DEFAULT_RULES: Rules = {
  windowDays: 14,
  releaseTime: '08:00',
  stopTime: '16:00',
  cancelCutoffHours: 2,
  maxActive: 5,
  noShowLimit: 3,
  noShowWindowDays: 90,
  suspendDays: 90,
};

export async function rulesFor(hospitalId: string, transaction?: Transaction): Promise<Rules> {
  const row = await BookingRule.findByPk(hospitalId, { transaction });
  return row ? { ...DEFAULT_RULES, ...row.get({ plain: true }) } : DEFAULT_RULES;
}

/** The instant a Shanghai date reaches a clock time. */
export const at = shanghaiAt;

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A date's seats open `windowDays` before it, at the release time. */
export const releaseAt = (date: string, r: Rules) => at(addDays(date, -r.windowDays), r.releaseTime);

export type SlotStatus = 'open' | 'full' | 'not_released' | 'closed';

export function slotStatus(slot: SlotState, r: Rules, now = new Date()): SlotStatus {
  if (slot.closed || now >= slot.startAt) return 'closed';
  if (slot.date === shanghaiDate(now) && now >= at(slot.date, r.stopTime)) return 'closed';
  if (now < releaseAt(slot.date, r)) return 'not_released';
  return slot.booked >= slot.capacity ? 'full' : 'open';
}

export const cancelDeadline = (slot: Pick<SlotState, 'startAt'>, r: Rules) =>
  new Date(slot.startAt.getTime() - r.cancelCutoffHours * 3_600_000);
