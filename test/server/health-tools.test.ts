import {
  bmi,
  bmiClass,
  bmrMifflinStJeor,
  dailyEnergy,
  dueDate,
  idealWeightRange,
  round,
  waistToHeight,
} from '../../common/health-tools';

// Every expected value below was computed by hand (shown in the comments).
describe('health tools', () => {
  it('BMI: kg / m², one decimal', () => {
    expect(bmi(70, 175)).toBe(22.9); // 70 / 3.0625 = 22.857
    expect(bmi(69.1, 170)).toBe(23.9); // 69.1 / 2.89 = 23.910
    expect(bmi(69.4, 170)).toBe(24); // 69.4 / 2.89 = 24.014
    expect(bmi(50, 160)).toBe(19.5); // 50 / 2.56 = 19.531
    expect(() => bmi(0, 170)).toThrow(RangeError);
    expect(() => bmi(60, NaN)).toThrow(RangeError);
  });

  it('BMI classes at the WS/T 428 cut-offs', () => {
    expect([18.4, 18.5, 23.9, 24, 27.9, 28].map(bmiClass)).toEqual([
      'underweight',
      'normal',
      'normal',
      'overweight',
      'overweight',
      'obese',
    ]);
  });

  it('BMR by Mifflin-St Jeor and daily energy with the activity factor', () => {
    // Man, 70 kg, 175 cm, 30 y: 700 + 1093.75 - 150 + 5 = 1648.75 -> 1649.
    expect(bmrMifflinStJeor({ sex: 'male', weightKg: 70, heightCm: 175, age: 30 })).toBe(1649);
    // Woman, 60 kg, 165 cm, 40 y: 600 + 1031.25 - 200 - 161 = 1270.25 -> 1270.
    expect(bmrMifflinStJeor({ sex: 'female', weightKg: 60, heightCm: 165, age: 40 })).toBe(1270);
    // 1270 x 1.55 = 1968.5 -> 1969; 1649 x 1.2 = 1978.8 -> 1979.
    expect(dailyEnergy({ sex: 'female', weightKg: 60, heightCm: 165, age: 40, activity: 'moderate' })).toEqual({
      bmr: 1270,
      factor: 1.55,
      kcal: 1969,
    });
    expect(dailyEnergy({ sex: 'male', weightKg: 70, heightCm: 175, age: 30, activity: 'sedentary' }).kcal).toBe(1979);
  });

  it("预产期 by Naegele's rule, weeks pregnant and days left", () => {
    // 2026-01-10 + 1 y - 3 m + 7 d = 2026-10-17 (= 280 days).
    expect(dueDate('2026-01-10')).toEqual({ dueDate: '2026-10-17' });
    // 2026-03-01 -> 2026-12-08; on 2026-06-01: 92 days = 13 weeks 1 day; 190 days left.
    expect(dueDate('2026-03-01', '2026-06-01')).toEqual({
      dueDate: '2026-12-08',
      daysPregnant: 92,
      weeks: 13,
      days: 1,
      daysLeft: 190,
    });
    // Across a year end: 2025-11-25 -> 2026-09-01.
    expect(dueDate('2025-11-25').dueDate).toBe('2026-09-01');
    expect(() => dueDate('2026-02-30')).toThrow(RangeError);
    expect(() => dueDate('20260101')).toThrow(RangeError);
  });

  it('ideal weight range (BMI 18.5 to 23.9) and waist-to-height ratio', () => {
    // 1.70² = 2.89: 18.5 x 2.89 = 53.465 -> 53.5; 23.9 x 2.89 = 69.071 -> 69.1.
    expect(idealWeightRange(170)).toEqual({ minKg: 53.5, maxKg: 69.1 });
    // 1.60² = 2.56: 47.36 -> 47.4; 61.184 -> 61.2.
    expect(idealWeightRange(160)).toEqual({ minKg: 47.4, maxKg: 61.2 });
    expect(waistToHeight(85, 170)).toEqual({ ratio: 0.5, atRisk: true });
    expect(waistToHeight(84, 170)).toEqual({ ratio: 0.49, atRisk: false }); // 0.4941
    expect(() => waistToHeight(80, 0)).toThrow(RangeError);
  });

  it('rounds half away from zero', () => {
    expect(round(2.25, 1)).toBe(2.3);
    expect(round(-2.25, 1)).toBe(-2.3);
    expect(round(1.005, 2)).toBe(1.01);
  });
});
