import { readFileSync } from 'node:fs';
import {
  DATA_FILE,
  HealthRules,
  loadHealthRules,
  type Facts,
  type MeasurementType,
} from '../../server/src/modules/health/rules';

const rules = loadHealthRules();
const code = (type: MeasurementType, facts: Facts) => rules.classify(type, facts).code;
const bp = (systolic: number, diastolic: number) => code('blood_pressure', { systolic, diastolic });
const glu = (mmolL: number, timing: string) => code('blood_glucose', { mmolL, timing });

describe('the rule file', () => {
  it('loads, names a source for every type and is marked as a draft until a clinician signs it off', () => {
    expect(rules.reviewed).toBe(false);
    for (const t of ['blood_pressure', 'blood_glucose', 'weight', 'heart_rate', 'body_temperature', 'spo2'] as const) {
      expect(rules.sourceOf(t)).toMatch(/\S{10,}/);
      expect(rules.classesOf(t).length).toBeGreaterThanOrEqual(3);
    }
    expect(rules.sourceOf('blood_pressure')).toMatch(/中国高血压防治指南/);
    expect(rules.sourceOf('weight')).toMatch(/WS\/T 428/);
  });

  it('refuses a file with an unknown field, a missing source, a misplaced default or a missing type', () => {
    const good = JSON.parse(readFileSync(DATA_FILE, 'utf8'));
    const broken = (edit: (f: typeof good) => void) => {
      const f = JSON.parse(JSON.stringify(good));
      edit(f);
      return () => new HealthRules(f);
    };
    expect(broken(() => undefined)).not.toThrow();
    expect(broken((f) => (f.classes.spo2.rules[0].when = [{ systolic: { lt: 90 } }]))).toThrow(
      /unknown field systolic/,
    );
    expect(broken((f) => (f.classes.spo2.source = 'nowhere'))).toThrow(/source nowhere/);
    expect(broken((f) => delete f.classes.spo2.rules[0].when)).toThrow(/only the last rule/);
    expect(broken((f) => delete f.classes.spo2)).toThrow(/spo2/);
    expect(broken((f) => (f.classes.spo2.rules[0].level = 'bad'))).toThrow(/level/);
    expect(broken((f) => (f.plausibility.kg.min = 400))).toThrow(/min < max/);
  });
});

describe('blood pressure grades (中国高血压防治指南), each cut-off on both sides', () => {
  it.each([
    [119, 79, 'normal'],
    [120, 79, 'high_normal'],
    [119, 80, 'high_normal'],
    [139, 89, 'high_normal'],
    [140, 89, 'isolated_systolic_hypertension'],
    [139, 90, 'grade_1_hypertension'],
    [159, 99, 'grade_1_hypertension'],
    [160, 95, 'grade_2_hypertension'],
    [150, 100, 'grade_2_hypertension'],
    [179, 109, 'grade_2_hypertension'],
    [180, 109, 'grade_3_hypertension'],
    [179, 110, 'grade_3_hypertension'],
    [179, 89, 'isolated_systolic_hypertension'],
    [180, 80, 'grade_3_hypertension'],
  ])('%i/%i mmHg is %s', (s, d, expected) => {
    expect(bp(s, d)).toBe(expected);
  });

  it('gives the guideline label, level and an urgent message to seek care for grade 3', () => {
    expect(rules.classify('blood_pressure', { systolic: 145, diastolic: 92 })).toMatchObject({
      label: '1级高血压（轻度）',
      level: 'high',
    });
    expect(rules.classify('blood_pressure', { systolic: 130, diastolic: 85 })).toMatchObject({
      label: '正常高值',
      level: 'elevated',
    });
    const urgent = rules.classify('blood_pressure', { systolic: 185, diastolic: 100 });
    expect(urgent.level).toBe('urgent');
    expect(urgent.advice).toMatch(/就医|120/);
  });
});

describe('blood glucose (中国2型糖尿病防治指南), each cut-off on both sides', () => {
  it.each([
    [2.9, 'fasting', 'severe_hypoglycemia'],
    [3.0, 'fasting', 'hypoglycemia'],
    [3.8, 'random', 'hypoglycemia'],
    [3.9, 'fasting', 'normal'],
    [6.0, 'fasting', 'normal'],
    [6.1, 'fasting', 'impaired_fasting_glucose'],
    [6.9, 'fasting', 'impaired_fasting_glucose'],
    [7.0, 'fasting', 'diabetes_range'],
    [7.7, 'after_meal_2h', 'normal'],
    [7.8, 'after_meal_2h', 'impaired_glucose_tolerance'],
    [11.0, 'after_meal_2h', 'impaired_glucose_tolerance'],
    [11.1, 'after_meal_2h', 'diabetes_range'],
    [11.0, 'random', 'normal'],
    [11.1, 'random', 'diabetes_range'],
    [16.6, 'fasting', 'diabetes_range'],
    [16.7, 'fasting', 'severe_hyperglycemia'],
    [16.7, 'random', 'severe_hyperglycemia'],
  ])('%f mmol/L %s is %s', (v, timing, expected) => {
    expect(glu(v, timing)).toBe(expected);
  });

  it('marks very low and very high glucose urgent', () => {
    expect(rules.classify('blood_glucose', { mmolL: 2.5, timing: 'random' }).level).toBe('urgent');
    expect(rules.classify('blood_glucose', { mmolL: 20, timing: 'after_meal_2h' }).level).toBe('urgent');
  });
});

describe('adult BMI (WS/T 428-2013), heart rate, temperature and SpO2, each cut-off on both sides', () => {
  it.each([
    ['weight', { bmi: 18.4 }, 'underweight'],
    ['weight', { bmi: 18.5 }, 'normal'],
    ['weight', { bmi: 23.9 }, 'normal'],
    ['weight', { bmi: 24 }, 'overweight'],
    ['weight', { bmi: 27.9 }, 'overweight'],
    ['weight', { bmi: 28 }, 'obese'],
    ['heart_rate', { bpm: 39 }, 'severe_arrhythmia_risk'],
    ['heart_rate', { bpm: 40 }, 'bradycardia'],
    ['heart_rate', { bpm: 59 }, 'bradycardia'],
    ['heart_rate', { bpm: 60 }, 'normal'],
    ['heart_rate', { bpm: 100 }, 'normal'],
    ['heart_rate', { bpm: 101 }, 'tachycardia'],
    ['heart_rate', { bpm: 149 }, 'tachycardia'],
    ['heart_rate', { bpm: 150 }, 'severe_arrhythmia_risk'],
    ['body_temperature', { celsius: 34.9 }, 'hypothermia'],
    ['body_temperature', { celsius: 35 }, 'normal'],
    ['body_temperature', { celsius: 37.2 }, 'normal'],
    ['body_temperature', { celsius: 37.3 }, 'low_grade_fever'],
    ['body_temperature', { celsius: 38 }, 'low_grade_fever'],
    ['body_temperature', { celsius: 38.1 }, 'moderate_fever'],
    ['body_temperature', { celsius: 39 }, 'moderate_fever'],
    ['body_temperature', { celsius: 39.1 }, 'high_fever'],
    ['body_temperature', { celsius: 41 }, 'high_fever'],
    ['body_temperature', { celsius: 41.1 }, 'hyperpyrexia'],
    ['spo2', { percent: 89 }, 'hypoxemia'],
    ['spo2', { percent: 90 }, 'low'],
    ['spo2', { percent: 94 }, 'low'],
    ['spo2', { percent: 95 }, 'normal'],
  ] as Array<[MeasurementType, Facts, string]>)('%s %j is %s', (type, facts, expected) => {
    expect(code(type, facts)).toBe(expected);
  });
});

describe('plausibility limits', () => {
  it.each([
    ['systolic', 60, 280],
    ['diastolic', 30, 180],
    ['pulse', 20, 250],
    ['mmolL', 1, 35],
    ['kg', 2, 300],
    ['heightCm', 40, 250],
    ['bpm', 20, 250],
    ['celsius', 30, 45],
    ['percent', 50, 100],
  ])('%s accepts %d to %d and refuses just outside', (field, min, max) => {
    expect(() => rules.checkPlausible({ [field]: min })).not.toThrow();
    expect(() => rules.checkPlausible({ [field]: max })).not.toThrow();
    for (const v of [min - 0.1, max + 0.1]) {
      expect(() => rules.checkPlausible({ [field]: v })).toThrow(
        expect.objectContaining({ code: 'IMPLAUSIBLE_VALUE' }),
      );
    }
  });
});
