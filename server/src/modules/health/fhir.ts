import type { Bundle, CodeableConcept, Observation, ObservationComponent, Quantity } from '@medplum/fhirtypes';
import type { MeasurementType } from './rules';
import type { HealthRecordDto } from './schemas';

/**
 * Measurements as FHIR R4 Observations of the vital-signs category: LOINC
 * codes, UCUM units (system http://unitsofmeasure.org), the classification as
 * an HL7 interpretation plus its Chinese label. Blood pressure is the LOINC
 * panel 85354-9 with systolic and diastolic components; weight adds BMI as a
 * component. The Patient is referenced by our id only.
 */
const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

const loinc = (code: string, display: string, text: string): CodeableConcept => ({
  coding: [{ system: LOINC, code, display }],
  text,
});
const qty = (value: number, unit: string, code: string): Quantity => ({ value, unit, system: UCUM, code });

/** Classes below the normal range: interpreted L (or LL when urgent); others H / HH. */
const LOW = new Set([
  'hypoglycemia',
  'severe_hypoglycemia',
  'underweight',
  'bradycardia',
  'hypothermia',
  'low',
  'hypoxemia',
]);

const GLUCOSE_TEXT: Record<string, string> = {
  fasting: '空腹血糖',
  after_meal_2h: '餐后2小时血糖',
  random: '随机血糖',
};

function valueOf(type: MeasurementType, v: Record<string, number | string>): Partial<Observation> {
  switch (type) {
    case 'blood_pressure': {
      const component: ObservationComponent[] = [
        {
          code: loinc('8480-6', 'Systolic blood pressure', '收缩压'),
          valueQuantity: qty(Number(v.systolic), 'mmHg', 'mm[Hg]'),
        },
        {
          code: loinc('8462-4', 'Diastolic blood pressure', '舒张压'),
          valueQuantity: qty(Number(v.diastolic), 'mmHg', 'mm[Hg]'),
        },
      ];
      if (v.pulse !== undefined)
        component.push({
          code: loinc('8867-4', 'Heart rate', '脉搏'),
          valueQuantity: qty(Number(v.pulse), '/min', '/min'),
        });
      return { code: loinc('85354-9', 'Blood pressure panel with all children optional', '血压'), component };
    }
    case 'blood_glucose':
      return {
        code: loinc(
          '14743-9',
          'Glucose [Moles/volume] in Capillary blood by Glucometer',
          GLUCOSE_TEXT[String(v.timing)],
        ),
        valueQuantity: qty(Number(v.mmolL), 'mmol/L', 'mmol/L'),
      };
    case 'weight':
      return {
        code: loinc('29463-7', 'Body weight', '体重'),
        valueQuantity: qty(Number(v.kg), 'kg', 'kg'),
        component: [
          {
            code: loinc('39156-5', 'Body mass index (BMI) [Ratio]', 'BMI'),
            valueQuantity: qty(Number(v.bmi), 'kg/m2', 'kg/m2'),
          },
          { code: loinc('8302-2', 'Body height', '身高'), valueQuantity: qty(Number(v.heightCm), 'cm', 'cm') },
        ],
      };
    case 'heart_rate':
      return { code: loinc('8867-4', 'Heart rate', '心率'), valueQuantity: qty(Number(v.bpm), '/min', '/min') };
    case 'body_temperature':
      return { code: loinc('8310-5', 'Body temperature', '体温'), valueQuantity: qty(Number(v.celsius), '℃', 'Cel') };
    case 'spo2':
      return {
        code: loinc('59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry', '血氧饱和度'),
        valueQuantity: qty(Number(v.percent), '%', '%'),
      };
  }
}

/** FHIR ids allow letters, digits, `-` and `.`: ours use `_`. */
const fhirId = (id: string) => id.replace(/_/g, '-');

export function toObservation(r: HealthRecordDto): Observation {
  const c = r.classification;
  const low = LOW.has(c.code);
  const flag = c.level === 'normal' ? 'N' : c.level === 'urgent' ? (low ? 'LL' : 'HH') : low ? 'L' : 'H';
  return {
    resourceType: 'Observation',
    id: fhirId(r.id),
    status: 'final',
    category: [{ coding: [{ system: CATEGORY, code: 'vital-signs', display: 'Vital Signs' }] }],
    subject: { reference: `Patient/${fhirId(r.patientId)}` },
    effectiveDateTime: r.measuredAt,
    ...valueOf(r.type, r.values),
    interpretation: [{ coding: [{ system: INTERPRETATION, code: flag }], text: c.label }],
    ...(r.note ? { note: [{ text: r.note }] } : {}),
  } as Observation;
}

export function toObservationBundle(patientId: string, records: HealthRecordDto[]): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: new Date().toISOString(),
    entry: records.map((r) => ({ fullUrl: `urn:yilian:health-record:${fhirId(r.id)}`, resource: toObservation(r) })),
    meta: { tag: [{ system: 'urn:yilian:patient', code: fhirId(patientId) }] },
  } as Bundle;
}
