import type { ReportItem } from '../../api/types';

export type Flag = NonNullable<ReportItem['flag']>;

/** Every flag in words and an arrow, never by colour alone. */
export const FLAG_LABEL: Record<Flag, { text: string; tone: 'danger' | 'warning' | 'normal' }> = {
  N: { text: '正常', tone: 'normal' },
  H: { text: '↑ 偏高', tone: 'warning' },
  L: { text: '↓ 偏低', tone: 'warning' },
  HH: { text: '↑↑ 危急', tone: 'danger' },
  LL: { text: '↓↓ 危急', tone: 'danger' },
  A: { text: '异常', tone: 'warning' },
};

export const TYPE_LABEL = { lab: '检验', exam: '检查' } as const;

const shanghai = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString();
/** Any ISO time -> `2026年11月20日` in Shanghai. */
export const reportDate = (iso: string) => {
  const s = shanghai(iso);
  return `${s.slice(0, 4)}年${Number(s.slice(5, 7))}月${Number(s.slice(8, 10))}日`;
};
/** Any ISO time -> `2026年11月20日 09:30` in Shanghai. */
export const reportTime = (iso: string) => `${reportDate(iso)} ${shanghai(iso).slice(11, 16)}`;

/** `3.9-6.1`, `<5.2`, `阴性`: the range as the patient reads it. */
export function rangeText(r: ReportItem['referenceRange']): string {
  if (!r) return '';
  if (r.low !== null && r.high !== null) return `${r.low}-${r.high}`;
  if (r.high !== null) return `<${r.high}`;
  if (r.low !== null) return `>${r.low}`;
  return r.text ?? '';
}

/** Critical items first, then other abnormal ones, then the rest, each group in report order. */
export function orderItems(items: ReportItem[]): ReportItem[] {
  const rank = (i: ReportItem) => (i.critical ? 0 : i.flag && i.flag !== 'N' ? 1 : 2);
  return items
    .map((item, n) => ({ item, n }))
    .sort((a, b) => rank(a.item) - rank(b.item) || a.n - b.n)
    .map((x) => x.item);
}

export const EXPIRY_CHOICES = [
  { hours: 24, label: '24 小时' },
  { hours: 72, label: '3 天' },
  { hours: 168, label: '7 天' },
] as const;

export const SHARE_STATUS_LABEL = {
  active: { text: '有效', badge: 'badge--success' },
  locked: { text: '已锁定', badge: 'badge--warning' },
  expired: { text: '已过期', badge: 'badge--muted' },
  revoked: { text: '已撤销', badge: 'badge--muted' },
} as const;
