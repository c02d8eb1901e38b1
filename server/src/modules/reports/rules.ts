import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * Interpretation rules are data (./data/*.json), so a clinician can review
 * them without reading code: analytes with plain-language explanations, the
 * fallback reference intervals with their standard and population, and the
 * critical limits (危急值, replaceable per region with
 * REPORT_CRITICAL_LIMITS_FILE). These schemas check the files at start-up
 * and in a test; a file that fails refuses to start the server.
 */

export const DATA_DIR = path.join(__dirname, 'data');

const ageBound = z.string().regex(/^\d{1,3}[dmy]$/, 'age bound like 28d, 6m or 18y');
const population = z.strictObject({
  sex: z.enum(['any', 'male', 'female']),
  /** From `from` (inclusive) to `to` (exclusive), counted from the birth date: `28d`, `6m`, `18y`. */
  age: z.strictObject({ from: ageBound, to: ageBound.optional() }),
  /** Who the row applies to, as the standard says it (成年男性, 6岁至不满13岁 ...). */
  text: z.string().min(1),
});
const review = z
  .strictObject({
    status: z.enum(['draft', 'reviewed']),
    note: z.string().min(1),
    reviewedBy: z.string().min(1).optional(),
    reviewedAt: z.iso.date().optional(),
  })
  .refine((r) => r.status === 'draft' || (r.reviewedBy && r.reviewedAt), 'a reviewed file names its reviewer and date');
const bounds = <T extends { low?: number; high?: number }>(r: T) =>
  (r.low !== undefined || r.high !== undefined) && (r.low === undefined || r.high === undefined || r.low < r.high);

const explanation = z.strictObject({
  what: z.string().min(1),
  high: z.string().min(1).optional(),
  low: z.string().min(1).optional(),
  /** For non-numeric results (尿蛋白 `+`). */
  abnormal: z.string().min(1).optional(),
  next: z.string().min(1),
});

export const analytesFile = z.strictObject({
  review,
  analytes: z.array(
    z.strictObject({
      /** Our key: trends and the fallback tables use it, whatever the hospital calls the item. */
      key: z.string().min(1).max(20),
      name: z.string().min(1),
      aliases: z.array(z.string().min(1)),
      /** Item codes hospitals use for it (matched without case). */
      codes: z.array(z.string().min(1)).min(1),
      loinc: z
        .string()
        .regex(/^\d{1,7}-\d$/)
        .optional(),
      qualitative: z.boolean().optional(),
      explanation: explanation.optional(),
    }),
  ),
});

export const rangesFile = z.strictObject({
  review,
  sources: z.record(z.string(), z.string().min(1)),
  ranges: z.array(
    z
      .strictObject({
        analyte: z.string().min(1),
        unit: z.string().min(1),
        low: z.number().finite().optional(),
        high: z.number().finite().optional(),
        population,
        source: z.string().min(1),
      })
      .refine(bounds, 'a range needs low or high, and low < high'),
  ),
});

export const criticalFile = z.strictObject({
  review,
  source: z.string().min(1),
  limits: z.array(
    z
      .strictObject({
        analyte: z.string().min(1),
        unit: z.string().min(1),
        low: z.number().finite().optional(),
        high: z.number().finite().optional(),
        population,
      })
      .refine(bounds, 'a limit needs low or high, and low < high'),
  ),
});

export type Analyte = z.output<typeof analytesFile>['analytes'][number];
export type RangeRow = z.output<typeof rangesFile>['ranges'][number];
export type CriticalRow = z.output<typeof criticalFile>['limits'][number];
export type Population = z.output<typeof population>;
export type Explanation = z.output<typeof explanation>;

/** The person a result belongs to, on the day of the report. */
export interface Subject {
  sex: 'male' | 'female';
  birthDate: string; // YYYY-MM-DD
  on: string; // YYYY-MM-DD, the report's day
}

/** Unit spellings hospitals use for the same unit: `×10^9/L`, `10*9/L`, `10E9/L`; `µmol/L`, `umol/L`. */
export function normalizeUnit(unit: string | undefined | null): string {
  return (unit ?? '')
    .trim()
    .replace(/\s+/g, '')
    .replace(/^[×xX*]/, '')
    .replace(/10(?:\*|\^|E|e)?(\d+)/, '10^$1')
    .replace(/[µu](?=mol|g|l|L)/g, 'μ')
    .toLowerCase();
}

const normalizeCode = (code: string) => code.trim().replace(/\s+/g, '').toUpperCase();
const normalizeName = (name: string) =>
  name.trim().replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')').toUpperCase();

/** Birth date + `28d` / `6m` / `18y`, as a YYYY-MM-DD date. */
function addAge(birthDate: string, bound: string): string {
  const n = Number(bound.slice(0, -1));
  const [y, m, d] = birthDate.split('-').map(Number);
  const unit = bound.slice(-1);
  const date =
    unit === 'd'
      ? new Date(Date.UTC(y, m - 1, d + n))
      : unit === 'm'
        ? new Date(Date.UTC(y, m - 1 + n, d))
        : new Date(Date.UTC(y + n, m - 1, d));
  return date.toISOString().slice(0, 10);
}

export function appliesTo(p: Population, who: Subject): boolean {
  if (p.sex !== 'any' && p.sex !== who.sex) return false;
  if (addAge(who.birthDate, p.age.from) > who.on) return false;
  return !p.age.to || addAge(who.birthDate, p.age.to) > who.on;
}

/** Age bound in days, for checking that populations do not overlap. */
const boundDays = (b: string | undefined) =>
  b === undefined ? Infinity : Number(b.slice(0, -1)) * { d: 1, m: 30.44, y: 365.25 }[b.slice(-1) as 'd' | 'm' | 'y'];

function overlaps(a: Population, b: Population): boolean {
  if (a.sex !== 'any' && b.sex !== 'any' && a.sex !== b.sex) return false;
  return boundDays(a.age.from) < boundDays(b.age.to) && boundDays(b.age.from) < boundDays(a.age.to);
}

export interface RuleFiles {
  analytes: unknown;
  ranges: unknown;
  critical: unknown;
}

/** The rules, validated, with the checks across files a schema cannot express. */
export class InterpretationRules {
  readonly analytes: Analyte[];
  readonly ranges: RangeRow[];
  readonly critical: CriticalRow[];
  readonly sources: Record<string, string>;
  readonly reviewed: boolean;
  private readonly byCode = new Map<string, Analyte>();
  private readonly byName = new Map<string, Analyte>();
  private readonly byKey = new Map<string, Analyte>();

  constructor(files: RuleFiles) {
    const a = parseFile(analytesFile, files.analytes, 'analytes');
    const r = parseFile(rangesFile, files.ranges, 'reference ranges');
    const c = parseFile(criticalFile, files.critical, 'critical limits');
    this.analytes = a.analytes;
    this.ranges = r.ranges;
    this.critical = c.limits;
    this.sources = r.sources;
    this.reviewed = [a, r, c].every((f) => f.review.status === 'reviewed');
    const problems: string[] = [];
    for (const analyte of this.analytes) {
      if (this.byKey.has(analyte.key)) problems.push(`analyte ${analyte.key} listed twice`);
      this.byKey.set(analyte.key, analyte);
      for (const code of analyte.codes) this.index(this.byCode, normalizeCode(code), analyte, problems, 'code');
      for (const name of [analyte.name, ...analyte.aliases])
        this.index(this.byName, normalizeName(name), analyte, problems, 'name');
      const e = analyte.explanation;
      if (e && analyte.qualitative && !e.abnormal)
        problems.push(`${analyte.key}: a qualitative explanation needs abnormal`);
      if (e && !analyte.qualitative && !(e.high && e.low))
        problems.push(`${analyte.key}: explanation needs high and low`);
    }
    const checkRows = (rows: Array<{ analyte: string; unit: string; population: Population }>, what: string) => {
      rows.forEach((row, i) => {
        if (!this.byKey.has(row.analyte)) problems.push(`${what} ${i}: unknown analyte ${row.analyte}`);
        rows.slice(0, i).forEach((other, j) => {
          if (other.analyte !== row.analyte) return;
          if (normalizeUnit(other.unit) !== normalizeUnit(row.unit))
            problems.push(`${what} ${j} and ${i}: ${row.analyte} in two units`);
          else if (overlaps(other.population, row.population))
            problems.push(`${what} ${j} and ${i}: ${row.analyte} populations overlap`);
        });
      });
    };
    checkRows(this.ranges, 'range');
    checkRows(this.critical, 'critical limit');
    this.ranges.forEach((row, i) => {
      if (!this.sources[row.source]) problems.push(`range ${i}: source ${row.source} is not in sources`);
    });
    if (problems.length) throw new Error(`interpretation rules are invalid:\n  ${problems.join('\n  ')}`);
  }

  private index(map: Map<string, Analyte>, key: string, analyte: Analyte, problems: string[], what: string) {
    const known = map.get(key);
    if (known && known !== analyte) problems.push(`${what} ${key} names both ${known.key} and ${analyte.key}`);
    map.set(key, analyte);
  }

  /** The analyte a hospital's item is, by its name first (codes are reused across specimens: GLU), then its code. */
  analyteOf(code: string, name: string): Analyte | undefined {
    return this.byName.get(normalizeName(name)) ?? this.byCode.get(normalizeCode(code));
  }

  analyte(key: string): Analyte | undefined {
    return this.byKey.get(key);
  }

  /** The national reference interval for this person, only in the unit the result was reported in. */
  fallbackRange(analyte: Analyte, unit: string | undefined, who: Subject): RangeRow | undefined {
    const u = normalizeUnit(unit);
    return this.ranges.find(
      (r) => r.analyte === analyte.key && normalizeUnit(r.unit) === u && appliesTo(r.population, who),
    );
  }

  criticalLimit(analyte: Analyte, unit: string | undefined, who: Subject): CriticalRow | undefined {
    const u = normalizeUnit(unit);
    return this.critical.find(
      (r) => r.analyte === analyte.key && normalizeUnit(r.unit) === u && appliesTo(r.population, who),
    );
  }
}

function parseFile<T extends z.ZodType>(schema: T, data: unknown, what: string): z.output<T> {
  const result = schema.safeParse(data);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`interpretation rules (${what}) are invalid:\n  ${lines.join('\n  ')}`);
  }
  return result.data;
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as unknown;

/** Loads and checks the rule files; `criticalLimitsFile` replaces the built-in critical limits. */
export function loadRules(options: { criticalLimitsFile?: string } = {}): InterpretationRules {
  return new InterpretationRules({
    analytes: readJson(path.join(DATA_DIR, 'analytes.json')),
    ranges: readJson(path.join(DATA_DIR, 'reference-ranges.json')),
    critical: readJson(options.criticalLimitsFile ?? path.join(DATA_DIR, 'critical-limits.json')),
  });
}
