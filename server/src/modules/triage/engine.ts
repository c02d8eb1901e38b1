import type { AgeRange, DepartmentDef, SymptomDef, TriageKnowledge } from './knowledge';

/**
 * The triage engine: pure functions over the knowledge base, no I/O.
 * Facts are symptom codes, gathered from the codes the patient picked, the
 * free text (names and synonyms, with negation: 不发烧 / 没有发热 is not
 * fever) and the yes/no answers to follow-up questions (a "no" overrides).
 * Red flags are checked first and answer `emergency` with 急诊科 first;
 * otherwise the routing rules rank departments, which are then fitted to the
 * patient's age and sex (children under 14 to 儿科, no 妇科 for a man).
 */

export type Sex = 'male' | 'female';
export type Urgency = 'emergency' | 'urgent' | 'routine';

export interface AssessInput {
  age: number;
  sex: Sex;
  symptoms?: string[];
  answers?: Record<string, boolean>;
  text?: string;
}

export interface Assessment {
  urgency: Urgency;
  advice: string;
  departments: Array<{ name: string; reason: string }>;
  followUp?: Array<{ code: string; question: string }>;
  /** The red flags found, by name (empty unless `emergency`). */
  redFlags: string[];
  /** What was understood, for the patient to check: symptoms found and symptoms read as denied. */
  recognized: Array<{ code: string; name: string }>;
  negated: Array<{ code: string; name: string }>;
}

export const CHILD_AGE = 14;
const MAX_DEPARTMENTS = 3;
const MAX_FOLLOW_UP = 3;

export const ADVICE: Record<Exclude<Urgency, 'emergency'>, string> = {
  urgent: '建议今天内尽快就医。如症状加重、出现胸痛、呼吸困难、意识改变等，请立即拨打120或到急诊科。',
  routine: '建议预约以下科室门诊就诊。如症状明显加重，请及时到急诊科。',
};
export const DISCLAIMER = '智能分诊仅根据您描述的症状推荐就诊科室，不作诊断，不能替代医生面诊。';

/** Words that deny what follows (不发烧, 没有发热, 无咳嗽, 否认胸痛). Longest first. */
const NEGATIONS = ['没有', '并没有', '并不', '否认', '不是', '不', '没', '无', '未'].sort(
  (a, b) => b.length - a.length,
);
/** Phrases that contain a negation word but deny nothing (一直不停地咳, 无缘无故发烧): blanked before reading. */
const NOT_NEGATIONS = [
  '无缘无故',
  '不知道',
  '不知不觉',
  '不明原因',
  '不停',
  '不断',
  '不止',
  '不住',
  '不时',
  '不少',
  '不久',
  '不得了',
  '不行',
  '受不了',
  '忍不住',
  '说不定',
  '没多久',
  '没过多久',
  '不舒服',
  '不适',
  '不好',
  '不对劲',
  '不正常',
  '不规律',
  '不了',
  '不起',
  '不清',
  '没劲',
  '没力气',
  '没精神',
  '没胃口',
  '没食欲',
  '无力',
];
/** At most this many characters between a negation and what it denies (没怎么发烧). */
const NEGATION_GAP = 2;
/** A clause ends at punctuation or a turn (但, 可是): a negation does not reach past it. */
const CLAUSE_BREAK = /[，。,.;；！!？?\s]|但|可是|不过|却|就是/u;
/** What joins a list a negation runs over (不发烧、咳嗽 / 没有发热和咳嗽). */
const LIST_JOIN = /^[、和及或与也]{0,2}$/u;

interface Term {
  text?: string;
  pattern?: RegExp;
  code: string;
}

interface Match {
  code: string;
  start: number;
  end: number;
}

export const ageFits = (range: AgeRange | undefined, age: number) =>
  !range || ((range.min === undefined || age >= range.min) && (range.max === undefined || age < range.max));

export class TriageEngine {
  private readonly terms: Term[];

  constructor(readonly kb: TriageKnowledge) {
    const terms: Term[] = [];
    for (const s of kb.symptoms) {
      for (const text of new Set([s.name, ...s.synonyms])) terms.push({ text, code: s.code });
      for (const p of s.patterns ?? []) terms.push({ pattern: new RegExp(p, 'gu'), code: s.code });
    }
    // Longest first, so 肚子疼得厉害 wins over 肚子疼 where both match.
    this.terms = terms.sort((a, b) => (b.text?.length ?? 3) - (a.text?.length ?? 3));
  }

  /** Whether a symptom can apply to this person (阴道出血 only to women, 怀孕 only at 10-59). */
  applies(s: SymptomDef, age: number, sex: Sex): boolean {
    return (!s.sex || s.sex === sex) && ageFits(s.age, age);
  }

  /** Symptoms found in free text, and those the text denies. */
  read(text: string, age: number, sex: Sex): { found: Set<string>; denied: Set<string> } {
    const plain = text.normalize('NFKC');
    let masked = plain;
    for (const phrase of NOT_NEGATIONS) masked = masked.split(phrase).join('\u0000'.repeat(phrase.length));
    const taken = new Uint8Array(plain.length);
    const matches: Match[] = [];
    const take = (code: string, start: number, end: number) => {
      for (let i = start; i < end; i++) if (taken[i]) return;
      taken.fill(1, start, end);
      matches.push({ code, start, end });
    };
    for (const term of this.terms) {
      if (term.text) {
        for (let at = plain.indexOf(term.text); at !== -1; at = plain.indexOf(term.text, at + 1))
          take(term.code, at, at + term.text.length);
      } else if (term.pattern) {
        for (const m of plain.matchAll(term.pattern)) take(term.code, m.index, m.index + m[0].length);
      }
    }
    matches.sort((a, b) => a.start - b.start);
    const found = new Set<string>();
    const denied = new Set<string>();
    let lastDeniedEnd = -1;
    for (const m of matches) {
      const s = this.kb.symptomByCode.get(m.code)!;
      if (!this.applies(s, age, sex)) continue;
      const negated =
        this.negatedBefore(masked, m.start) ||
        (lastDeniedEnd >= 0 && LIST_JOIN.test(masked.slice(lastDeniedEnd, m.start)));
      if (negated) {
        denied.add(m.code);
        lastDeniedEnd = m.end;
      } else {
        found.add(m.code);
        lastDeniedEnd = -1;
      }
    }
    for (const code of denied) if (found.has(code)) denied.delete(code);
    return { found, denied };
  }

  private negatedBefore(text: string, start: number): boolean {
    const from = Math.max(0, start - NEGATION_GAP - 3);
    const before = text.slice(from, start);
    for (const neg of NEGATIONS) {
      const at = before.lastIndexOf(neg);
      if (at === -1) continue;
      const gap = before.slice(at + neg.length);
      if (gap.length <= NEGATION_GAP && !CLAUSE_BREAK.test(gap) && !gap.includes('\u0000')) return true;
    }
    return false;
  }

  /** All the facts: picked codes and text, plus what they imply, minus what the text or answers deny. */
  facts(input: AssessInput): { facts: Set<string>; denied: Set<string>; fromText: Set<string> } {
    const { found, denied } = input.text
      ? this.read(input.text, input.age, input.sex)
      : { found: new Set<string>(), denied: new Set<string>() };
    const facts = new Set<string>([...(input.symptoms ?? []), ...found]);
    for (const [code, yes] of Object.entries(input.answers ?? {})) {
      if (yes) facts.add(code);
      else {
        facts.delete(code);
        denied.add(code);
      }
    }
    // Implied symptoms (剧烈腹痛 -> 腹痛), unless denied outright.
    for (const code of [...facts])
      for (const implied of this.kb.symptomByCode.get(code)?.implies ?? [])
        if (!denied.has(implied)) facts.add(implied);
    for (const code of [...facts]) {
      const s = this.kb.symptomByCode.get(code);
      if (!s || !this.applies(s, input.age, input.sex)) facts.delete(code);
    }
    return { facts, denied, fromText: found };
  }

  assess(input: AssessInput): Assessment {
    const { facts, denied } = this.facts(input);
    const named = (codes: Iterable<string>) =>
      [...codes].map((code) => ({ code, name: this.kb.symptomByCode.get(code)?.name ?? code }));
    const holds = (cond: { all?: string[]; any?: string[] }) =>
      (!cond.all || cond.all.every((c) => facts.has(c))) && (!cond.any || cond.any.some((c) => facts.has(c)));
    const fits = (r: { age?: AgeRange; sex?: Sex }) => (!r.sex || r.sex === input.sex) && ageFits(r.age, input.age);
    const recognized = named(facts);
    const negated = named(denied);

    const flags = this.kb.redFlags.filter((r) => fits(r) && holds(r.if));
    if (flags.length > 0) {
      const departments = this.fit(
        flags.flatMap((f) => f.departments),
        input,
      );
      return {
        urgency: 'emergency',
        advice: flags[0].advice,
        departments,
        redFlags: flags.map((f) => f.name),
        recognized,
        negated,
      };
    }

    const matched = this.kb.rules.filter((r) => fits(r) && holds(r.if));
    let urgency: Urgency = matched.some((r) => r.urgency === 'urgent') ? 'urgent' : 'routine';
    const scores = new Map<string, { score: number; reason: string }>();
    for (const r of matched) {
      const specificity = (r.if.all?.length ?? 0) + (r.if.any ? 1 : 0) + (r.sex ? 0.5 : 0) + (r.age ? 0.5 : 0);
      r.departments.forEach((d, i) => {
        const score = specificity * (r.weight ?? 1) * 10 - i * 4;
        const best = scores.get(d.name);
        if (!best || best.score < score)
          scores.set(d.name, { score: Math.max(score, best?.score ?? 0), reason: d.reason });
        else best.score += 1;
      });
    }
    const ranked = [...scores.entries()].sort((a, b) => b[1].score - a[1].score);
    let departments = this.fit(
      ranked.map(([name, s]) => ({ name, reason: s.reason })),
      input,
    );
    if (departments.length === 0) departments = this.fit([this.kb.fallback], input);
    if (departments[0]?.name === '急诊科' && urgency === 'routine') urgency = 'urgent';

    const asked = new Set([...facts, ...denied, ...Object.keys(input.answers ?? {})]);
    const followUp: Array<{ code: string; question: string }> = [];
    for (const code of facts)
      for (const q of this.kb.symptomByCode.get(code)?.questions ?? []) {
        const s = this.kb.symptomByCode.get(q)!;
        if (asked.has(q) || !s.ask || !this.applies(s, input.age, input.sex)) continue;
        asked.add(q);
        if (followUp.length < MAX_FOLLOW_UP) followUp.push({ code: q, question: s.ask });
      }
    return {
      urgency,
      advice: ADVICE[urgency],
      departments,
      ...(followUp.length > 0 ? { followUp } : {}),
      redFlags: [],
      recognized,
      negated,
    };
  }

  /**
   * Fits ranked departments to the person: a child goes where the department
   * sends children (儿科, 小儿外科); an adult never to a children-only one;
   * nobody to a department of the other sex. First reason wins; at most three.
   */
  fit(ranked: Array<{ name: string; reason: string }>, who: { age: number; sex: Sex }) {
    const child = who.age < CHILD_AGE;
    const out: Array<{ name: string; reason: string }> = [];
    for (const d of ranked) {
      const def: DepartmentDef | undefined = this.kb.departmentByName.get(d.name);
      if (!def) continue;
      if (def.sex && def.sex !== who.sex) continue;
      let entry = d;
      if (child && def.children !== 'same' && def.children !== 'only')
        entry = { name: def.children, reason: `14岁以下儿童建议先看${def.children}：${d.reason}` };
      else if (!child && def.children === 'only') continue;
      if (!out.some((o) => o.name === entry.name)) out.push(entry);
      if (out.length === MAX_DEPARTMENTS) break;
    }
    return out;
  }

  /**
   * The hospital department to book for a standard name: the same name, an
   * alias, then each fallback in turn. `undefined` when the hospital has none.
   */
  mapToHospital<T extends { name: string }>(
    standard: string,
    offered: T[],
  ): { department: T; via: string } | undefined {
    const seen = new Set<string>();
    const visit = (name: string): { department: T; via: string } | undefined => {
      if (seen.has(name)) return undefined;
      seen.add(name);
      const def = this.kb.departmentByName.get(name);
      const names = [name, ...(def?.aliases ?? [])];
      for (const n of names) {
        const hit = offered.find((o) => o.name === n);
        if (hit) return { department: hit, via: name };
      }
      for (const f of def?.fallbacks ?? []) {
        const hit = visit(f);
        if (hit) return hit;
      }
      return undefined;
    };
    return visit(standard);
  }
}
