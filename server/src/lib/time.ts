/**
 * Times are stored in UTC and shown in Asia/Shanghai. China has used a fixed
 * UTC+08:00 offset with no daylight saving since 1991, so a constant offset is
 * exact for every date the platform handles.
 */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/** ISO 8601 with the +08:00 offset, e.g. `2026-11-26T13:05:00.000+08:00`. */
export function toShanghaiIso(value: Date | string | number): string {
  const date = value instanceof Date ? value : new Date(value);
  const shifted = new Date(date.getTime() + SHANGHAI_OFFSET_MS);
  return shifted.toISOString().replace('Z', '+08:00');
}

export function toShanghaiIsoOrNull(value: Date | string | number | null | undefined): string | null {
  return value == null ? null : toShanghaiIso(value);
}

/** Calendar date (YYYY-MM-DD) in Shanghai for an instant. */
export function shanghaiDate(value: Date = new Date()): string {
  return new Date(value.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a Shanghai calendar day starts (today by default). */
export function shanghaiDayStart(date: string = shanghaiDate()): Date {
  return new Date(`${date}T00:00:00+08:00`);
}

/** `HH:MM` of an instant in Shanghai. */
export function shanghaiClock(value: Date = new Date()): string {
  return toShanghaiIso(value).slice(11, 16);
}

/** The instant a Shanghai date (YYYY-MM-DD) reaches `HH:MM`. */
export const shanghaiAt = (date: string, hhmm: string) => new Date(`${date}T${hhmm}:00+08:00`);

/**
 * When a quiet window `start`-`end` (Shanghai `HH:MM`, possibly across
 * midnight, e.g. 22:00-08:00) that contains `now` ends; null outside it.
 */
export function quietUntil(now: Date, start: string, end: string): Date | null {
  const clock = shanghaiClock(now);
  const today = shanghaiDate(now);
  const across = start > end;
  const inside = across ? clock >= start || clock < end : clock >= start && clock < end;
  if (!inside) return null;
  const endsToday = shanghaiAt(today, end);
  if (endsToday > now) return endsToday;
  const tomorrow = shanghaiDate(new Date(now.getTime() + 86_400_000));
  return shanghaiAt(tomorrow, end);
}
