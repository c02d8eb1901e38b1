import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The triage knowledge base is data (./data/*.json), reviewed like code by
 * clinicians: body areas and symptoms with colloquial synonyms
 * (symptoms.json), red flags and routing rules (rules.json), and the standard
 * departments with the names hospitals use and who each applies to
 * (departments.json). These schemas and cross-checks run at start-up and in a
 * test; a file that fails refuses to start the server.
 */

export const TRIAGE_DATA_DIR = path.join(__dirname, 'data');

const review = z
  .strictObject({
    status: z.enum(['draft', 'reviewed']),
    note: z.string().min(1),
    reviewedBy: z.string().min(1).optional(),
    reviewedAt: z.iso.date().optional(),
  })
  .refine((r) => r.status === 'draft' || (r.reviewedBy && r.reviewedAt), 'a reviewed file names its reviewer and date');

const sex = z.enum(['male', 'female']);
/** Ages in whole years: `min` inclusive, `max` exclusive (`max: 14` is under 14). */
const ageRange = z
  .strictObject({ min: z.number().int().min(0).optional(), max: z.number().int().min(1).optional() })
  .refine((a) => a.min === undefined || a.max === undefined || a.min < a.max, 'age min < max');
const code = z.string().regex(/^[a-z][a-z_]*$/, 'codes are lower_snake_case');
const condition = z
  .strictObject({ all: z.array(code).min(1).optional(), any: z.array(code).min(1).optional() })
  .refine((c) => c.all || c.any, 'a condition needs all or any');
const advised = z.strictObject({ name: z.string().min(1), reason: z.string().min(1) });

export const departmentsFile = z.strictObject({
  review,
  departments: z.array(
    z.strictObject({
      /** The standard clinical department name shown to patients. */
      name: z.string().min(1),
      /** What hospitals call it (matched exactly when booking). */
      aliases: z.array(z.string().min(1)),
      /** Standard departments to try, in order, at a hospital without this one. */
      fallbacks: z.array(z.string().min(1)),
      sex: sex.optional(),
      /** Children under 14: `same` (this department sees them), `only` (children only) or where they go instead. */
      children: z.string().min(1),
    }),
  ),
});

export const symptomsFile = z.strictObject({
  review,
  areas: z.array(z.strictObject({ code, name: z.string().min(1) })).min(1),
  symptoms: z.array(
    z.strictObject({
      code,
      name: z.string().min(1),
      area: code,
      synonyms: z.array(z.string().min(1)),
      /** Regular expressions for what synonyms cannot list (temperatures such as 39.5度). */
      patterns: z.array(z.string().min(1)).optional(),
      /** Symptoms this one includes (剧烈腹痛 is also 腹痛). */
      implies: z.array(code).optional(),
      sex: sex.optional(),
      age: ageRange.optional(),
      /** The yes/no question asking about this symptom when it is a follow-up. */
      ask: z.string().min(1).optional(),
      /** Follow-up questions (symptom codes with `ask`) worth asking when this symptom is present. */
      questions: z.array(code).optional(),
    }),
  ),
});

export const rulesFile = z.strictObject({
  review,
  redFlags: z.array(
    z.strictObject({
      id: code,
      name: z.string().min(1),
      if: condition,
      age: ageRange.optional(),
      sex: sex.optional(),
      advice: z.string().min(1),
      departments: z.array(advised).min(1),
    }),
  ),
  rules: z.array(
    z.strictObject({
      id: code,
      if: condition,
      age: ageRange.optional(),
      sex: sex.optional(),
      urgency: z.enum(['routine', 'urgent']),
      /** Multiplies the rule's specificity when ranking departments (1 by default). */
      weight: z.number().positive().optional(),
      departments: z.array(advised).min(1),
    }),
  ),
  default: advised,
});

export type DepartmentDef = z.output<typeof departmentsFile>['departments'][number];
export type SymptomDef = z.output<typeof symptomsFile>['symptoms'][number];
export type RedFlag = z.output<typeof rulesFile>['redFlags'][number];
export type RoutingRule = z.output<typeof rulesFile>['rules'][number];
export type AgeRange = z.output<typeof ageRange>;

export interface KnowledgeFiles {
  departments: unknown;
  symptoms: unknown;
  rules: unknown;
}

function parse<T extends z.ZodType>(schema: T, data: unknown, file: string): z.output<T> {
  const result = schema.safeParse(data);
  if (!result.success) {
    const first = result.error.issues[0];
    throw new Error(`triage knowledge ${file}: ${first.path.join('.')}: ${first.message}`);
  }
  return result.data;
}

/** The checked knowledge base, with the indexes the engine needs. */
export class TriageKnowledge {
  readonly departments: DepartmentDef[];
  readonly areas: Array<{ code: string; name: string }>;
  readonly symptoms: SymptomDef[];
  readonly redFlags: RedFlag[];
  readonly rules: RoutingRule[];
  readonly fallback: { name: string; reason: string };
  readonly reviewed: boolean;
  readonly symptomByCode = new Map<string, SymptomDef>();
  readonly departmentByName = new Map<string, DepartmentDef>();

  constructor(files: KnowledgeFiles) {
    const deps = parse(departmentsFile, files.departments, 'departments.json');
    const syms = parse(symptomsFile, files.symptoms, 'symptoms.json');
    const rules = parse(rulesFile, files.rules, 'rules.json');
    this.departments = deps.departments;
    this.areas = syms.areas;
    this.symptoms = syms.symptoms;
    this.redFlags = rules.redFlags;
    this.rules = rules.rules;
    this.fallback = rules.default;
    this.reviewed = [deps, syms, rules].every((f) => f.review.status === 'reviewed');
    this.check();
  }

  private check() {
    const fail = (message: string): never => {
      throw new Error(`triage knowledge: ${message}`);
    };
    for (const d of this.departments) {
      if (this.departmentByName.has(d.name)) fail(`department ${d.name} twice`);
      this.departmentByName.set(d.name, d);
    }
    for (const d of this.departments) {
      for (const f of d.fallbacks) if (!this.departmentByName.has(f)) fail(`${d.name}: unknown fallback ${f}`);
      if (!['same', 'only'].includes(d.children) && !this.departmentByName.has(d.children))
        fail(`${d.name}: unknown children department ${d.children}`);
    }
    const areas = new Set(this.areas.map((a) => a.code));
    for (const s of this.symptoms) {
      if (this.symptomByCode.has(s.code)) fail(`symptom ${s.code} twice`);
      if (!areas.has(s.area)) fail(`${s.code}: unknown area ${s.area}`);
      for (const p of s.patterns ?? []) {
        try {
          new RegExp(p, 'u');
        } catch {
          fail(`${s.code}: bad pattern ${p}`);
        }
      }
      this.symptomByCode.set(s.code, s);
    }
    const owner = new Map<string, string>();
    for (const s of this.symptoms) {
      for (const term of [s.name, ...s.synonyms]) {
        const other = owner.get(term);
        if (other && other !== s.code) fail(`term ${term} belongs to both ${other} and ${s.code}`);
        owner.set(term, s.code);
      }
      for (const c of [...(s.implies ?? []), ...(s.questions ?? [])])
        if (!this.symptomByCode.has(c)) fail(`${s.code}: unknown symptom ${c}`);
      for (const q of s.questions ?? [])
        if (!this.symptomByCode.get(q)?.ask) fail(`${s.code}: question ${q} has no ask`);
    }
    const checkRule = (id: string, cond: { all?: string[]; any?: string[] }, deps: Array<{ name: string }>) => {
      for (const c of [...(cond.all ?? []), ...(cond.any ?? [])])
        if (!this.symptomByCode.has(c)) fail(`rule ${id}: unknown symptom ${c}`);
      for (const d of deps) if (!this.departmentByName.has(d.name)) fail(`rule ${id}: unknown department ${d.name}`);
    };
    for (const r of this.redFlags) {
      checkRule(r.id, r.if, r.departments);
      if (r.departments[0].name !== '急诊科') fail(`red flag ${r.id}: 急诊科 must come first`);
      if (!/120|急诊/.test(r.advice)) fail(`red flag ${r.id}: the advice must send to 急诊 or 120`);
    }
    for (const r of this.rules) checkRule(r.id, r.if, r.departments);
    checkRule('default', {}, [this.fallback]);
  }
}

/** Reads and checks the knowledge base files (a broken one throws, naming the problem). */
export function loadKnowledge(dir = TRIAGE_DATA_DIR): TriageKnowledge {
  const read = (file: string): unknown => JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  return new TriageKnowledge({
    departments: read('departments.json'),
    symptoms: read('symptoms.json'),
    rules: read('rules.json'),
  });
}
