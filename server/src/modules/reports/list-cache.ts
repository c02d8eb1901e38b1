import { asDate } from '../../db/sql';
import { shanghaiDayStart, toShanghaiIso } from '../../lib/time';
import type { PiiCipher } from '../../privacy/cipher';
import { decryptTitle } from './content';
import type { ListRow } from './list-query';
import type { ReportListQuery, ReportSummaryDto } from './schemas';

interface Entry {
  version: string;
  keptAt: number;
  items: Array<ReportSummaryDto & { at: number }>;
}

/** Patients whose lists are kept; the oldest entry goes first. */
const MAX_PATIENTS = 5_000;
/** An entry is read again after this long whatever its version says (two changes in one millisecond). */
const MAX_AGE_MS = 60_000;
/** A patient with more reports is paged by the database instead. */
export const MAX_CACHED_REPORTS = 500;

/**
 * The lists of recently seen patients, decrypted, in this process's memory.
 * An entry is used only when the version read with the request's access
 * check (count and last change of the patient's stored reports,
 * ./list-query.ts) is still the same, so a report stored, amended or taken
 * back by any process is seen at once; consent and ownership are checked on
 * every request before an entry is touched.
 */
export class ReportListCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly cipher: PiiCipher) {}

  get(patientId: string, version: string): Entry['items'] | undefined {
    const entry = this.entries.get(patientId);
    if (!entry) return undefined;
    if (entry.version !== version || Date.now() - entry.keptAt > MAX_AGE_MS) {
      this.entries.delete(patientId);
      return undefined;
    }
    return entry.items;
  }

  put(patientId: string, version: string, rows: ListRow[]): Entry['items'] {
    const items = rows.map((r) => {
      const reportedAt = asDate(r.reportedAt);
      return {
        id: r.id,
        patientId,
        hospitalId: r.hospitalId,
        hospitalName: r.hospitalName,
        type: r.type,
        title: decryptTitle(this.cipher, r.id, r.titleEnc),
        reportedAt: toShanghaiIso(reportedAt),
        abnormalCount: Number(r.abnormalCount),
        criticalCount: Number(r.criticalCount),
        amended: r.status === 'amended',
        at: reportedAt.getTime(),
      };
    });
    this.entries.delete(patientId);
    this.entries.set(patientId, { version, keptAt: Date.now(), items });
    if (this.entries.size > MAX_PATIENTS) this.entries.delete(this.entries.keys().next().value!);
    return items;
  }
}

/** The list's filters and paging over a kept list (the same as the SQL in ./list-query.ts). */
export function pageOfItems(items: Array<ReportSummaryDto & { at: number }>, q: ReportListQuery) {
  const from = q.from ? shanghaiDayStart(q.from).getTime() : -Infinity;
  const to = q.to ? shanghaiDayStart(q.to).getTime() + 86_400_000 : Infinity;
  const matching = items.filter(
    (r) =>
      (!q.hospitalId || r.hospitalId === q.hospitalId) && (!q.type || r.type === q.type) && r.at >= from && r.at < to,
  );
  const start = (q.page - 1) * q.pageSize;
  return {
    items: matching.slice(start, start + q.pageSize).map(({ at: _at, ...item }) => item),
    total: matching.length,
  };
}
