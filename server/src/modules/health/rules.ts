import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../http/errors';

/**
 * Classification rules are data (./data/classification.json): the guideline
 * cut-offs for each measurement type, with their sources, and the
 * plausibility limits that refuse impossible entries. The schema below checks
 * the file at start-up and in a test; a file that fails refuses to start the server.
 */

export const DATA_FILE = path.join(__dirname, 'data', 'classification.json');

export const MEASUREMENT_TYPES = [
  'blood_pressure',
  'blood_glucose',
  'weight',
  'heart_rate',
  'body_temperature',
  'spo2',
] as const;
export type MeasurementType = (typeof MEASUREMENT_TYPES)[number];
export const LEVELS = ['normal', 'elevated', 'high', 'urgent'] as const;
export type Level = (typeof LEVELS)[number];

/** The numeric fields the rules may test, per type (weight is classified by its BMI). */
const FIELDS: Record<MeasurementType, string[]> = {
  blood_pressure: ['systolic', 'diastolic', 'pulse'],
  blood_glucose: ['mmolL', 'timing'],
  weight: ['bmi'],
  heart_rate: ['bpm'],
  body_temperature: ['celsius'],
  spo2: ['percent'],
};

const test = z
  .strictObject({
    gte: z.number().finite().optional(),
    gt: z.number().finite().optional(),
    lt: z.number().finite().optional(),
    lte: z.number().finite().optional(),
    eq: z.string().min(1).optional(),
  })
  .refine((t) => Object.keys(t).length > 0, 'a test needs gte, gt, lt, lte or eq');

const rule = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9_]*$/, 'snake_case'),
  label: z.string().min(1),
  level: z.enum(LEVELS),
  advice: z.string().min(1),
  /** Alternatives (any may hold); within one, every field's test must hold. No `when`: the default, last. */
  when: z.array(z.record(z.string(), test)).min(1).optional(),
});

const review = z
  .strictObject({
    status: z.enum(['draft', 'reviewed']),
    note: z.string().min(1),
    reviewedBy: z.string().min(1).optional(),
    reviewedAt: z.iso.date().optional(),
  })
  .refine((r) => r.status === 'draft' || (r.reviewedBy && r.reviewedAt), 'a reviewed file names its reviewer and date');

const limit = z
  .strictObject({
    min: z.number().finite(),
    max: z.number().finite(),
    unit: z.string().min(1),
    label: z.string().min(1),
  })
  .refine((l) => l.min < l.max, 'min < max');

const band = z.strictObject({
  metric: z.string().min(1),
  label: z.string().min(1),
  low: z.number().finite().nullable(),
  high: z.number().finite().nullable(),
  level: z.enum(LEVELS),
});

export const classificationFile = z.strictObject({
  review,
  /** Guideline bands drawn behind trend charts (the same cut-offs as the rules). */
  bands: z.record(z.enum(MEASUREMENT_TYPES), z.array(band)),
  sources: z.record(z.string(), z.string().min(1)),
  plausibility: z.record(z.string(), limit),
  /** Every type must be present (a record keyed by an enum is exhaustive in zod 4). */
  classes: z.record(
    z.enum(MEASUREMENT_TYPES),
    z.strictObject({ source: z.string().min(1), note: z.string().min(1), rules: z.array(rule).min(1) }),
  ),
});

export type Rule = z.output<typeof rule>;
export type Test = z.output<typeof test>;
export type Limit = z.output<typeof limit>;
export type Band = z.output<typeof band>;

export interface Classification {
  code: string;
  label: string;
  level: Level;
  advice: string;
}

/** The values a rule reads: numbers, and the glucose timing. */
export type Facts = Record<string, number | string | undefined>;

function holds(t: Test, v: number | string | undefined): boolean {
  if (v === undefined) return false;
  if (t.eq !== undefined) return v === t.eq;
  if (typeof v !== 'number') return false;
  return (
    (t.gte === undefined || v >= t.gte) &&
    (t.gt === undefined || v > t.gt) &&
    (t.lt === undefined || v < t.lt) &&
    (t.lte === undefined || v <= t.lte)
  );
}

export const implausible = (field: string, l: Limit) =>
  new AppError(422, 'IMPLAUSIBLE_VALUE', `${l.label}超出可记录范围（${l.min}–${l.max} ${l.unit}），请核对后重新输入`, {
    fields: [{ path: `body.values.${field}`, message: `应在 ${l.min} 到 ${l.max} ${l.unit} 之间` }],
  });

/** The rules, validated, with the checks a schema cannot express. */
export class HealthRules {
  readonly sources: Record<string, string>;
  readonly reviewed: boolean;
  private readonly classes: Record<MeasurementType, { source: string; rules: Rule[] }>;
  readonly limits: Record<string, Limit>;
  private readonly bandsByType: Partial<Record<MeasurementType, Band[]>>;

  constructor(data: unknown) {
    const parsed = classificationFile.safeParse(data);
    if (!parsed.success) {
      const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
      throw new Error(`health classification rules are invalid:\n  ${lines.join('\n  ')}`);
    }
    const f = parsed.data;
    this.sources = f.sources;
    this.reviewed = f.review.status === 'reviewed';
    this.classes = f.classes;
    this.limits = f.plausibility;
    this.bandsByType = f.bands;
    const problems: string[] = [];
    for (const type of MEASUREMENT_TYPES) {
      const c = f.classes[type];
      if (!f.sources[c.source]) problems.push(`${type}: source ${c.source} is not in sources`);
      c.rules.forEach((r, i) => {
        const last = i === c.rules.length - 1;
        if (last !== !r.when) problems.push(`${type} rule ${i}: only the last rule, and it alone, has no "when"`);
        for (const alt of r.when ?? [])
          for (const field of Object.keys(alt))
            if (!FIELDS[type].includes(field)) problems.push(`${type} rule ${i}: unknown field ${field}`);
      });
    }
    if (problems.length) throw new Error(`health classification rules are invalid:\n  ${problems.join('\n  ')}`);
  }

  /** The first rule whose `when` holds (rules run from the most severe down), else the default. */
  classify(type: MeasurementType, facts: Facts): Classification {
    const rules = this.classes[type].rules;
    const hit =
      rules.find((r) => !r.when || r.when.some((alt) => Object.entries(alt).every(([k, t]) => holds(t, facts[k])))) ??
      rules[rules.length - 1];
    return { code: hit.code, label: hit.label, level: hit.level, advice: hit.advice };
  }

  /** Every class a type can have (for the share per class in summaries), in rule order, codes once. */
  classesOf(type: MeasurementType): Array<{ code: string; label: string; level: Level }> {
    const seen = new Map<string, { code: string; label: string; level: Level }>();
    for (const r of this.classes[type].rules)
      if (!seen.has(r.code)) seen.set(r.code, { code: r.code, label: r.label, level: r.level });
    return [...seen.values()];
  }

  bands(type: MeasurementType): Band[] {
    return this.bandsByType[type] ?? [];
  }

  sourceOf(type: MeasurementType): string {
    return this.sources[this.classes[type].source];
  }

  /** Throws 422 IMPLAUSIBLE_VALUE for the first value outside its limits. */
  checkPlausible(values: Record<string, unknown>): void {
    for (const [field, v] of Object.entries(values)) {
      const l = this.limits[field];
      if (l && typeof v === 'number' && (v < l.min || v > l.max)) throw implausible(field, l);
    }
  }
}

export function loadHealthRules(file = DATA_FILE): HealthRules {
  return new HealthRules(JSON.parse(readFileSync(file, 'utf8')) as unknown);
}
