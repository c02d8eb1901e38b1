import type { Doctor, HospitalSummary, Patient, Relation } from '../api/types';

export const LEVEL_LABEL: Record<HospitalSummary['level'], string> = {
  tertiary_a: '三级甲等',
  tertiary_b: '三级乙等',
};

export const TITLE_LABEL: Record<Doctor['title'], string> = {
  chief_physician: '主任医师',
  associate_chief_physician: '副主任医师',
  attending_physician: '主治医师',
};

/** Shanghai's 16 districts, for the hospital filter. */
export { SHANGHAI_DISTRICTS as DISTRICTS } from '../../common/districts';

export const RELATION_LABEL: Record<Relation, string> = {
  self: '本人',
  spouse: '配偶',
  parent: '父母',
  child: '子女',
  other: '其他',
};

export const VERIFICATION_LABEL: Record<Patient['verification']['status'], string> = {
  verified: '已实名',
  pending: '认证中',
  rejected: '认证未通过',
};

export const PERIOD_LABEL = { am: '上午', pm: '下午' } as const;
export const SLOT_LEVEL_LABEL = { normal: '普通号', expert: '专家号', special: '特需号' } as const;

export const APPOINTMENT_STATUS_LABEL = {
  booked: '待就诊',
  checked_in: '已签到',
  completed: '已就诊',
  cancelled: '已取消',
  no_show: '爽约',
} as const;

export { yuan } from '../../common/money';

/** `2026-11-28T08:30:00.000+08:00` -> `08:30` (times already carry Shanghai's offset). */
export const hhmm = (iso: string) => iso.slice(11, 16);

const WEEKDAYS = '日一二三四五六';
/** `2026-11-28` -> `11月28日 周六` */
export function dayLabel(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 周${WEEKDAYS[d.getUTCDay()]}`;
}

export type DayStatus = 'open' | 'full' | 'not_released' | 'closed' | 'none';
export const DAY_STATUS_LABEL: Record<DayStatus, string> = {
  open: '有号',
  full: '约满',
  not_released: '未放号',
  closed: '停约',
  none: '无排班',
};

/** Today in Shanghai, whatever the phone's time zone. */
export const shanghaiToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** `2026-11-28` -> `今天` / `明天` / `周六` */
export function weekdayLabel(date: string): string {
  const today = shanghaiToday();
  if (date === today) return '今天';
  const tomorrow = new Date(`${today}T00:00:00Z`);
  tomorrow.setUTCDate(tomorrow.getUTCDate() + 1);
  if (date === tomorrow.toISOString().slice(0, 10)) return '明天';
  return `周${WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]}`;
}

/** `2026-11-28` -> `11/28` */
export const shortDate = (date: string) => `${Number(date.slice(5, 7))}/${Number(date.slice(8, 10))}`;

/** `2026-11-28T06:30:00.000+08:00` -> `11月28日 周六 06:30` */
export const dateTimeLabel = (iso: string) => `${dayLabel(iso.slice(0, 10))} ${hhmm(iso)}`;
