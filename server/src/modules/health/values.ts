import { bmi } from '../../../../common/health-tools';
import { AppError } from '../../http/errors';
import type { HealthRules, MeasurementType, Facts } from './rules';
import type { CreateRecord } from './schemas';

/** A measurement as stored: v1..v3 by type (migration 0012-health) and the glucose timing. */
export interface Stored {
  v1: number;
  v2: number | null;
  v3: number | null;
  timing: string | null;
}

const bad = (field: string, message: string) =>
  new AppError(422, 'IMPLAUSIBLE_VALUE', message, { fields: [{ path: `body.values.${field}`, message }] });

/**
 * Checks a measurement against the plausibility limits and the relations
 * between its values, and gives what is stored. Weight needs a height: the
 * one sent, else the 健康档案's.
 */
export function toStored(rules: HealthRules, body: CreateRecord, profileHeightCm: number | null): Stored {
  rules.checkPlausible(body.values);
  switch (body.type) {
    case 'blood_pressure': {
      const v = body.values;
      if (v.diastolic >= v.systolic) throw bad('diastolic', '舒张压应低于收缩压，请核对后重新输入');
      return { v1: v.systolic, v2: v.diastolic, v3: v.pulse ?? null, timing: null };
    }
    case 'blood_glucose':
      return { v1: body.values.mmolL, v2: null, v3: null, timing: body.values.timing };
    case 'weight': {
      const height = body.values.heightCm ?? profileHeightCm;
      if (height === null) throw bad('heightCm', '请填写身高，或先在健康档案中填写身高，以便计算BMI');
      return { v1: body.values.kg, v2: height, v3: bmi(body.values.kg, height), timing: null };
    }
    case 'heart_rate':
      return { v1: body.values.bpm, v2: null, v3: null, timing: null };
    case 'body_temperature':
      return { v1: body.values.celsius, v2: null, v3: null, timing: null };
    case 'spo2':
      return { v1: body.values.percent, v2: null, v3: null, timing: null };
  }
}

/** The values of a stored measurement, by name (also what the rules read). */
export function valuesOf(type: MeasurementType, s: Stored): Record<string, number | string> {
  switch (type) {
    case 'blood_pressure':
      return { systolic: s.v1, diastolic: s.v2!, ...(s.v3 === null ? {} : { pulse: s.v3 }) };
    case 'blood_glucose':
      return { mmolL: s.v1, timing: s.timing! };
    case 'weight':
      return { kg: s.v1, heightCm: s.v2!, bmi: s.v3! };
    case 'heart_rate':
      return { bpm: s.v1 };
    case 'body_temperature':
      return { celsius: s.v1 };
    case 'spo2':
      return { percent: s.v1 };
  }
}

/** The numeric metrics a summary reports per type; the first is the trend's. */
export const METRICS: Record<MeasurementType, string[]> = {
  blood_pressure: ['systolic', 'diastolic', 'pulse'],
  blood_glucose: ['mmolL'],
  weight: ['kg', 'bmi'],
  heart_rate: ['bpm'],
  body_temperature: ['celsius'],
  spo2: ['percent'],
};

export const classify = (rules: HealthRules, type: MeasurementType, s: Stored) =>
  rules.classify(type, valuesOf(type, s) as Facts);
