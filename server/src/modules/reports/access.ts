import type { Sql } from '../../db/sql';
import { AppError, notFound } from '../../http/errors';
import { OWN_PATIENT } from '../../privacy/access';
import { ACTIVE_CONSENT_VERSION, type AccountService } from '../accounts/service';
import type { ReportPatient } from './content';
import type { StoredReportRow } from './view';

/**
 * Who may read reports, checked in one statement on every request: the
 * account's health-data consent (403 CONSENT_REQUIRED), a patient of its own
 * (404 otherwise, privacy/access) and verified by real name (403
 * PATIENT_NOT_VERIFIED), since reports are fetched by ID number.
 */
export const PATIENT_COLUMNS = `p.id AS "patientId", p.user_id AS "patientUserId", p.name AS "patientName", p.sex AS "patientSex",
  p.id_number_enc AS "patientIdNumberEnc", p.id_number_masked AS "patientIdNumberMasked",
  p.verification_status AS "patientVerification"`;

type Row = Record<string, unknown>;

export const notVerified = () => new AppError(403, 'PATIENT_NOT_VERIFIED', '就诊人未通过实名认证，暂不能查询报告');

function toPatient(row: Row): ReportPatient & { verification: string } {
  return {
    id: row.patientId as string,
    userId: row.patientUserId as string,
    name: row.patientName as string,
    sex: row.patientSex as 'male' | 'female',
    idNumberEnc: row.patientIdNumberEnc as string,
    idNumberMasked: row.patientIdNumberMasked as string,
    verification: row.patientVerification as string,
  };
}

/** Consent, then ownership, then verification, in the order a patient would fix them. */
export function checkReader(accounts: AccountService, row: Row): ReportPatient {
  accounts.checkConsent((row.consentVersion as string | null) ?? null);
  if (!row.patientId) throw notFound('就诊人');
  const patient = toPatient(row);
  if (patient.verification !== 'verified' || !patient.idNumberEnc) throw notVerified();
  return patient;
}

/** One of the caller's patients, for reading its reports. */
export async function findReader(
  sql: Sql,
  accounts: AccountService,
  userId: string,
  patientId: string,
): Promise<ReportPatient> {
  const row = await sql.one<Row>(
    `SELECT ${ACTIVE_CONSENT_VERSION} AS "consentVersion", ${PATIENT_COLUMNS}
     FROM (SELECT 1 AS one) x LEFT JOIN ${OWN_PATIENT}`,
    [userId, patientId, userId],
  );
  return checkReader(accounts, row!);
}

export interface OwnReportRow extends StoredReportRow {
  hisCode: string;
  hospitalId: string;
  hospitalName: string;
  hospitalCode: string;
  fetchedAt: unknown;
}

/**
 * One stored, released report of the caller's, with its patient, hospital and
 * when its hospital was last asked, plus the consent check: one statement.
 */
export async function findOwnReport(sql: Sql, accounts: AccountService, userId: string, reportId: string) {
  const row = await sql.one<Row>(
    `SELECT ${ACTIVE_CONSENT_VERSION} AS "consentVersion", ${PATIENT_COLUMNS},
       r.id, r.his_code AS "hisCode", r.hospital_id AS "hospitalId", r.type, r.status, r.reported_at AS "reportedAt",
       r.title_enc AS "titleEnc", r.content_enc AS "contentEnc", r.updated_at AS "updatedAt",
       p.updated_at AS "patientUpdatedAt",
       h.name AS "hospitalName", h.code AS "hospitalCode", f.fetched_at AS "fetchedAt"
     FROM (SELECT 1 AS one) x
     LEFT JOIN reports r ON r.id = ? AND r.status IN ('final', 'amended')
     LEFT JOIN patients p ON p.id = r.patient_id AND p.user_id = ? AND p.deleted_at IS NULL
     LEFT JOIN hospitals h ON h.id = r.hospital_id
     LEFT JOIN report_fetches f ON f.patient_id = r.patient_id AND f.hospital_id = r.hospital_id`,
    [userId, reportId, userId],
  );
  accounts.checkConsent((row!.consentVersion as string | null) ?? null);
  if (!row!.patientId) throw notFound('报告');
  const patient = checkReader(accounts, row!);
  return { row: row as unknown as OwnReportRow, patient };
}
