import type { Sql } from '../../db/sql';
import { notFound } from '../../http/errors';
import { OWN_PATIENT } from '../../privacy/access';
import { ACTIVE_CONSENT_VERSION, type AccountService } from '../accounts/service';

export interface HealthPatient {
  id: string;
  sex: 'male' | 'female';
  birthYear: number | null;
  /** Real-name verified: only then are the hospitals' reports the patient's (as the reports module rules). */
  verified: boolean;
  heightCm: number | null;
  profileId: string | null;
  profileEnc: string | null;
}

type Row = Record<string, unknown>;

/**
 * The health-data consent (403 CONSENT_REQUIRED) and the patient being the
 * caller's own (privacy/access.ts OWN_PATIENT; 404 otherwise), with the
 * patient's 健康档案 row, in one statement: this runs on every health request.
 */
export async function findHealthPatient(
  sql: Sql,
  accounts: AccountService,
  userId: string,
  patientId: string,
): Promise<HealthPatient> {
  const row = await sql.one<Row>(
    `SELECT ${ACTIVE_CONSENT_VERSION} AS "consentVersion", p.id, p.sex, p.birth_year AS "birthYear",
       p.verification_status AS "verificationStatus", hp.id AS "profileId", hp.height_cm AS "heightCm", hp.data_enc AS "profileEnc"
     FROM (SELECT 1 AS one) x
     LEFT JOIN ${OWN_PATIENT}
     LEFT JOIN health_profiles hp ON hp.patient_id = p.id`,
    [userId, patientId, userId],
  );
  accounts.checkConsent((row?.consentVersion as string | null) ?? null);
  if (!row?.id) throw notFound('就诊人');
  return {
    id: row.id as string,
    sex: row.sex as 'male' | 'female',
    birthYear: row.birthYear === null ? null : Number(row.birthYear),
    verified: row.verificationStatus === 'verified',
    heightCm: row.heightCm === null || row.heightCm === undefined ? null : Number(row.heightCm),
    profileId: (row.profileId as string | null) ?? null,
    profileEnc: (row.profileEnc as string | null) ?? null,
  };
}
