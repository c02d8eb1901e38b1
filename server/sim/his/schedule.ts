import type { HisDoctor, HisSession, SlotLevel } from '../../src/his/types';
import { prng } from './catalog';

/**
 * Deterministic clinic sessions: each doctor sits two to four half-days a
 * week, the same weekdays every week. Morning 08:00-11:30 and afternoon
 * 13:30-16:30 in 30-minute slots; fees by title.
 */
const AM = ['08:00', '08:30', '09:00', '09:30', '10:00', '10:30', '11:00', '11:30'];
const PM = ['13:30', '14:00', '14:30', '15:00', '15:30', '16:00', '16:30'];

const LEVEL: Record<HisDoctor['title'], { level: SlotLevel; feeFen: number }> = {
  chief_physician: { level: 'expert', feeFen: 5000 },
  associate_chief_physician: { level: 'expert', feeFen: 3000 },
  attending_physician: { level: 'normal', feeFen: 1500 },
};

function hash(s: string): number {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

/** Which of the 14 half-days of a week (Mon am = 0 ... Sun pm = 13) a doctor sits. */
function weeklyPattern(hospitalCode: string, doctorCode: string): Set<number> {
  const r = prng(hash(`${hospitalCode}/${doctorCode}`));
  const n = r.int(2, 4);
  const picks = new Set<number>();
  while (picks.size < n) picks.add(r.int(0, 9)); // weekdays only
  return picks;
}

export function sessionsFor(hospitalCode: string, doctors: HisDoctor[], from: string, to: string): HisSession[] {
  const out: HisSession[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
    const date = d.toISOString().slice(0, 10);
    const weekday = (d.getUTCDay() + 6) % 7; // Monday = 0
    for (const doc of doctors) {
      const pattern = weeklyPattern(hospitalCode, doc.code);
      for (const period of ['am', 'pm'] as const) {
        if (!pattern.has(weekday * 2 + (period === 'am' ? 0 : 1))) continue;
        const times = period === 'am' ? AM : PM;
        const special = doc.title === 'chief_physician' && hash(doc.code) % 5 === 0;
        const { level, feeFen } = special ? { level: 'special' as const, feeFen: 30000 } : LEVEL[doc.title];
        out.push({
          doctorCode: doc.code,
          departmentCode: doc.departmentCode,
          date,
          period,
          level,
          feeFen,
          status: 'open',
          slots: times.slice(0, -1).map((start, i) => ({
            code: `${doc.code}-${date.replace(/-/g, '')}-${start.replace(':', '')}`,
            startTime: start,
            endTime: times[i + 1],
            capacity: 2 + (hash(`${doc.code}${date}${start}`) % 4),
          })),
        });
      }
    }
  }
  return out;
}
