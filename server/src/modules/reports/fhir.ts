import { createHash } from 'node:crypto';
import type {
  Bundle,
  BundleEntry,
  CodeableConcept,
  DiagnosticReport,
  Observation,
  ObservationReferenceRange,
  Patient,
} from '@medplum/fhirtypes';
import { parseValue, type Flag, type InterpretedItem } from './interpret';
import type { InterpretationRules } from './rules';
import type { ReportBody } from './view';

/**
 * A report as a FHIR R4 Bundle (type `collection`) that a family doctor's
 * system can import: the DiagnosticReport, one Observation per result with
 * its HL7 interpretation and reference range, and the Patient with masked
 * name and identifier only. Ids and fullUrls are derived from our ids, so
 * exporting the same report twice gives the same resources.
 */
export interface FhirInput {
  reportId: string;
  hisCode: string;
  hospital: { code: string; name: string };
  patient: { id: string; maskedName: string; maskedIdNumber: string; sex: 'male' | 'female'; birthYear: string };
  body: ReportBody;
}

const INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
const FLAG_DISPLAY: Record<Flag, string> = {
  N: 'Normal',
  L: 'Low',
  H: 'High',
  LL: 'Critical low',
  HH: 'Critical high',
  A: 'Abnormal',
};

/** A UUID made from a name (SHA-256, version and variant bits set), for stable fullUrls. */
function uuidOf(name: string): string {
  const h = createHash('sha256').update(name).digest('hex').slice(0, 32).split('');
  h[12] = '5';
  h[16] = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** FHIR ids allow letters, digits, `-` and `.`: ours use `_`. */
const fhirId = (id: string) => id.replace(/_/g, '-');

function codeOf(item: InterpretedItem, hospitalCode: string, rules: InterpretationRules): CodeableConcept {
  const loinc = item.analyte ? rules.analyte(item.analyte)?.loinc : undefined;
  return {
    coding: [
      ...(loinc ? [{ system: 'http://loinc.org', code: loinc, display: item.name }] : []),
      { system: `urn:yilian:his:${hospitalCode}:item`, code: item.code, display: item.name },
    ],
    text: item.name,
  };
}

function rangeOf(item: InterpretedItem): ObservationReferenceRange[] | undefined {
  const r = item.referenceRange;
  if (!r) return undefined;
  const unit = item.unit ?? undefined;
  const range: ObservationReferenceRange = {};
  if (r.low !== null) range.low = { value: r.low, unit };
  if (r.high !== null) range.high = { value: r.high, unit };
  const source = r.source === 'reference' ? `（${r.citation}，${r.population}）` : '';
  if (r.text || source) range.text = `${r.text ?? ''}${source}`;
  return [range];
}

function observationOf(
  item: InterpretedItem,
  index: number,
  input: FhirInput,
  subject: string,
  rules: InterpretationRules,
): Observation {
  const parsed = parseValue(item.value);
  const obs: Observation = {
    resourceType: 'Observation',
    id: `${fhirId(input.reportId)}-${index + 1}`,
    status: input.body.status,
    category: [
      {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }],
      },
    ],
    code: codeOf(item, input.hospital.code, rules),
    subject: { reference: subject },
    issued: input.body.reportedAt,
    ...(parsed
      ? {
          valueQuantity: {
            value: parsed.value,
            ...(parsed.comparator ? { comparator: parsed.comparator } : {}),
            ...(item.unit ? { unit: item.unit } : {}),
          },
        }
      : { valueString: item.value }),
  };
  if (item.flag) {
    obs.interpretation = [{ coding: [{ system: INTERPRETATION, code: item.flag, display: FLAG_DISPLAY[item.flag] }] }];
  }
  const range = rangeOf(item);
  if (range) obs.referenceRange = range;
  return obs;
}

export function toFhirBundle(input: FhirInput, rules: InterpretationRules): Bundle {
  const { body } = input;
  const url = (kind: string) => `urn:uuid:${uuidOf(`${input.reportId}/${kind}`)}`;
  const patientUrl = url('patient');
  const patient: Patient = {
    resourceType: 'Patient',
    id: fhirId(input.patient.id),
    identifier: [{ system: 'urn:yilian:masked-resident-id', value: input.patient.maskedIdNumber }],
    name: [{ text: input.patient.maskedName }],
    gender: input.patient.sex,
    birthDate: input.patient.birthYear,
  };
  const observations = body.items.map((item, i) => observationOf(item, i, input, patientUrl, rules));
  if (body.findings) {
    observations.push({
      resourceType: 'Observation',
      id: `${fhirId(input.reportId)}-findings`,
      status: body.status,
      code: { text: '检查所见' },
      subject: { reference: patientUrl },
      issued: body.reportedAt,
      valueString: body.findings,
    });
  }
  const obsUrls = observations.map((o) => url(`observation/${o.id}`));
  const report: DiagnosticReport = {
    resourceType: 'DiagnosticReport',
    id: fhirId(input.reportId),
    identifier: [
      { system: 'urn:yilian:report', value: input.reportId },
      { system: `urn:yilian:his:${input.hospital.code}:report`, value: input.hisCode },
    ],
    status: body.status,
    category: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/v2-0074',
            code: body.type === 'lab' ? 'LAB' : 'RAD',
            display: body.type === 'lab' ? 'Laboratory' : 'Radiology',
          },
        ],
      },
    ],
    code: { text: body.title },
    subject: { reference: patientUrl },
    issued: body.reportedAt,
    performer: [{ display: input.hospital.name }],
    result: obsUrls.map((reference) => ({ reference })),
    conclusion: body.impression ?? body.summary.text,
  };
  const entries: BundleEntry[] = [
    { fullUrl: url('report'), resource: report },
    { fullUrl: patientUrl, resource: patient },
    ...observations.map((resource, i) => ({ fullUrl: obsUrls[i], resource })),
  ];
  return { resourceType: 'Bundle', type: 'collection', timestamp: new Date().toISOString(), entry: entries };
}
