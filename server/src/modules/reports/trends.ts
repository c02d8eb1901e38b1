import { toShanghaiIso } from '../../lib/time';
import type { HisReportItem } from '../../his/types';
import { interpretItem, parseValue } from './interpret';
import { normalizeUnit, type InterpretationRules, type Subject } from './rules';
import type { ObservationsDto } from './schemas';

/** One lab report of the patient, decrypted, oldest first. */
export interface TrendSource {
  reportId: string;
  hospitalId: string;
  reportedAt: Date;
  items: HisReportItem[];
  subject: Subject;
}

/**
 * One analyte over time across the patient's reports and hospitals. Items
 * match by our analyte key when we know the analyte (hospitals name it
 * differently), otherwise by the hospital's code. Values are never mixed
 * across units: the latest result's unit is the series' unit and the others
 * are counted as omitted (no conversion is attempted).
 */
export function observationsOf(code: string, sources: TrendSource[], rules: InterpretationRules): ObservationsDto {
  const analyte = rules.analyteOf(code, code) ?? rules.analyte(code);
  const wanted = (item: HisReportItem) =>
    analyte
      ? rules.analyteOf(item.code, item.name)?.key === analyte.key
      : item.code.trim().toUpperCase() === code.toUpperCase();
  const found = sources.flatMap((s) => {
    const item = s.items.find(wanted);
    return item ? [{ source: s, item, interpreted: interpretItem(item, s.subject, rules) }] : [];
  });
  const latest = found.at(-1);
  const unit = latest ? normalizeUnit(latest.item.unit) : '';
  const same = found.filter((f) => normalizeUnit(f.item.unit) === unit);
  const points = same.map(({ source, item, interpreted }) => ({
    reportId: source.reportId,
    reportedAt: toShanghaiIso(source.reportedAt),
    value: numberOf(item.value),
    text: item.value,
    flag: interpreted.flag,
    hospitalId: source.hospitalId,
  }));
  const range = latest?.interpreted.referenceRange;
  return {
    code: analyte?.key ?? code,
    name: analyte?.name ?? latest?.item.name ?? code,
    unit: latest?.item.unit?.trim() || null,
    points,
    referenceRange: range ? { low: range.low, high: range.high } : null,
    omittedOtherUnits: found.length - same.length,
    direction: directionOf(
      same.map((f) => ({ t: f.source.reportedAt.getTime(), v: numberOf(f.item.value) })),
      range ? { low: range.low, high: range.high } : null,
    ),
  };
}

/** A plain number (`5.6`), not a bound (`<0.5`) or a word. */
function numberOf(value: string): number | null {
  const parsed = parseValue(value);
  return parsed && !parsed.comparator ? parsed.value : null;
}

/**
 * The least-squares line through the numeric points: its change from the
 * first point's time to the last's, against a tenth of the reference range's
 * width (or 5 % of the mean without one). Fewer than two numbers: null.
 */
export function directionOf(
  points: Array<{ t: number; v: number | null }>,
  range: { low: number | null; high: number | null } | null,
): 'rising' | 'falling' | 'stable' | null {
  const xs = points.filter((p): p is { t: number; v: number } => p.v !== null);
  if (xs.length < 2) return null;
  const n = xs.length;
  const days = xs.map((p) => (p.t - xs[0].t) / 86_400_000);
  const meanT = days.reduce((a, b) => a + b, 0) / n;
  const meanV = xs.reduce((a, p) => a + p.v, 0) / n;
  const sxx = days.reduce((a, t) => a + (t - meanT) ** 2, 0);
  if (sxx === 0) return 'stable';
  const slope = days.reduce((a, t, i) => a + (t - meanT) * (xs[i].v - meanV), 0) / sxx;
  const change = slope * (days[n - 1] - days[0]);
  const width = range?.low != null && range?.high != null ? range.high - range.low : null;
  const threshold = width ? width * 0.1 : Math.abs(meanV) * 0.05;
  if (change > threshold) return 'rising';
  if (change < -threshold) return 'falling';
  return 'stable';
}
