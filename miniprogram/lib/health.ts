import type { HealthLevel, HealthRecord, MeasurementType } from '../api/types';

/** Labels and quick-form fields per measurement type, shared by the 健康 tab and the health subpackage. */
export const TYPE_LABELS: Record<MeasurementType, string> = {
  blood_pressure: '血压',
  blood_glucose: '血糖',
  weight: '体重',
  heart_rate: '心率',
  body_temperature: '体温',
  spo2: '血氧',
};

export const TYPES = Object.keys(TYPE_LABELS) as MeasurementType[];

export const UNITS: Record<MeasurementType, string> = {
  blood_pressure: 'mmHg',
  blood_glucose: 'mmol/L',
  weight: 'kg',
  heart_rate: '次/分',
  body_temperature: '℃',
  spo2: '%',
};

export interface QuickField {
  key: string;
  label: string;
  unit: string;
  optional?: boolean;
  decimals: boolean;
}

export const FIELDS: Record<MeasurementType, QuickField[]> = {
  blood_pressure: [
    { key: 'systolic', label: '收缩压（高压）', unit: 'mmHg', decimals: false },
    { key: 'diastolic', label: '舒张压（低压）', unit: 'mmHg', decimals: false },
    { key: 'pulse', label: '脉搏', unit: '次/分', optional: true, decimals: false },
  ],
  blood_glucose: [{ key: 'mmolL', label: '血糖值', unit: 'mmol/L', decimals: true }],
  weight: [
    { key: 'kg', label: '体重', unit: 'kg', decimals: true },
    { key: 'heightCm', label: '身高（不填则用健康档案中的身高）', unit: 'cm', optional: true, decimals: true },
  ],
  heart_rate: [{ key: 'bpm', label: '心率', unit: '次/分', decimals: false }],
  body_temperature: [{ key: 'celsius', label: '体温（腋下）', unit: '℃', decimals: true }],
  spo2: [{ key: 'percent', label: '血氧饱和度', unit: '%', decimals: false }],
};

export const GLUCOSE_TIMINGS = [
  { key: 'fasting', label: '空腹' },
  { key: 'after_meal_2h', label: '餐后2小时' },
  { key: 'random', label: '随机' },
] as const;

/** Badge class per level: colour plus the guideline's words, never colour alone. */
export const LEVEL_BADGE: Record<HealthLevel, string> = {
  normal: 'badge badge--success',
  elevated: 'badge badge--warning',
  high: 'badge badge--danger',
  urgent: 'badge badge--danger',
};

/** "128/82 mmHg", "6.1 mmol/L 空腹", "65 kg BMI 23.0". */
export function describeValues(r: Pick<HealthRecord, 'type' | 'values'>, short = false): string {
  const v = r.values;
  switch (r.type) {
    case 'blood_pressure':
      return `${v.systolic}/${v.diastolic} mmHg${v.pulse !== undefined && !short ? ` · 脉搏 ${v.pulse}` : ''}`;
    case 'blood_glucose':
      return `${v.mmolL} mmol/L · ${GLUCOSE_TIMINGS.find((t) => t.key === v.timing)?.label ?? ''}`;
    case 'weight':
      return `${v.kg} kg · BMI ${v.bmi}`;
    default:
      return `${Object.values(v)[0]} ${UNITS[r.type]}`;
  }
}

/** Digits and at most one decimal point, as typed into a number field. */
export const numberChars = (decimals: boolean) => (raw: string) => {
  const cleaned = raw.replace(decimals ? /[^\d.]/g : /\D/g, '');
  const [int, ...rest] = cleaned.split('.');
  return (rest.length ? `${int}.${rest.join('').slice(0, 1)}` : int).slice(0, 6);
};

/** "12-07 08:30" in Shanghai, from the server's +08:00 ISO time. */
export const shortTime = (iso: string) => `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
