import type { HisReportItem } from '../../his/types';
import type { Analyte, Explanation, InterpretationRules, Subject } from './rules';

/**
 * Flags each lab item the way HL7 v3 ObservationInterpretation does: `N`,
 * `L`, `H`, `LL`/`HH` (critical), `A` (abnormal non-numeric). The range is
 * the hospital's own when the report carries one; otherwise the national
 * interval for the person's sex and age (./rules.ts), only in the same unit.
 * Without either there is no flag: nothing is guessed.
 */
export type Flag = 'N' | 'L' | 'H' | 'LL' | 'HH' | 'A';

export interface InterpretedRange {
  low: number | null;
  high: number | null;
  text: string | null;
  source: 'hospital' | 'reference';
  /** For `reference`: the standard and the population the interval is for. */
  citation?: string;
  population?: string;
}

export interface InterpretedItem {
  code: string;
  name: string;
  value: string;
  unit: string | null;
  referenceRange: InterpretedRange | null;
  flag: Flag | null;
  critical: boolean;
  /** Our analyte key when the item is one we know (trends use it). */
  analyte: string | null;
  explanation?: { what: string; reasons: string; next: string };
}

export interface Summary {
  total: number;
  high: number;
  low: number;
  critical: number;
  abnormal: number;
  text: string;
}

export const DISCLAIMER =
  '本解读由平台根据参考区间自动生成，仅帮助理解检验结果的一般含义，不构成诊断或治疗建议。' +
  '参考区间因年龄、性别和检测方法而异，结果请以开单医生的判断为准；如有不适请及时就医。';

export const CRITICAL_ADVICE = '报告中有危急值（标红项目），请立即联系开单医院或前往急诊，不要等到复诊。';

/** A numeric range with the strictness its text gave (`<5.2` excludes 5.2). */
interface Range {
  low?: number;
  high?: number;
  lowExclusive?: boolean;
  highExclusive?: boolean;
}

const NUMBER = '([-+]?\\d+(?:\\.\\d+)?)';
const BETWEEN = new RegExp(`^${NUMBER}\\s*(?:-|~|～|－|—|至)\\s*${NUMBER}$`);
const BELOW = new RegExp(`^(<|＜|≤|<=)\\s*${NUMBER}$`);
const ABOVE = new RegExp(`^(>|＞|≥|>=)\\s*${NUMBER}$`);
const TITER = /^1\s*[:：]\s*(\d+)$/;
const TITER_LIMIT = /^(<|＜|≤|<=)\s*1\s*[:：]\s*(\d+)$/;
const NEGATIVE = new Set(['阴性', '阴性(-)', '-', '阴', 'NEG', 'NEGATIVE', '正常', '未检出', '无', '(-)']);
const POSITIVE = /^(阳性|弱阳性|阳|检出|POS|POSITIVE|±|\+-|[+]{1,4}|[1-4]\+|微量|少量|\(\+\)|阳性\(\+*\))$/;

const squash = (s: string) => s.trim().replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')').toUpperCase();

/** A number in a hospital's range text: `3.5-9.5`, `<5.2`, `≥1.0`; undefined for `阴性` and the like. */
export function parseRangeText(text: string | undefined): Range | undefined {
  const t = (text ?? '').trim();
  let m = BETWEEN.exec(t);
  if (m) return { low: Number(m[1]), high: Number(m[2]) };
  m = BELOW.exec(t);
  if (m) return { high: Number(m[2]), highExclusive: m[1] === '<' || m[1] === '＜' };
  m = ABOVE.exec(t);
  if (m) return { low: Number(m[2]), lowExclusive: m[1] === '>' || m[1] === '＞' };
  return undefined;
}

/** `5.6` -> {value: 5.6}; `<0.5` -> {value: 0.5, comparator: '<'}; `阴性` -> undefined. */
export function parseValue(value: string): { value: number; comparator?: '<' | '>' } | undefined {
  const t = value.trim();
  const m = new RegExp(`^(<|＜|≤|<=|>|＞|≥|>=)?\\s*${NUMBER}$`).exec(t);
  if (!m) return undefined;
  const comparator = m[1] ? (/[<＜≤]/.test(m[1]) ? '<' : '>') : undefined;
  return { value: Number(m[2]), comparator };
}

function numericFlag(v: { value: number; comparator?: '<' | '>' }, r: Range): 'N' | 'L' | 'H' | null {
  const below = (x: number) => r.low !== undefined && (r.lowExclusive ? x <= r.low : x < r.low);
  const above = (x: number) => r.high !== undefined && (r.highExclusive ? x >= r.high : x > r.high);
  if (v.comparator === '<') {
    // Somewhere below x: low if x is at or under the low end; normal only when nothing below is low.
    if (r.low !== undefined && v.value <= r.low) return 'L';
    return (r.low === undefined || r.low <= 0) && r.high !== undefined && !above(v.value) ? 'N' : null;
  }
  if (v.comparator === '>') {
    if (r.high !== undefined && v.value >= r.high) return 'H';
    return r.high === undefined && r.low !== undefined && !below(v.value) ? 'N' : null;
  }
  if (below(v.value)) return 'L';
  if (above(v.value)) return 'H';
  return 'N';
}

/** Non-numeric results against a non-numeric range: `+` where the range says 阴性 is `A`. */
function qualitativeFlag(value: string, rangeText: string | undefined): 'N' | 'A' | null {
  if (!rangeText) return null;
  const v = squash(value);
  const r = squash(rangeText);
  const titer = TITER.exec(v);
  const limit = TITER_LIMIT.exec(r);
  if (titer && limit) {
    const strict = limit[1] === '<' || limit[1] === '＜';
    return (strict ? Number(titer[1]) >= Number(limit[2]) : Number(titer[1]) > Number(limit[2])) ? 'A' : 'N';
  }
  if (v === r) return 'N';
  if (NEGATIVE.has(r)) {
    if (NEGATIVE.has(v)) return 'N';
    if (POSITIVE.test(v)) return 'A';
  }
  return null;
}

function criticalFlag(v: { value: number; comparator?: '<' | '>' }, limit: { low?: number; high?: number }) {
  if (limit.low !== undefined && (v.comparator === '>' ? false : v.value < limit.low)) return 'LL' as const;
  if (limit.high !== undefined && (v.comparator === '<' ? false : v.value > limit.high)) return 'HH' as const;
  return null;
}

const fmt = (n: number | undefined) => (n === undefined ? null : n);

function hospitalRange(item: HisReportItem): { range: Range; shown: InterpretedRange } | undefined {
  const given = item.referenceRange;
  if (!given || (given.low === undefined && given.high === undefined && !given.text?.trim())) return undefined;
  const fromText = parseRangeText(given.text);
  const range: Range =
    given.low !== undefined || given.high !== undefined
      ? {
          low: given.low,
          high: given.high,
          lowExclusive: fromText?.low === given.low ? fromText?.lowExclusive : undefined,
          highExclusive: fromText?.high === given.high ? fromText?.highExclusive : undefined,
        }
      : (fromText ?? {});
  return {
    range,
    shown: {
      low: fmt(range.low),
      high: fmt(range.high),
      text: given.text?.trim() || null,
      source: 'hospital',
    },
  };
}

function explain(e: Explanation | undefined, flag: Flag | null): InterpretedItem['explanation'] {
  if (!e || !flag || flag === 'N') return undefined;
  const reasons = flag === 'A' ? (e.abnormal ?? e.high) : flag === 'H' || flag === 'HH' ? e.high : e.low;
  return reasons ? { what: e.what, reasons, next: e.next } : undefined;
}

export function interpretItem(item: HisReportItem, who: Subject, rules: InterpretationRules): InterpretedItem {
  const analyte: Analyte | undefined = rules.analyteOf(item.code, item.name);
  let found = hospitalRange(item);
  if (!found && analyte) {
    const row = rules.fallbackRange(analyte, item.unit, who);
    if (row) {
      const text = row.low !== undefined && row.high !== undefined ? `${row.low}-${row.high}` : null;
      found = {
        range: { low: row.low, high: row.high },
        shown: {
          low: fmt(row.low),
          high: fmt(row.high),
          text: text ?? (row.low !== undefined ? `≥${row.low}` : `≤${row.high}`),
          source: 'reference',
          citation: row.source,
          population: row.population.text,
        },
      };
    }
  }
  const numeric = parseValue(item.value);
  let flag: Flag | null = null;
  if (numeric && found && (found.range.low !== undefined || found.range.high !== undefined)) {
    flag = numericFlag(numeric, found.range);
  } else if (!numeric && found) {
    flag = qualitativeFlag(item.value, found.shown.text ?? undefined);
  }
  const limit = analyte && numeric ? rules.criticalLimit(analyte, item.unit, who) : undefined;
  const critical = limit && numeric ? criticalFlag(numeric, limit) : null;
  if (critical) flag = critical;
  return {
    code: item.code,
    name: item.name,
    value: item.value,
    unit: item.unit?.trim() || null,
    referenceRange: found?.shown ?? null,
    flag,
    critical: Boolean(critical),
    analyte: analyte?.key ?? null,
    explanation: explain(analyte?.explanation, flag),
  };
}

export function summarize(items: InterpretedItem[], type: 'lab' | 'exam'): Summary {
  const count = (...flags: Flag[]) => items.filter((i) => i.flag && flags.includes(i.flag)).length;
  const s = {
    total: items.length,
    high: count('H', 'HH'),
    low: count('L', 'LL'),
    critical: count('LL', 'HH'),
    abnormal: count('H', 'HH', 'L', 'LL', 'A'),
  };
  if (type === 'exam' && !items.length) return { ...s, text: '检查报告：请阅读检查所见和诊断意见' };
  const qualitative = count('A');
  const parts = [
    s.high && `${s.high} 项偏高`,
    s.low && `${s.low} 项偏低`,
    qualitative && `${qualitative} 项异常`,
  ].filter(Boolean);
  const unflagged = items.filter((i) => !i.flag).length;
  const text = [
    `共 ${s.total} 项`,
    ...(parts.length ? parts : ['未见异常']),
    ...(unflagged ? [`${unflagged} 项无参考区间未判断`] : []),
    s.critical ? `其中 ${s.critical} 项危急值` : '无危急值',
  ].join('，');
  return { ...s, text };
}

/** Every item interpreted, critical items first (in the hospital's order otherwise), and the summary. */
export function interpretItems(items: HisReportItem[], who: Subject, rules: InterpretationRules, type: 'lab' | 'exam') {
  const interpreted = items.map((item) => interpretItem(item, who, rules));
  const ordered = [...interpreted.filter((i) => i.critical), ...interpreted.filter((i) => !i.critical)];
  return { items: ordered, summary: summarize(interpreted, type) };
}
