import type { TriageTicketSummary } from '../../api/types';

export const TICKET_STATUS: Record<TriageTicketSummary['status'], { text: string; badge: string }> = {
  open: { text: '等待护士接单', badge: 'badge badge--warning' },
  claimed: { text: '护士处理中', badge: 'badge' },
  closed: { text: '已结束', badge: 'badge badge--muted' },
};

/** `2026-12-07T09:26:00.000+08:00` -> `12月7日 09:26` (already Shanghai time). */
export const shortTime = (iso: string) =>
  `${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日 ${iso.slice(11, 16)}`;
