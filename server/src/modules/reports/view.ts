import { ageOn } from '../../../../common/id-card';
import { maskName } from '../../../../common/mask';
import { asDate } from '../../db/sql';
import { toShanghaiIso } from '../../lib/time';
import type { PiiCipher } from '../../privacy/cipher';
import { birthDateOf, decryptContent, decryptTitle, subjectOf, type ReportContent } from './content';
import { CRITICAL_ADVICE, DISCLAIMER, interpretItems, type InterpretedItem, type Summary } from './interpret';
import type { InterpretationRules } from './rules';

/** A stored report row as the detail and shared views read it (plain SQL aliases). */
export interface StoredReportRow {
  id: string;
  type: 'lab' | 'exam';
  status: 'final' | 'amended';
  reportedAt: unknown;
  titleEnc: string;
  contentEnc: string;
  /** When the report and its patient last changed: what a rendered body depends on. */
  updatedAt: unknown;
  patientUpdatedAt: unknown;
}

/** The report as both its owner and a share's viewer see it: decrypted, interpreted, critical items first. */
export interface ReportBody {
  type: 'lab' | 'exam';
  title: string;
  status: 'final' | 'amended';
  amended: boolean;
  reportedAt: string;
  department: string;
  orderedBy: string;
  specimen: string | null;
  summary: Summary;
  items: InterpretedItem[];
  findings: string | null;
  impression: string | null;
  advice: string | null;
  disclaimer: string;
}

export interface ReadPerson {
  name: string;
  sex: 'male' | 'female';
  birthDate: string;
}

export function reportBody(
  cipher: PiiCipher,
  rules: InterpretationRules,
  row: StoredReportRow,
  person: ReadPerson,
): { body: ReportBody; content: ReportContent; age: number } {
  const reportedAt = asDate(row.reportedAt);
  const content = decryptContent(cipher, row.id, row.contentEnc);
  const subject = subjectOf(person.sex, person.birthDate, reportedAt);
  const { items, summary } = interpretItems(content.items, subject, rules, row.type);
  return {
    content,
    age: ageOn(person.birthDate, subject.on),
    body: {
      type: row.type,
      title: decryptTitle(cipher, row.id, row.titleEnc),
      status: row.status,
      amended: row.status === 'amended',
      reportedAt: toShanghaiIso(reportedAt),
      department: content.department,
      orderedBy: content.orderedBy,
      specimen: content.specimen,
      summary,
      items,
      findings: content.findings,
      impression: content.impression,
      advice: summary.critical ? CRITICAL_ADVICE : null,
      disclaimer: DISCLAIMER,
    },
  };
}

/** What anyone but the account holder sees of the patient: masked name, sex, age on the report's day. */
export const maskedPerson = (person: ReadPerson, age: number) => ({
  name: maskName(person.name),
  sex: person.sex,
  age,
});

export interface Rendered {
  body: ReportBody;
  person: ReadPerson;
  age: number;
}

const MAX_KEPT = 5_000;
const MAX_AGE_MS = 60_000;

/**
 * Renders reports (decrypt, interpret) and keeps the results of recently read
 * ones in memory while the report and its patient are unchanged (their
 * `updated_at`, read with the access check), at most a minute. A kept body is
 * shared between requests: callers copy it, never change it.
 */
export class ReportRenderer {
  private readonly kept = new Map<string, { version: string; at: number; value: Rendered }>();

  constructor(
    private readonly cipher: PiiCipher,
    private readonly rules: InterpretationRules,
  ) {}

  render(
    row: StoredReportRow,
    patient: { id: string; name: string; sex: 'male' | 'female'; idNumberEnc: string },
  ): Rendered {
    const version = `${asDate(row.updatedAt).getTime()}/${asDate(row.patientUpdatedAt).getTime()}`;
    const hit = this.kept.get(row.id);
    if (hit && hit.version === version && Date.now() - hit.at < MAX_AGE_MS) return hit.value;
    const person = { name: patient.name, sex: patient.sex, birthDate: birthDateOf(this.cipher, patient) };
    const { body, age } = reportBody(this.cipher, this.rules, row, person);
    const value = { body, person, age };
    this.kept.delete(row.id);
    this.kept.set(row.id, { version, at: Date.now(), value });
    if (this.kept.size > MAX_KEPT) this.kept.delete(this.kept.keys().next().value!);
    return value;
  }
}
