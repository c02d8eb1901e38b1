import Koa, { type Context, type Next } from 'koa';
import { Router } from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import { demoHisSecret } from '../../src/his/signing';
import { listen, type RunningServer } from '../listen';
import { generateHospitals, type SimHospital } from './catalog';
import { mountReportRoutes, newReportState, type ReportSimState } from './reports';
import { generateMap } from './map';
import { sessionsFor } from './schedule';
import { verifyAndSign } from './signing';
import { mountVisitRoutes, newVisitState, type SimBooking, type VisitSimState } from './visit';

/**
 * HIS simulator: one HTTP server playing all 38 demo hospitals, each under
 * `/h/<code>` and following docs/his-interface.md. The control API under
 * `/__sim` lets tests inject data and faults per hospital.
 */

export interface Faults {
  /** Added to every answer, in milliseconds. */
  latencyMs: number;
  /** Share of requests (0-1) answered with HTTP 500. */
  errorRate: number;
  /** Drop every connection, as an unreachable hospital would. */
  down: boolean;
}

const NO_FAULTS: Faults = { latencyMs: 0, errorRate: 0, down: false };

export interface HisSimState {
  hospitals: Map<string, SimHospital>;
  faults: Map<string, Faults>;
  /** Demo and injected reports (./reports.ts). */
  reports: ReportSimState;
  /** Check-ins, clinic-room queues and bills (./visit.ts). */
  visit: VisitSimState;
  /** Confirmed bookings by hospital booking id, and idempotency key -> booking id. */
  bookings: Map<string, SimBooking>;
  bookingKeys: Map<string, string>;
  /** Hospitals that refuse bookings, with the reason they give. */
  rejectBookings: Map<string, string>;
  /** Sessions the hospital stopped (停诊), `code/doctorCode/date/period` -> reason. */
  stopped: Map<string, string>;
  /** A hospital whose schedule answers come back empty or with half the sessions (a faulty HIS). */
  scheduleFaults: Map<string, 'empty' | 'half'>;
  /** Answers a misconfigured hospital gives instead of the real one: an HTTP status and body. */
  answerFaults: Map<string, { status: number; body: unknown }>;
  requests: Map<string, number>;
  /** Indoor maps: generated once per hospital, or replaced through `/__sim` (e.g. by a broken one). */
  maps: Map<string, unknown>;
}

function newState(seed?: number): HisSimState {
  return {
    hospitals: new Map(generateHospitals(seed).map((h) => [h.profile.code, h])),
    faults: new Map(),
    reports: newReportState(),
    visit: newVisitState(),
    requests: new Map(),
    bookings: new Map(),
    bookingKeys: new Map(),
    rejectBookings: new Map(),
    stopped: new Map(),
    scheduleFaults: new Map(),
    answerFaults: new Map(),
    maps: new Map(),
  };
}

/** Unref'd: a simulated slow answer never keeps a stopping process alive. */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

export interface HisSimOptions {
  /** Catalog seed (the demo hospitals are the same for the same seed). */
  seed?: number;
  /** Derives each hospital's signing secret (the platform's DEMO_HIS_SECRET). */
  signingSeed: string;
}

/** The signing seed of tests and tools that start the simulator on its own. */
export const TEST_HIS_SIGNING_SEED = 'test-his-signing-seed';

export function createHisSimApp(options: HisSimOptions = { signingSeed: TEST_HIS_SIGNING_SEED }) {
  const { seed, signingSeed } = options;
  let state = newState(seed);
  const app = new Koa();
  const his = new Router({ prefix: '/h/:code' });
  const control = new Router({ prefix: '/__sim' });

  const hospital = (ctx: Context) => state.hospitals.get(ctx.params.code)!;

  his.use(async (ctx: Context, next: Next) => {
    const code = ctx.params.code;
    if (!state.hospitals.has(code)) {
      ctx.status = 404;
      ctx.body = { code: 'UNKNOWN_HOSPITAL', message: 'no such hospital' };
      return;
    }
    state.requests.set(code, (state.requests.get(code) ?? 0) + 1);
    const f = state.faults.get(code) ?? NO_FAULTS;
    if (f.down) {
      ctx.req.socket.destroy();
      ctx.respond = false;
      return;
    }
    if (f.latencyMs) await sleep(f.latencyMs);
    if (f.errorRate && Math.random() < f.errorRate) {
      ctx.status = 500;
      ctx.body = { code: 'INTERNAL', message: 'simulated failure' };
      return;
    }
    await verifyAndSign(ctx, next, demoHisSecret(signingSeed, code), () => {
      const fault = state.answerFaults.get(code);
      if (fault) {
        ctx.status = fault.status;
        ctx.body = fault.body;
      }
      return Boolean(fault);
    });
  });

  his.get('/profile', (ctx) => {
    ctx.body = hospital(ctx).profile;
  });
  his.get('/departments', (ctx) => {
    ctx.body = { items: hospital(ctx).departments };
  });
  his.get('/doctors', (ctx) => {
    ctx.body = { items: hospital(ctx).doctors };
  });
  his.get('/schedules', (ctx) => {
    const { from, to } = ctx.query as { from?: string; to?: string };
    if (!from || !to || !/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to)) {
      ctx.status = 400;
      ctx.body = { code: 'BAD_RANGE', message: 'from and to are required dates' };
      return;
    }
    const code = ctx.params.code;
    let items = sessionsFor(code, hospital(ctx).doctors, from, to).map((s) => {
      const reason = state.stopped.get(`${code}/${s.doctorCode}/${s.date}/${s.period}`);
      return reason === undefined ? s : { ...s, status: 'stopped' as const, stopReason: reason };
    });
    const fault = state.scheduleFaults.get(code);
    if (fault === 'empty') items = [];
    if (fault === 'half') items = items.filter((_, i) => i % 3 === 0);
    ctx.body = { items };
  });
  his.post('/bookings', (ctx) => {
    const body = ctx.request.body as { idempotencyKey?: string; slotCode?: string; patient?: { idNumber?: string } };
    const key = `${ctx.params.code}/${body.idempotencyKey}`;
    const known = state.bookingKeys.get(key);
    if (known) {
      ctx.body = { hisBookingId: known };
      return;
    }
    const reason = state.rejectBookings.get(ctx.params.code);
    if (reason) {
      ctx.status = 409;
      ctx.body = { code: 'BOOKING_REFUSED', message: reason };
      return;
    }
    const id = `HB${ctx.params.code}${String(state.bookings.size + 1).padStart(6, '0')}`;
    state.bookings.set(id, {
      id,
      hospital: ctx.params.code,
      slotCode: String(body.slotCode),
      status: 'booked',
      idNumber: body.patient?.idNumber,
    });
    state.bookingKeys.set(key, id);
    ctx.status = 201;
    ctx.body = { hisBookingId: id };
  });
  his.post('/bookings/lookup', (ctx) => {
    const body = ctx.request.body as { idempotencyKey?: string };
    const id = state.bookingKeys.get(`${ctx.params.code}/${body.idempotencyKey}`);
    const b = id ? state.bookings.get(id) : undefined;
    if (!b) {
      ctx.status = 404;
      ctx.body = { code: 'NO_SUCH_BOOKING', message: 'no booking with that key' };
      return;
    }
    ctx.body = { hisBookingId: b.id, status: b.status };
  });
  his.post('/bookings/:id/cancel', (ctx) => {
    const b = state.bookings.get(ctx.params.id);
    if (!b || b.hospital !== ctx.params.code) {
      ctx.status = 404;
      ctx.body = { code: 'NO_SUCH_BOOKING', message: 'unknown booking' };
      return;
    }
    b.status = 'cancelled';
    ctx.status = 204;
  });

  his.get('/map', (ctx) => {
    const code = ctx.params.code;
    if (!state.maps.has(code)) state.maps.set(code, generateMap(hospital(ctx), seed));
    ctx.body = state.maps.get(code);
  });

  // ---- control API (tests and demos only) ----
  control.get('/hospitals', (ctx) => {
    ctx.body = {
      items: [...state.hospitals.values()].map((h) => ({
        code: h.profile.code,
        name: h.profile.name,
        faults: state.faults.get(h.profile.code) ?? NO_FAULTS,
        requests: state.requests.get(h.profile.code) ?? 0,
      })),
    };
  });
  control.put('/hospitals/:code/faults', (ctx) => {
    const body = (ctx.request.body ?? {}) as Partial<Faults>;
    state.faults.set(ctx.params.code, { ...NO_FAULTS, ...body });
    ctx.body = state.faults.get(ctx.params.code);
  });
  control.put('/hospitals/:code/booking-refusal', (ctx) => {
    const { reason } = (ctx.request.body ?? {}) as { reason?: string };
    if (reason) state.rejectBookings.set(ctx.params.code, reason);
    else state.rejectBookings.delete(ctx.params.code);
    ctx.status = 204;
  });
  // 停诊: the hospital stops a doctor's session; the next schedule answer marks it `stopped`.
  control.put('/hospitals/:code/sessions/stop', (ctx) => {
    const { doctorCode, date, period, reason } = (ctx.request.body ?? {}) as Record<string, string>;
    state.stopped.set(`${ctx.params.code}/${doctorCode}/${date}/${period}`, reason ?? '医生临时停诊');
    ctx.status = 204;
  });
  control.put('/hospitals/:code/schedule-fault', (ctx) => {
    const { mode } = (ctx.request.body ?? {}) as { mode?: 'empty' | 'half' | null };
    if (mode) state.scheduleFaults.set(ctx.params.code, mode);
    else state.scheduleFaults.delete(ctx.params.code);
    ctx.status = 204;
  });
  // A misconfigured hospital: every answer becomes this status and body (signed), until cleared.
  control.put('/hospitals/:code/answer-fault', (ctx) => {
    const { status, body } = (ctx.request.body ?? {}) as { status?: number; body?: unknown };
    if (status) state.answerFaults.set(ctx.params.code, { status, body: body ?? {} });
    else state.answerFaults.delete(ctx.params.code);
    ctx.status = 204;
  });
  control.get('/hospitals/:code/bookings', (ctx) => {
    ctx.body = { items: [...state.bookings.values()].filter((b) => b.hospital === ctx.params.code) };
  });
  // A hospital closing a department (its doctors go with it).
  control.delete('/hospitals/:code/departments/:departmentCode', (ctx) => {
    const h = state.hospitals.get(ctx.params.code);
    if (h) {
      h.departments = h.departments.filter((d) => d.code !== ctx.params.departmentCode);
      h.doctors = h.doctors.filter((d) => d.departmentCode !== ctx.params.departmentCode);
    }
    ctx.status = 204;
  });
  // Replaces a hospital's indoor map with the given document (any JSON, to test refusals); `{map: null}` restores the generated one.
  control.put('/hospitals/:code/map', (ctx) => {
    const { map } = (ctx.request.body ?? {}) as { map?: unknown };
    if (map) state.maps.set(ctx.params.code, map);
    else state.maps.delete(ctx.params.code);
    ctx.status = 204;
  });
  control.post('/reset', (ctx) => {
    state = newState(seed);
    ctx.status = 204;
  });

  mountReportRoutes(his, control, () => state.reports);
  mountVisitRoutes(his, control, {
    visit: () => state.visit,
    hospital: (code) => state.hospitals.get(code),
    bookings: () => state.bookings,
  });

  app.use(bodyParser());
  app.use(his.routes());
  app.use(control.routes());
  return { app, state: () => state };
}

export async function startHisSimulator(port = 0, options?: HisSimOptions): Promise<RunningServer> {
  return listen(createHisSimApp(options).app, port);
}
