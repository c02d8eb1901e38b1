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
