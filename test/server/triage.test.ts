import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Hospital } from '../../server/src/modules/hospitals/models';
import { TriageEngine } from '../../server/src/modules/triage/engine';
import { z } from 'zod';
import {
  departmentsFile,
  loadKnowledge,
  rulesFile,
  symptomsFile,
  TRIAGE_DATA_DIR,
  TriageKnowledge,
} from '../../server/src/modules/triage/knowledge';
import { startTestPlatform, type TestPlatform } from '../support/platform';

interface Expect {
  urgency?: 'emergency' | 'urgent' | 'routine';
  first?: string;
  includes?: string[];
  excludes?: string[];
  redFlag?: string;
  recognized?: string[];
  negated?: string[];
  notRecognized?: string[];
  followUp?: string[];
  notFollowUp?: string[];
}
interface Case {
  group: string;
  age: number;
  sex: 'male' | 'female';
  text?: string;
  symptoms?: string[];
  answers?: Record<string, boolean>;
  expect: Expect;
}
interface Result {
  urgency: string;
  advice: string;
  departments: Array<{ name: string; reason: string }>;
  followUp?: Array<{ code: string; question: string }>;
  redFlags: string[];
  recognized: Array<{ code: string }>;
  negated: Array<{ code: string }>;
  disclaimer: string;
}

/** The clinician-readable cases (test/server/triage-cases.json). */
const { cases } = JSON.parse(readFileSync(path.join(__dirname, 'triage-cases.json'), 'utf8')) as { cases: Case[] };
const kb = loadKnowledge();
const engine = new TriageEngine(kb);
const DIAGNOSIS = /确诊|诊断为|您患有|你患有|就是.{0,6}病/;

function check(c: Case, r: Result) {
  const e = c.expect;
  const names = r.departments.map((d) => d.name);
  const codes = (list: Array<{ code: string }> | undefined) => (list ?? []).map((x) => x.code);
  if (e.urgency) expect(r.urgency).toBe(e.urgency);
  if (e.first) expect(names[0]).toBe(e.first);
  for (const d of e.includes ?? []) expect(names).toContain(d);
  for (const d of e.excludes ?? []) expect(names).not.toContain(d);
  if (e.redFlag) expect(r.redFlags.join('|')).toContain(e.redFlag);
  for (const s of e.recognized ?? []) expect(codes(r.recognized)).toContain(s);
  for (const s of e.negated ?? []) expect(codes(r.negated)).toContain(s);
  for (const s of e.notRecognized ?? []) expect(codes(r.recognized)).not.toContain(s);
  for (const s of e.followUp ?? []) expect(codes(r.followUp)).toContain(s);
  for (const s of e.notFollowUp ?? []) expect(codes(r.followUp)).not.toContain(s);
  // Whatever the case: emergencies send to 急诊 or 120 first, nothing claims a diagnosis,
  // and no department that cannot apply to this person.
  if (r.urgency === 'emergency') {
    expect(names[0]).toBe('急诊科');
    expect(r.advice).toMatch(/120|急诊/);
  }
  expect(names.length).toBeGreaterThan(0);
  expect([r.advice, ...r.departments.map((d) => d.reason)].join('')).not.toMatch(DIAGNOSIS);
  if (c.sex === 'male') expect(names.filter((n) => ['妇科', '产科'].includes(n))).toEqual([]);
  if (c.sex === 'female') expect(names).not.toContain('男科');
  if (c.age >= 14) expect(names.filter((n) => ['儿科', '小儿外科'].includes(n))).toEqual([]);
}

const title = (c: Case) =>
  `${c.group}: ${c.age}岁${c.sex === 'male' ? '男' : '女'} ${c.text ?? ''}${c.symptoms ? ` [${c.symptoms}]` : ''}${
    c.answers ? ` ${JSON.stringify(c.answers)}` : ''
  }`;

describe('triage knowledge base (data files)', () => {
  const read = (file: string): unknown => JSON.parse(readFileSync(path.join(TRIAGE_DATA_DIR, file), 'utf8'));
  interface Files {
    departments: z.input<typeof departmentsFile>;
    symptoms: z.input<typeof symptomsFile>;
    rules: z.input<typeof rulesFile>;
  }
  const files = () =>
    ({
      departments: read('departments.json'),
      symptoms: read('symptoms.json'),
      rules: read('rules.json'),
    }) as Files;
  const broken = (patch: (f: Files) => void) => {
    const f = files();
    patch(f);
    return () => new TriageKnowledge(f);
  };

  it('loads, passes its schema and cross-checks, and says it is a draft', () => {
    expect(kb.symptoms.length).toBeGreaterThanOrEqual(50);
    expect(kb.redFlags.length).toBeGreaterThanOrEqual(10);
    expect(kb.reviewed).toBe(false);
    const synonyms = kb.symptoms.reduce((n, s) => n + s.synonyms.length, 0);
    expect(synonyms).toBeGreaterThanOrEqual(300);
    expect(kb.symptomByCode.get('diarrhea')!.synonyms).toContain('拉肚子');
    expect(kb.symptomByCode.get('palpitations')!.synonyms).toContain('心慌');
  });

  it('refuses a broken file, naming the problem', () => {
    expect(broken(() => undefined)).not.toThrow();
    expect(broken((f) => (f.rules.rules[0].departments[0].name = '不存在科'))).toThrow(/unknown department 不存在科/);
    expect(broken((f) => (f.rules.redFlags[0].if.all = ['nope']))).toThrow(/unknown symptom nope/);
    expect(broken((f) => f.rules.redFlags[0].departments.reverse())).toThrow(/急诊科 must come first/);
    expect(broken((f) => (f.rules.redFlags[0].advice = '多喝热水'))).toThrow(/急诊 or 120/);
    expect(broken((f) => f.symptoms.symptoms[1].synonyms.push('头疼'))).toThrow(/头疼 belongs to both/);
    expect(broken((f) => (f.symptoms.symptoms[0].patterns = ['(']))).toThrow(/bad pattern/);
    expect(broken((f) => (f.departments.review = { status: 'reviewed', note: 'x' }))).toThrow(/reviewer/);
    expect(broken((f) => Object.assign(f.symptoms.symptoms[0], { extra: 1 }))).toThrow(/symptoms.json/);
  });

  it('has at least 150 cases, with every red flag met by at least two phrasings', () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    const hits = new Map<string, number>();
    for (const c of cases)
      for (const name of engine.assess({ ...c, symptoms: c.symptoms ?? [] }).redFlags)
        hits.set(name, (hits.get(name) ?? 0) + 1);
    for (const flag of kb.redFlags)
      expect([flag.name, hits.get(flag.name) ?? 0]).toEqual([flag.name, expect.any(Number)]);
    const missing = kb.redFlags.filter((f) => (hits.get(f.name) ?? 0) < 2).map((f) => f.name);
    expect(missing).toEqual([]);
  });
});

describe('triage engine (pure)', () => {
  it('reads negation and lists: 不发烧 is not fever, 没有发热和咳嗽 denies both', () => {
    expect(engine.read('不发烧', 30, 'male')).toEqual({ found: new Set(), denied: new Set(['fever']) });
    expect(engine.read('没有发热和咳嗽，但是拉肚子', 30, 'male')).toEqual({
      found: new Set(['diarrhea']),
      denied: new Set(['fever', 'cough']),
    });
    expect(engine.read('发烧不退', 30, 'male').found).toEqual(new Set(['fever']));
  });

  it('maps a standard department to a hospital’s own, through aliases and fallbacks', () => {
    const offered = ['内科', '外科', '急诊科', '心内科', '妇产科', '儿科'].map((name, i) => ({ id: `dep_${i}`, name }));
    expect(engine.mapToHospital('心血管内科', offered)).toEqual({ department: offered[3], via: '心血管内科' });
    expect(engine.mapToHospital('妇科', offered)?.department.name).toBe('妇产科');
    expect(engine.mapToHospital('产科', offered)?.department.name).toBe('妇产科');
    expect(engine.mapToHospital('消化内科', offered)).toEqual({ department: offered[0], via: '内科' });
    expect(engine.mapToHospital('男科', offered)).toEqual({ department: offered[1], via: '外科' });
    expect(engine.mapToHospital('小儿外科', offered)).toEqual({ department: offered[5], via: '儿科' });
    expect(engine.mapToHospital('眼科', offered)).toBeUndefined();
  });
});

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform({ env: { RATE_READ_PER_IP_PER_MINUTE: '100000' } });
});
afterAll(() => p.close());

const assess = (body: unknown) => p.api.post('/api/v1/triage/assess').send(body as object);

describe('POST /api/v1/triage/assess: the clinician-readable cases', () => {
  it.each(cases.map((c) => [title(c), c] as const))('%s', async (_name, c) => {
    const res = await assess({ age: c.age, sex: c.sex, text: c.text, symptoms: c.symptoms, answers: c.answers });
    expect(res.status).toBe(200);
    check(c, res.body as Result);
    expect(res.body.disclaimer).toContain('不作诊断');
  });
});

describe('POST /api/v1/triage/assess: input', () => {
  it('refuses bad input with 422 and a Chinese message, never a 500', async () => {
    const bad: Array<[unknown, string]> = [
      [{ age: -1, sex: 'male', text: '头疼' }, 'VALIDATION_FAILED'],
      [{ age: 30, sex: 'other', text: '头疼' }, 'VALIDATION_FAILED'],
      [{ age: 30, sex: 'male' }, 'VALIDATION_FAILED'],
      [{ age: 30, sex: 'male', text: '   ' }, 'VALIDATION_FAILED'],
      [{ age: 30, sex: 'male', text: 'x'.repeat(501) }, 'VALIDATION_FAILED'],
      [{ age: 30, sex: 'male', text: '头疼', extra: 1 }, 'VALIDATION_FAILED'],
      [{ age: 30, sex: 'male', symptoms: ['no_such'] }, 'UNKNOWN_SYMPTOM'],
      [{ age: 30, sex: 'male', symptoms: ['headache'], answers: { nope: true } }, 'UNKNOWN_SYMPTOM'],
      [{ age: 30, sex: 'male', symptoms: ['vaginal_bleeding'] }, 'SYMPTOM_NOT_APPLICABLE'],
      [{ age: 5, sex: 'female', symptoms: ['pregnant'] }, 'SYMPTOM_NOT_APPLICABLE'],
    ];
    for (const [body, code] of bad) {
      const res = await assess(body);
      expect([res.status, res.body.error.code]).toEqual([422, code]);
      expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
  });

  it('lists body areas and symptoms for the page, with their age and sex limits', async () => {
    const res = await p.api.get('/api/v1/triage/knowledge');
    expect(res.status).toBe(200);
    expect(res.body.areas.map((a: { name: string }) => a.name)).toContain('腹部');
    expect(res.body.symptoms).toContainEqual({
      code: 'vaginal_bleeding',
      name: '阴道出血',
      area: 'urogenital',
      sex: 'female',
    });
    expect(res.body.reviewed).toBe(false);
  });
});

describe('GET /api/v1/triage/hospitals/:id/department', () => {
  it("finds the hospital's own department for the advice, or says it has none", async () => {
    const hospital = (await Hospital.findOne({ where: { code: 'SH001' } }))!;
    const deps = await p.api.get(`/api/v1/hospitals/${hospital.id}/departments`).query({ pageSize: 100 });
    const offered = deps.body.items as Array<{ id: string; name: string }>;
    const emergency = await p.api.get(`/api/v1/triage/hospitals/${hospital.id}/department`).query({ name: '急诊科' });
    expect(emergency.status).toBe(200);
    expect(emergency.body).toMatchObject({
      hospitalId: hospital.id,
      departmentId: offered.find((d) => d.name === '急诊科')!.id,
      departmentName: '急诊科',
      standardName: '急诊科',
    });
    // 消化内科 where the hospital has it, else its fallback 内科 (always present in the demo).
    const gi = await p.api.get(`/api/v1/triage/hospitals/${hospital.id}/department`).query({ name: '消化内科' });
    expect(gi.status).toBe(200);
    expect(gi.body.departmentName).toBe(offered.some((d) => d.name === '消化内科') ? '消化内科' : '内科');
    const unknown = await p.api.get(`/api/v1/triage/hospitals/${hospital.id}/department`).query({ name: '火星科' });
    expect([unknown.status, unknown.body.error.code]).toEqual([422, 'UNKNOWN_DEPARTMENT']);
    const noHospital = await p.api.get('/api/v1/triage/hospitals/hsp_nope/department').query({ name: '眼科' });
    expect(noHospital.status).toBe(404);
  });
});
