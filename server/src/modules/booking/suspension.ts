import { asDate, type Sql } from '../../db/sql';
import type { Rules } from './rules';

/**
 * No-show policy: `noShowLimit` no-shows within `noShowWindowDays` suspend a
 * patient's booking for `suspendDays` from the last one. Returns the end of
 * the suspension, or null when the patient may book. Booking and waitlist
 * promotion both ask here.
 */
export async function suspendedUntil(
  sql: Sql,
  patientId: string,
  rules: Rules,
  now = new Date(),
): Promise<Date | null> {
  const since = new Date(now.getTime() - rules.noShowWindowDays * 86_400_000);
  const noShows = await sql.all<{ at: unknown }>(
    `SELECT updated_at AS "at" FROM appointments WHERE patient_id = ? AND status = 'no_show' AND updated_at >= ?
     ORDER BY updated_at DESC LIMIT ?`,
    [patientId, since, rules.noShowLimit],
  );
  if (noShows.length < rules.noShowLimit) return null;
  const until = new Date(asDate(noShows[0].at).getTime() + rules.suspendDays * 86_400_000);
  return until > now ? until : null;
}
