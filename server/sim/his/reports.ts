import type { Context } from 'koa';
import type { Router } from '@koa/router';
import type { HisReport } from '../../src/his/types';
import { demoReportsFor } from './demo-reports';

/**
 * The reports part of the HIS simulator (docs/his-interface.md, "Reports"):
 * `POST /reports/query` answers a patient's demo reports plus any injected
 * ones, with any status changes applied; the control API injects reports and
 * changes a report's status or content later (a preliminary report being
 * finalised, a final one amended).
 */
export interface ReportSimState {
  /** Injected reports: hospital code -> ID number -> reports. */
  injected: Map<string, Record<string, HisReport[]>>;
  /** Later changes to a report (status, items ...), by `hospital/reportCode`. */
  patches: Map<string, Partial<HisReport>>;
  /** Whether every valid ID number gets the deterministic demo reports. */
  demo: boolean;
}

export const newReportState = (): ReportSimState => ({ injected: new Map(), patches: new Map(), demo: true });

/** A patient's reports at one hospital, as the hospital would answer now. */
export function reportsOf(state: ReportSimState, hospital: string, idNumber: string): HisReport[] {
  const injected = state.injected.get(hospital)?.[idNumber] ?? [];
  const injectedCodes = new Set(injected.map((r) => r.code));
  const demo = state.demo ? demoReportsFor(hospital, idNumber).filter((r) => !injectedCodes.has(r.code)) : [];
  return [...demo, ...injected].map((r) => ({ ...r, ...state.patches.get(`${hospital}/${r.code}`) }));
}

/** `reportedAt` (an ISO time with offset) as a Shanghai date, for the query's from/to. */
const shanghaiDay = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

export function mountReportRoutes(his: Router, control: Router, state: () => ReportSimState) {
  his.post('/reports/query', (ctx: Context) => {
    const { idNumber, from, to } = (ctx.request.body ?? {}) as { idNumber?: unknown; from?: unknown; to?: unknown };
    if (typeof idNumber !== 'string' || !idNumber) {
      ctx.status = 422;
      ctx.body = { code: 'BAD_REQUEST', message: 'idNumber is required' };
      return;
    }
    const inRange = (r: HisReport) =>
      (typeof from !== 'string' || shanghaiDay(r.reportedAt) >= from) &&
      (typeof to !== 'string' || shanghaiDay(r.reportedAt) <= to);
    ctx.body = { items: reportsOf(state(), ctx.params.code, idNumber).filter(inRange) };
  });

  // Inject reports for a patient; a report with the code of an injected one replaces it.
  control.post('/hospitals/:code/reports', (ctx: Context) => {
    const { idNumber, items } = (ctx.request.body ?? {}) as { idNumber: string; items: HisReport[] };
    const s = state();
    const byPatient = s.injected.get(ctx.params.code) ?? {};
    const codes = new Set(items.map((r) => r.code));
    byPatient[idNumber] = [...(byPatient[idNumber] ?? []).filter((r) => !codes.has(r.code)), ...items];
    s.injected.set(ctx.params.code, byPatient);
    for (const code of codes) s.patches.delete(`${ctx.params.code}/${code}`);
    ctx.status = 204;
  });
  // Change a report later: `{status}` finalises or amends it; other fields (items, impression ...) replace its content.
  control.put('/hospitals/:code/reports/:reportCode', (ctx: Context) => {
    const key = `${ctx.params.code}/${ctx.params.reportCode}`;
    const s = state();
    s.patches.set(key, { ...s.patches.get(key), ...(ctx.request.body as Partial<HisReport>) });
    ctx.status = 204;
  });
  control.put('/demo-reports', (ctx: Context) => {
    state().demo = (ctx.request.body as { enabled?: boolean })?.enabled !== false;
    ctx.status = 204;
  });
}
