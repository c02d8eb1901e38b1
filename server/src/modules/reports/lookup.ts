import type { Db } from '../../db';
import { asDate } from '../../db/sql';
import { HisRejectedError, HisUnavailableError, type HisClient } from '../../his/types';
import { Refresher } from '../../lib/refresher';
import type { Logger } from '../../logger';
import type { PiiCipher } from '../../privacy/cipher';
import { targetOf } from '../hospitals/sync';
import { birthDateOf, idNumberOf, type ReportPatient } from './content';
import type { InterpretationRules } from './rules';
import { recordFailure, storeFetched } from './store';

export interface LookupOptions {
  /** Reports fetched this recently are not fetched again (REPORTS_FRESH_MIN). */
  freshMs: number;
  /** A hospital that failed for a patient is not asked again for this long (REPORTS_RETRY_SEC). */
  retryMs: number;
  /** Hospitals asked at once for one list (REPORTS_LOOKUP_CONCURRENCY). */
  concurrency: number;
  /** How long a list waits for the hospitals (HIS_TIMEOUT_MS): later answers are still stored. */
  waitMs: number;
}

export interface LookupDeps {
  db: Db;
  his: HisClient;
  cipher: PiiCipher;
  rules: InterpretationRules;
  log: Logger;
}

/** A hospital with where to reach it and when this patient's reports were last fetched from it. */
export interface HospitalState {
  id: string;
  code: string;
  name: string;
  hisBaseUrl: string;
  hisSecretEnc: string | null;
  fetchedAt: Date | null;
  failedAt: Date | null;
}

/**
 * The hospitals whose copy of this patient's reports is older than
 * `freshBefore` (or missing), with their fetch state: one statement, which on
 * the warm path returns no rows.
 */
export async function staleHospitals(
  db: Db,
  patientId: string,
  freshBefore: Date,
  hospitalId?: string,
): Promise<HospitalState[]> {
  const rows = await db.sql.all<Record<string, unknown>>(
    `SELECT h.id, h.code, h.name, h.his_base_url AS "hisBaseUrl", h.his_secret_enc AS "hisSecretEnc",
       f.fetched_at AS "fetchedAt", f.failed_at AS "failedAt"
     FROM hospitals h LEFT JOIN report_fetches f ON f.hospital_id = h.id AND f.patient_id = ?
     WHERE (f.fetched_at IS NULL OR f.fetched_at < ?)${hospitalId ? ' AND h.id = ?' : ''} ORDER BY h.code`,
    hospitalId ? [patientId, freshBefore, hospitalId] : [patientId, freshBefore],
  );
  return rows.map((r) => ({
    ...(r as unknown as HospitalState),
    fetchedAt: r.fetchedAt ? asDate(r.fetchedAt) : null,
    failedAt: r.failedAt ? asDate(r.failedAt) : null,
  }));
}

/**
 * Fetches a patient's reports from hospitals whose copy is stale: in
 * parallel, at most `concurrency` at a time, through HisClient. A list waits
 * at most `waitMs`; a hospital that failed, or has not answered by then, is
 * reported unavailable (its answer is still stored when it comes, for the
 * next look), and never fails the others. Concurrent requests for the same
 * patient and hospital share one fetch.
 */
export class ReportLookup {
  private readonly inFlight: Refresher;

  constructor(
    private readonly d: LookupDeps,
    private readonly o: LookupOptions,
  ) {
    this.inFlight = new Refresher(() => undefined);
  }

  /**
   * Refreshes this patient's stale copies (from every hospital, or one);
   * resolves to the ids of the hospitals that could not be reached.
   */
  async refresh(patient: ReportPatient, hospitalId?: string): Promise<string[]> {
    const now = Date.now();
    const hospitals = await staleHospitals(this.d.db, patient.id, new Date(now - this.o.freshMs), hospitalId);
    const unavailable = new Set<string>();
    const due: HospitalState[] = [];
    for (const h of hospitals) {
      const failedLately =
        h.failedAt && now - h.failedAt.getTime() < this.o.retryMs && (!h.fetchedAt || h.failedAt > h.fetchedAt);
      if (failedLately) unavailable.add(h.id);
      else due.push(h);
    }
    if (due.length) {
      const birthDate = birthDateOf(this.d.cipher, patient);
      const idNumber = idNumberOf(this.d.cipher, patient);
      const answered = new Set<string>();
      const fetches = limited(due, this.o.concurrency, async (h) => {
        await this.fetchOne(patient, idNumber, birthDate, h);
        answered.add(h.id);
      });
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.o.waitMs)));
      await Promise.race([Promise.allSettled(fetches), deadline]);
      clearTimeout(timer);
      for (const h of due) if (!answered.has(h.id)) unavailable.add(h.id);
    }
    return hospitals.filter((h) => unavailable.has(h.id)).map((h) => h.id);
  }

  private fetchOne(patient: ReportPatient, idNumber: string, birthDate: string, h: HospitalState): Promise<void> {
    return this.inFlight.refresh(`${patient.id}/${h.id}`, async () => {
      try {
        const reports = await this.d.his.queryReports(targetOf(h, this.d.cipher), { idNumber });
        await storeFetched(this.d, patient, birthDate, h.id, reports);
      } catch (err) {
        if (!(err instanceof HisUnavailableError || err instanceof HisRejectedError)) {
          this.d.log.error({ err, hospital: h.code }, 'storing reports failed');
        }
        await recordFailure(this.d.db, patient.id, h.id).catch((e: Error) =>
          this.d.log.error({ err: e, hospital: h.code }, 'recording a report fetch failure failed'),
        );
        throw err;
      }
    });
  }
}

/** `fn` over `items`, at most `n` at a time; one promise per item, in order. */
function limited<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Array<Promise<void>> {
  let active = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    active--;
    waiting.shift()?.();
  };
  return items.map(
    (item) =>
      new Promise<void>((resolve, reject) => {
        const run = () => {
          active++;
          fn(item).then(resolve, reject).finally(release);
        };
        if (active < n) run();
        else waiting.push(run);
      }),
  );
}
