/**
 * 健康工具: pure calculations shared by the server (BMI of a weight record)
 * and the mini-program (the tools page). No I/O, no dates from the clock:
 * callers pass "today" so results are reproducible.
 */

/** Rounds to `digits` decimals (half away from zero, as people do by hand). */
export function round(value: number, digits = 1): number {
  // Shifting by exponent text avoids binary error: 1.005 * 100 is 100.49999..., `1.005e2` is 100.5.
  const shifted = Math.round(Number(`${Math.abs(value)}e${digits}`));
  return Math.sign(value) * Number(`${shifted}e-${digits}`);
}

/** Body mass index, kg/m², to one decimal. */
export function bmi(weightKg: number, heightCm: number): number {
  if (!(weightKg > 0) || !(heightCm > 0)) throw new RangeError('weight and height must be positive');
  const m = heightCm / 100;
  return round(weightKg / (m * m), 1);
}

/** Adult BMI classes per WS/T 428-2013 (the server's rule file holds the same cut-offs with advice). */
export type BmiClass = 'underweight' | 'normal' | 'overweight' | 'obese';
export function bmiClass(value: number): BmiClass {
  if (value < 18.5) return 'underweight';
  if (value < 24) return 'normal';
  if (value < 28) return 'overweight';
  return 'obese';
}

export const BMI_CLASS_LABELS: Record<BmiClass, string> = {
  underweight: '体重过低',
  normal: '体重正常',
  overweight: '超重',
  obese: '肥胖',
};

/** Activity factors applied to BMR (FAO/WHO/UNU physical activity levels, rounded as commonly used). */
export const ACTIVITY_FACTORS = {
  sedentary: 1.2,
  light: 1.375,
  moderate: 1.55,
  active: 1.725,
  very_active: 1.9,
} as const;
export type ActivityLevel = keyof typeof ACTIVITY_FACTORS;

export const ACTIVITY_LABELS: Record<ActivityLevel, string> = {
  sedentary: '久坐少动',
  light: '轻度活动（每周1–3天运动）',
  moderate: '中度活动（每周3–5天运动）',
  active: '高度活动（每周6–7天运动）',
  very_active: '极高活动（体力劳动或每天训练）',
};

/** Basal metabolic rate by Mifflin-St Jeor (1990), kcal/day, rounded to a whole number. */
export function bmrMifflinStJeor(p: { sex: 'male' | 'female'; weightKg: number; heightCm: number; age: number }) {
  const base = 10 * p.weightKg + 6.25 * p.heightCm - 5 * p.age;
  return Math.round(base + (p.sex === 'male' ? 5 : -161));
}

/** Daily energy need: BMR times the activity factor, kcal/day. */
export function dailyEnergy(p: {
  sex: 'male' | 'female';
  weightKg: number;
  heightCm: number;
  age: number;
  activity: ActivityLevel;
}): { bmr: number; factor: number; kcal: number } {
  const bmr = bmrMifflinStJeor(p);
  const factor = ACTIVITY_FACTORS[p.activity];
  return { bmr, factor, kcal: Math.round(bmr * factor) };
}

const DAY_MS = 86_400_000;
const parseDate = (d: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new RangeError(`not a YYYY-MM-DD date: ${d}`);
  const [y, m, day] = d.split('-').map(Number);
  const t = Date.UTC(y, m - 1, day);
  if (new Date(t).toISOString().slice(0, 10) !== d) throw new RangeError(`no such date: ${d}`);
  return t;
};
const formatDate = (t: number) => new Date(t).toISOString().slice(0, 10);

/**
 * 预产期 by Naegele's rule: first day of the last menstrual period + 1 year
 * - 3 months + 7 days (the same as + 280 days for a 28-day cycle; the
 * calendar form is what clinics compute by hand). With `today`, also the
 * weeks and days of pregnancy (孕周) and the days left.
 */
export function dueDate(lmp: string, today?: string) {
  const t = parseDate(lmp);
  const d = new Date(t);
  const due = Date.UTC(d.getUTCFullYear() + 1, d.getUTCMonth() - 3, d.getUTCDate() + 7);
  if (today === undefined) return { dueDate: formatDate(due) };
  const elapsed = Math.round((parseDate(today) - t) / DAY_MS);
  return {
    dueDate: formatDate(due),
    daysPregnant: elapsed,
    weeks: Math.floor(elapsed / 7),
    days: elapsed % 7,
    daysLeft: Math.round((due - parseDate(today)) / DAY_MS),
  };
}

/** Healthy weight range for a height: BMI 18.5 to 23.9 (WS/T 428), kg to one decimal. */
export function idealWeightRange(heightCm: number): { minKg: number; maxKg: number } {
  if (!(heightCm > 0)) throw new RangeError('height must be positive');
  const m2 = (heightCm / 100) ** 2;
  return { minKg: round(18.5 * m2, 1), maxKg: round(23.9 * m2, 1) };
}

/** Waist-to-height ratio; 0.5 and above marks central obesity risk. */
export function waistToHeight(waistCm: number, heightCm: number): { ratio: number; atRisk: boolean } {
  if (!(waistCm > 0) || !(heightCm > 0)) throw new RangeError('waist and height must be positive');
  const ratio = round(waistCm / heightCm, 2);
  return { ratio, atRisk: waistCm / heightCm >= 0.5 };
}
