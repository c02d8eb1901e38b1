import type { Slot } from '../api/types';
import type { DayStatus } from '../constants/labels';

/** The best a set of slots offers, in the order the server ranks them (open first). */
export function bestStatus(statuses: Slot['status'][]): DayStatus {
  for (const s of ['open', 'not_released', 'full', 'closed'] as const) if (statuses.includes(s)) return s;
  return 'none';
}

export interface SlotDay {
  date: string;
  status: DayStatus;
  slots: Slot[];
}

/** A doctor's slots grouped by date (the slots arrive sorted by start time). */
export function slotDays(slots: Slot[]): SlotDay[] {
  const byDate = new Map<string, Slot[]>();
  for (const s of slots) byDate.set(s.date, [...(byDate.get(s.date) ?? []), s]);
  return [...byDate.entries()].map(([date, list]) => ({
    date,
    slots: list,
    status: bestStatus(list.map((s) => s.status)),
  }));
}
