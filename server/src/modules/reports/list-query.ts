import type { Sql, SqlValue } from '../../db/sql';
import { notFound } from '../../http/errors';
import { shanghaiDayStart } from '../../lib/time';
import { ACTIVE_CONSENT_VERSION, type AccountService } from '../accounts/service';
import { PATIENT_COLUMNS, checkReader } from './access';
import type { ReportPatient } from './content';
import type { ReportListQuery } from './schemas';

type Row = Record<string, unknown>;

export interface ListRow {
  id: string;
  hospitalId: string;
  hospitalName: string;
  type: 'lab' | 'exam';
  status: 'final' | 'amended';
  titleEnc: string;
  reportedAt: unknown;
  abnormalCount: unknown;
  criticalCount: unknown;
}

export interface ListRead {
  patient: ReportPatient;
  /** Hospitals (in scope) whose copy is stale or missing: the list must ask them first. */
  stale: number;
  rows: ListRow[];
  /** Matching reports in all pages; undefined past the last page (count separately). */
  total: number | undefined;
}

const nextDay = (date: string) => new Date(shanghaiDayStart(date).getTime() + 86_400_000);

/** The list's filters on `reports r`, for the page and for a separate count. */
export function listFilter(patientId: string, q: ReportListQuery) {
  const where = [`r.patient_id = ?`, `r.status IN ('final', 'amended')`];
  const params: SqlValue[] = [patientId];
  const and = (clause: string, value: SqlValue) => {
    where.push(clause);
    params.push(value);
  };
  if (q.hospitalId) and('r.hospital_id = ?', q.hospitalId);
  if (q.type) and('r.type = ?', q.type);
  if (q.from) and('r.reported_at >= ?', shanghaiDayStart(q.from));
  if (q.to) and('r.reported_at < ?', nextDay(q.to));
  return { where: where.join(' AND '), params };
}

/**
 * Everything a report list reads, in one statement: consent, the patient
 * (own, verified), whether the hospital filtered on exists, how many
 * hospitals' copies are stale, and the page with its total. On the warm path
 * (nothing stale) that is the whole list after the session check. The page
 * is joined on the caller's own patient only, so another account's reports
 * never come back.
 */
export async function readReportPage(
  sql: Sql,
  accounts: AccountService,
  userId: string,
  q: ReportListQuery,
  freshBefore: Date,
): Promise<ListRead> {
  const filter = listFilter(q.patientId, q);
  const rows = await sql.all<Row>(
    `SELECT ${ACTIVE_CONSENT_VERSION} AS "consentVersion", ${PATIENT_COLUMNS},
       ${q.hospitalId ? 'EXISTS (SELECT 1 FROM hospitals WHERE id = ?)' : '1'} AS "hospitalKnown",
       (SELECT COUNT(*) FROM hospitals h LEFT JOIN report_fetches f ON f.hospital_id = h.id AND f.patient_id = p.id
         WHERE (f.fetched_at IS NULL OR f.fetched_at < ?)${q.hospitalId ? ' AND h.id = ?' : ''}) AS "stale",
       pg.*
     FROM (SELECT 1 AS one) x
     LEFT JOIN patients p ON p.id = ? AND p.user_id = ? AND p.deleted_at IS NULL
     LEFT JOIN (SELECT r.id AS "reportId", r.patient_id AS "reportPatientId", r.hospital_id AS "hospitalId",
         h.name AS "hospitalName", r.type, r.status, r.title_enc AS "titleEnc", r.reported_at AS "reportedAt",
         r.abnormal_count AS "abnormalCount", r.critical_count AS "criticalCount", COUNT(*) OVER () AS "total"
       FROM reports r JOIN hospitals h ON h.id = r.hospital_id WHERE ${filter.where}
       ORDER BY r.reported_at DESC, r.id LIMIT ? OFFSET ?) pg ON pg."reportPatientId" = p.id
     ORDER BY pg."reportedAt" DESC, pg."reportId"`,
    [
      userId,
      ...(q.hospitalId ? [q.hospitalId] : []),
      freshBefore,
      ...(q.hospitalId ? [q.hospitalId] : []),
      q.patientId,
      userId,
      ...filter.params,
      q.pageSize,
      (q.page - 1) * q.pageSize,
    ],
  );
  const first = rows[0];
  const patient = checkReader(accounts, first);
  if (!Number(first.hospitalKnown)) throw notFound('医院');
  const page = rows.filter((r) => r.reportId);
  return {
    patient,
    stale: Number(first.stale),
    rows: page.map((r) => ({ ...(r as unknown as ListRow), id: r.reportId as string })),
    total: page.length ? Number(page[0].total) : q.page === 1 ? 0 : undefined,
  };
}
