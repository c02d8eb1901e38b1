import { asDate, type Sql, type SqlValue } from '../../db/sql';
import { notFound } from '../../http/errors';
import { shanghaiDayStart } from '../../lib/time';
import { ACTIVE_CONSENT_VERSION, type AccountService } from '../accounts/service';
import { OWN_PATIENT } from '../../privacy/access';
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

const nextDay = (date: string) => new Date(shanghaiDayStart(date).getTime() + 86_400_000);

/** The list's filters on `reports r`, for the page and for its count. */
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
 * Who reads and whether the copy is fresh, in one statement: consent, the
 * patient (own, verified), the hospital filtered on (must exist), and whether
 * every hospital in scope answered for this patient since `freshBefore`,
 * and the version of the patient's stored reports (count and last change),
 * which says whether a list kept in memory (./list-cache.ts) is current.
 */
export async function readListScope(
  sql: Sql,
  accounts: AccountService,
  userId: string,
  q: ReportListQuery,
  freshBefore: Date,
): Promise<{ patient: ReportPatient; fresh: boolean; version: string }> {
  const one = Boolean(q.hospitalId);
  const row = await sql.one<Row>(
    `SELECT ${ACTIVE_CONSENT_VERSION} AS "consentVersion", ${PATIENT_COLUMNS},
       (SELECT COUNT(*) FROM hospitals${one ? ' WHERE id = ?' : ''}) AS "hospitals",
       (SELECT COUNT(*) FROM report_fetches WHERE patient_id = ? AND fetched_at >= ?
         AND hospital_id ${one ? '= ?' : 'IN (SELECT id FROM hospitals)'})
         AS "fresh",
       (SELECT COUNT(*) FROM reports WHERE patient_id = ?) AS "reportCount",
       (SELECT MAX(updated_at) FROM reports WHERE patient_id = ?) AS "reportsChangedAt"
     FROM (SELECT 1 AS one) x LEFT JOIN ${OWN_PATIENT}`,
    [
      userId,
      ...(one ? [q.hospitalId!] : []),
      q.patientId,
      freshBefore,
      ...(one ? [q.hospitalId!] : []),
      q.patientId,
      q.patientId,
      q.patientId,
      userId,
    ],
  );
  const patient = checkReader(accounts, row!);
  const hospitals = Number(row!.hospitals);
  if (one && !hospitals) throw notFound('医院');
  const changedAt = row!.reportsChangedAt ? asDate(row!.reportsChangedAt).getTime() : 0;
  return { patient, fresh: Number(row!.fresh) >= hospitals, version: `${Number(row!.reportCount)}/${changedAt}` };
}

/** Every released report of the patient, newest first (to keep in memory). */
export function readAllReleased(sql: Sql, patientId: string) {
  return sql.all<ListRow>(
    `SELECT r.id, r.hospital_id AS "hospitalId", h.name AS "hospitalName", r.type, r.status,
       r.title_enc AS "titleEnc", r.reported_at AS "reportedAt", r.abnormal_count AS "abnormalCount",
       r.critical_count AS "criticalCount"
     FROM reports r JOIN hospitals h ON h.id = r.hospital_id
     WHERE r.patient_id = ? AND r.status IN ('final', 'amended') ORDER BY r.reported_at DESC, r.id`,
    [patientId],
  );
}

/** One page of the patient's released reports, newest first, and the total (counted only when it is not plain). */
export async function readListPage(sql: Sql, patientId: string, q: ReportListQuery) {
  const filter = listFilter(patientId, q);
  const rows = await sql.all<ListRow>(
    `SELECT r.id, r.hospital_id AS "hospitalId", h.name AS "hospitalName", r.type, r.status,
       r.title_enc AS "titleEnc", r.reported_at AS "reportedAt", r.abnormal_count AS "abnormalCount",
       r.critical_count AS "criticalCount"
     FROM reports r JOIN hospitals h ON h.id = r.hospital_id WHERE ${filter.where}
     ORDER BY r.reported_at DESC, r.id LIMIT ? OFFSET ?`,
    [...filter.params, q.pageSize, (q.page - 1) * q.pageSize],
  );
  const offset = (q.page - 1) * q.pageSize;
  // A short page that has rows ends the list: its total is known without counting.
  if (rows.length && rows.length < q.pageSize) return { rows, total: offset + rows.length };
  if (!rows.length && q.page === 1) return { rows, total: 0 };
  const count = await sql.one<{ n: unknown }>(
    `SELECT COUNT(*) AS n FROM reports r WHERE ${filter.where}`,
    filter.params,
  );
  return { rows, total: Number(count?.n ?? 0) };
}
