import { checkIdNumber } from '../../../../common/id-card';
import type { HisReport, HisReportItem } from '../../his/types';
import { shanghaiDate } from '../../lib/time';
import { slotOf, type PiiCipher } from '../../privacy/cipher';
import type { Subject } from './rules';

/**
 * What a stored report holds besides its clear columns, encrypted as one
 * JSON value bound to its row (`reports.content_enc`); the title is
 * encrypted on its own (`reports.title_enc`) so lists read no content.
 */
export interface ReportContent {
  specimen: string | null;
  department: string;
  orderedBy: string;
  items: HisReportItem[];
  findings: string | null;
  impression: string | null;
}

export const contentOf = (r: HisReport): ReportContent => ({
  specimen: r.specimen ?? null,
  department: r.department,
  orderedBy: r.orderedBy,
  items: r.items ?? [],
  findings: r.findings ?? null,
  impression: r.impression ?? null,
});

export const encryptContent = (cipher: PiiCipher, reportId: string, c: ReportContent) =>
  cipher.encrypt(JSON.stringify(c), slotOf('reports', 'content_enc', reportId));

export const decryptContent = (cipher: PiiCipher, reportId: string, stored: string): ReportContent =>
  JSON.parse(cipher.decrypt(stored, slotOf('reports', 'content_enc', reportId))) as ReportContent;

export const encryptTitle = (cipher: PiiCipher, reportId: string, title: string) =>
  cipher.encrypt(title, slotOf('reports', 'title_enc', reportId));

export const decryptTitle = (cipher: PiiCipher, reportId: string, stored: string) =>
  cipher.decrypt(stored, slotOf('reports', 'title_enc', reportId));

/** A patient as the reports module reads it (plain SQL, ./access.ts). */
export interface ReportPatient {
  id: string;
  userId: string;
  name: string;
  sex: 'male' | 'female';
  idNumberEnc: string;
  idNumberMasked: string;
}

export const idNumberOf = (cipher: PiiCipher, p: Pick<ReportPatient, 'id' | 'idNumberEnc'>) =>
  cipher.decrypt(p.idNumberEnc, slotOf('patients', 'id_number_enc', p.id));

/** Birth date from the (encrypted) ID number: only the birth year is stored in clear. */
export function birthDateOf(cipher: PiiCipher, p: Pick<ReportPatient, 'id' | 'idNumberEnc'>): string {
  const check = checkIdNumber(idNumberOf(cipher, p), shanghaiDate());
  if (!check.ok) throw new Error('stored ID number is invalid');
  return check.info.birthDate;
}

/** The person on the day of the report, for age- and sex-specific ranges. */
export const subjectOf = (sex: 'male' | 'female', birthDate: string, reportedAt: Date): Subject => ({
  sex,
  birthDate,
  on: shanghaiDate(reportedAt),
});
