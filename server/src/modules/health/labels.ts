import type { MeasurementType } from './rules';

/** How readings and visits read in Chinese, and the trend of a series: pure helpers of the health service. */

export const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

export const APPOINTMENT_STATUS: Record<string, string> = {
  booked: '已预约',
  checked_in: '已签到',
  completed: '已就诊',
  cancelled: '已取消',
  no_show: '未到诊',
};

export const TYPE_LABELS: Record<MeasurementType, string> = {
  blood_pressure: '血压',
  blood_glucose: '血糖',
  weight: '体重',
  heart_rate: '心率',
  body_temperature: '体温',
  spo2: '血氧',
};

export function describe(type: MeasurementType, v: Record<string, number | string>): string {
  switch (type) {
    case 'blood_pressure':
      return `${v.systolic}/${v.diastolic} mmHg`;
    case 'blood_glucose':
      return `${v.mmolL} mmol/L`;
    case 'weight':
      return `${v.kg} kg（BMI ${v.bmi}）`;
    case 'heart_rate':
      return `${v.bpm} 次/分`;
    case 'body_temperature':
      return `${v.celsius} ℃`;
    case 'spo2':
      return `${v.percent}%`;
  }
}

/** Later half's average against the earlier half's; a change under 2% of the mean is stable. */
export function trendOf(values: number[]): {
  direction: 'rising' | 'falling' | 'stable' | 'insufficient';
  change: number | null;
} {
  if (values.length < 4) return { direction: 'insufficient', change: null };
  const half = Math.floor(values.length / 2);
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const early = mean(values.slice(0, half));
  const late = mean(values.slice(values.length - half));
  const change = round(late - early, 2);
  const threshold = 0.02 * Math.abs(mean(values));
  return { direction: Math.abs(late - early) < threshold ? 'stable' : late > early ? 'rising' : 'falling', change };
}
