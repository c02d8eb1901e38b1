import type { Db } from '../../db';
import type { Sql } from '../../db/sql';
import type { HisReport } from '../../his/types';
import { newId } from '../../lib/ids';
import type { PiiCipher } from '../../privacy/cipher';
import { emit } from '../booking/events';
import {
  contentOf,
  decryptContent,
  decryptTitle,
  encryptContent,
  encryptTitle,
  subjectOf,
  type ReportPatient,
} from './content';
import { interpretItems } from './interpret';
import type { StoredReportStatus } from './models';
import type { InterpretationRules } from './rules';

export interface StoreDeps {
  db: Db;
  cipher: PiiCipher;
  rules: InterpretationRules;
}

interface Existing {
  id: string;
  status: StoredReportStatus;
  reportedAt: unknown;
  titleEnc: string;
  contentEnc: string;
}

const UPSERT_FETCHED = `INSERT INTO report_fetches (patient_id, hospital_id, fetched_at, created_at, updated_at)
  VALUES (?, ?, ?, ?, ?) ON CONFLICT (patient_id, hospital_id)
  DO UPDATE SET fetched_at = excluded.fetched_at, updated_at = excluded.updated_at`;
const UPSERT_FAILED = `INSERT INTO report_fetches (patient_id, hospital_id, failed_at, created_at, updated_at)
  VALUES (?, ?, ?, ?, ?) ON CONFLICT (patient_id, hospital_id)
  DO UPDATE SET failed_at = excluded.failed_at, updated_at = excluded.updated_at`;

/**
 * Stores one hospital's answer for one patient, in one transaction.
 * Release gating: only `final` and `amended` reports are kept; an `amended`
 * one replaces the earlier version under the same id; a released report the
 * hospital returns to `preliminary` is hidden (`withdrawn`) until released
 * again; a report missing from an answer is kept. A report seen for the first
 * time after the patient's first fetch from this hospital, or changed since,
 * emits `report.ready` (and `report.critical_value` when it has one), so the
 * history found on a first look does not notify.
 */
export async function storeFetched(
  d: StoreDeps,
  patient: ReportPatient,
  birthDate: string,
  hospitalId: string,
  reports: HisReport[],
): Promise<void> {
  const now = new Date();
  await d.db.writeSql(async (sql) => {
    const fetched = await sql.one<{ fetchedAt: unknown }>(
      'SELECT fetched_at AS "fetchedAt" FROM report_fetches WHERE patient_id = ? AND hospital_id = ?',
      [patient.id, hospitalId],
    );
    const notify = Boolean(fetched?.fetchedAt);
    const rows = await sql.all<Existing & { hisCode: string }>(
      `SELECT id, his_code AS "hisCode", status, reported_at AS "reportedAt", title_enc AS "titleEnc",
         content_enc AS "contentEnc" FROM reports WHERE patient_id = ? AND hospital_id = ?`,
      [patient.id, hospitalId],
    );
    const existing = new Map(rows.map((r) => [r.hisCode, r]));
    for (const report of reports) {
      await storeOne(d, sql, { patient, birthDate, hospitalId, notify, now }, report, existing.get(report.code));
    }
    await sql.run(UPSERT_FETCHED, [patient.id, hospitalId, now, now, now]);
  });
}

interface StoreContext {
  patient: ReportPatient;
  birthDate: string;
  hospitalId: string;
  notify: boolean;
  now: Date;
}

async function storeOne(d: StoreDeps, sql: Sql, c: StoreContext, report: HisReport, known: Existing | undefined) {
  if (report.status === 'preliminary') {
    if (known && known.status !== 'withdrawn') {
      await sql.run(`UPDATE reports SET status = 'withdrawn', updated_at = ? WHERE id = ?`, [c.now, known.id]);
    }
    return;
  }
  const reportedAt = new Date(report.reportedAt);
  const content = contentOf(report);
  if (known && unchanged(d.cipher, known, report, reportedAt, content)) return;

  const { summary } = interpretItems(
    content.items,
    subjectOf(c.patient.sex, c.birthDate, reportedAt),
    d.rules,
    report.type,
  );
  const id = known?.id ?? newId('rpt');
  const values = [
    report.type,
    report.status,
    reportedAt,
    encryptTitle(d.cipher, id, report.title),
    encryptContent(d.cipher, id, content),
    summary.abnormal,
    summary.critical,
    c.now,
  ];
  if (known) {
    await sql.run(
      `UPDATE reports SET type = ?, status = ?, reported_at = ?, title_enc = ?, content_enc = ?, abnormal_count = ?,
         critical_count = ?, updated_at = ? WHERE id = ?`,
      [...values, id],
    );
  } else {
    // Another process may have stored it meanwhile (PostgreSQL): theirs stands.
    const inserted = await sql.run(
      `INSERT INTO reports (type, status, reported_at, title_enc, content_enc, abnormal_count, critical_count,
         updated_at, id, patient_id, hospital_id, his_code, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (patient_id, hospital_id, his_code) DO NOTHING`,
      [...values, id, c.patient.id, c.hospitalId, report.code, c.now],
    );
    if (!inserted) return;
  }
  if (!c.notify) return;
  const ref = { reportId: id, patientId: c.patient.id, hospitalId: c.hospitalId };
  await emit(sql, 'report.ready', c.patient.userId, id, {
    ...ref,
    type: report.type,
    amended: report.status === 'amended',
  });
  if (summary.critical) {
    await emit(sql, 'report.critical_value', c.patient.userId, id, { ...ref, criticalCount: summary.critical });
  }
}

function unchanged(
  cipher: PiiCipher,
  known: Existing,
  report: HisReport,
  reportedAt: Date,
  content: ReturnType<typeof contentOf>,
): boolean {
  const knownAt = known.reportedAt instanceof Date ? known.reportedAt : new Date(String(known.reportedAt));
  return (
    known.status === report.status &&
    knownAt.getTime() === reportedAt.getTime() &&
    decryptTitle(cipher, known.id, known.titleEnc) === report.title &&
    JSON.stringify(decryptContent(cipher, known.id, known.contentEnc)) === JSON.stringify(content)
  );
}

/** Notes that a hospital failed to answer for a patient (lists then skip it for REPORTS_RETRY_SEC). */
export async function recordFailure(db: Db, patientId: string, hospitalId: string): Promise<void> {
  const now = new Date();
  await db.writeSql((sql) => sql.run(UPSERT_FAILED, [patientId, hospitalId, now, now, now]));
}
