import type { Context } from 'koa';
import type { Router } from '@koa/router';
import type { HisBill, HisBillItem, HisQueue } from '../../src/his/types';
import { toShanghaiIso } from '../../src/lib/time';
import type { SimHospital } from './catalog';

/**
 * The visit-day part of the HIS simulator (docs/his-interface.md, "Check-in,
 * queues and bills"). Each doctor sits in one clinic room with its own queue.
 * A queue advances by itself, deterministically: consultation i in a room
 * lasts 3-10 minutes (a hash of the room and i), so the number being called
 * follows from the time since the queue was last set and its speed (1 = real
 * time, 0 = frozen). The control API sets a queue (exact numbers, or frozen),
 * speeds it up, counts its reads, and bills can be injected (an inconsistent
 * one included); every checked-in booking also gets a deterministic bill.
 */
export interface RoomState {
  name: string;
  /** When `baseCalling` was being called, ms since epoch. */
  origin: number;
  baseCalling: number;
  /** Simulated seconds per real second; 0 freezes the queue. */
  speed: number;
  /** Highest number handed out (walk-ins and check-ins). */
  issued: number;
  /** Set exactly by the control API: answered as given (check-ins are appended). */
  fixed?: { calling: number | null; waiting: number[]; recentDurationsSec: number[] };
  /** Consultation durations to use instead of the generated ones (cycled). */
  durationsSec?: number[];
}

export interface SimBooking {
  id: string;
  hospital: string;
  slotCode: string;
  status: 'booked' | 'cancelled';
  idNumber?: string;
}

export interface VisitSimState {
  rooms: Map<string, RoomState>;
  /** Check-ins by `hospital/hisBookingId`. */
  checkIns: Map<string, { queueNumber: number; roomCode: string; key: string }>;
  /** Injected bills: hospital code -> ID number -> bills. */
  bills: Map<string, Record<string, HisBill[]>>;
  /** Queue reads per `hospital/roomCode` (the benchmark counts HIS calls here). */
  queueReads: Map<string, number>;
}

export const newVisitState = (): VisitSimState => ({
  rooms: new Map(),
  checkIns: new Map(),
  bills: new Map(),
  queueReads: new Map(),
});

function hash(s: string): number {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

/** The doctor's room: one per doctor, numbered within the department. */
export function roomOfDoctor(h: SimHospital, doctorCode: string): { code: string; name: string } | undefined {
  const doc = h.doctors.find((d) => d.code === doctorCode);
  if (!doc) return undefined;
  const dep = h.departments.find((d) => d.code === doc.departmentCode);
  const n = h.doctors.filter((d) => d.departmentCode === doc.departmentCode).indexOf(doc) + 1;
  return { code: `R${doctorCode}`, name: `${dep?.name ?? ''} ${n} 诊室`.trim() };
}

/** Slot codes are `<doctorCode>-YYYYMMDD-HHMM` (./schedule.ts). */
const doctorOfSlot = (slotCode: string) => slotCode.split('-').slice(0, -2).join('-');
const dateOfSlot = (slotCode: string) => {
  const d = slotCode.split('-').at(-2) ?? '';
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
};

const duration = (room: RoomState, key: string, i: number) =>
  room.durationsSec?.length
    ? room.durationsSec[((i % room.durationsSec.length) + room.durationsSec.length) % room.durationsSec.length]
    : 180 + (hash(`${key}#${i}`) % 421);

function room(state: VisitSimState, h: SimHospital, code: string, now: number): RoomState | undefined {
  const key = `${h.profile.code}/${code}`;
  let r = state.rooms.get(key);
  if (!r) {
    const info = roomOfDoctor(h, code.slice(1));
    if (!info || !code.startsWith('R')) return undefined;
    const baseCalling = 1 + (hash(key) % 5);
    r = { name: info.name, origin: now, baseCalling, speed: 1, issued: baseCalling + 8 };
    state.rooms.set(key, r);
  }
  return r;
}

/** A room's queue at `now`. */
export function queueAt(state: VisitSimState, h: SimHospital, code: string, now: number): HisQueue | undefined {
  const r = room(state, h, code, now);
  if (!r) return undefined;
  const key = `${h.profile.code}/${code}`;
  const roomInfo = { code, name: r.name };
  if (r.fixed) return { room: roomInfo, ...r.fixed, updatedAt: toShanghaiIso(r.origin) };
  // Consultations finished since the origin, at the room's speed; never past the last number handed out.
  let elapsed = ((now - r.origin) / 1000) * r.speed;
  let done = 0;
  let changedAt = r.origin;
  const most = r.issued - r.baseCalling;
  while (done < most && elapsed >= duration(r, key, r.baseCalling + done)) {
    const d = duration(r, key, r.baseCalling + done);
    elapsed -= d;
    changedAt += (d * 1000) / r.speed;
    done++;
  }
  const calling = r.baseCalling + done;
  const recent = Array.from({ length: 10 }, (_, k) => duration(r, key, calling - 10 + k));
  const waiting = Array.from({ length: r.issued - calling }, (_, k) => calling + 1 + k);
  return { room: roomInfo, calling, waiting, recentDurationsSec: recent, updatedAt: toShanghaiIso(changedAt) };
}

const CATALOG: Array<Omit<HisBillItem, 'amountFen' | 'quantity'> & { max: number }> = [
  { category: '化验费', name: '血常规', unitPriceFen: 2500, max: 1 },
  { category: '化验费', name: 'C反应蛋白', unitPriceFen: 4000, max: 1 },
  { category: '检查费', name: '心电图', unitPriceFen: 3500, max: 1 },
  { category: '检查费', name: '胸部X线检查', unitPriceFen: 9000, max: 1 },
  { category: '西药费', name: '阿莫西林胶囊 0.25g×24粒', unitPriceFen: 1830, max: 3 },
  { category: '西药费', name: '布洛芬缓释胶囊 0.3g×20粒', unitPriceFen: 2260, max: 2 },
  { category: '治疗费', name: '雾化吸入', unitPriceFen: 1200, max: 3 },
];

/** The bill of a checked-in booking: the registration fee plus a few items, the same for the same booking. */
export function visitBill(h: SimHospital, booking: SimBooking): HisBill {
  const doc = h.doctors.find((d) => d.code === doctorOfSlot(booking.slotCode));
  const dep = h.departments.find((d) => d.code === doc?.departmentCode);
  const regFen = doc?.title === 'chief_physician' ? 5000 : doc?.title === 'associate_chief_physician' ? 3000 : 1500;
  const items: HisBillItem[] = [
    { category: '挂号费', name: '普通门诊诊查费', quantity: 1, unitPriceFen: regFen, amountFen: regFen },
  ];
  const h0 = hash(booking.id);
  for (let i = 0; i < CATALOG.length; i++) {
    if (((h0 >>> i) & 1) === 0 && i !== 0) continue;
    const c = CATALOG[i];
    const quantity = 1 + ((h0 >>> (i + 8)) % c.max);
    items.push({
      category: c.category,
      name: c.name,
      quantity,
      unitPriceFen: c.unitPriceFen,
      amountFen: quantity * c.unitPriceFen,
    });
  }
  const totalFen = items.reduce((n, i) => n + i.amountFen, 0);
  // The insurance fund pays 60% of everything but the registration fee.
  const insuranceFen = Math.floor(((totalFen - regFen) * 60) / 100);
  return {
    code: `BL${booking.id}`,
    visitCode: booking.id,
    visitDate: dateOfSlot(booking.slotCode),
    department: dep?.name ?? '',
    status: 'unpaid',
    totalFen,
    insuranceFen,
    selfPayFen: totalFen - insuranceFen,
    items,
  };
}

interface Deps {
  visit: () => VisitSimState;
  hospital: (code: string) => SimHospital | undefined;
  bookings: () => Map<string, SimBooking>;
}

export function mountVisitRoutes(his: Router, control: Router, d: Deps) {
  his.post('/checkins', (ctx: Context) => {
    const code = ctx.params.code;
    const h = d.hospital(code)!;
    const { idempotencyKey, hisBookingId } = (ctx.request.body ?? {}) as Record<string, unknown>;
    if (typeof idempotencyKey !== 'string' || typeof hisBookingId !== 'string') {
      ctx.status = 400;
      ctx.body = { code: 'BAD_REQUEST', message: 'idempotencyKey and hisBookingId are required' };
      return;
    }
    const booking = d.bookings().get(hisBookingId);
    if (!booking || booking.hospital !== code) {
      ctx.status = 404;
      ctx.body = { code: 'NO_SUCH_BOOKING', message: 'unknown booking' };
      return;
    }
    const s = d.visit();
    const roomCode = `R${doctorOfSlot(booking.slotCode)}`;
    const known = s.checkIns.get(`${code}/${hisBookingId}`);
    if (known) {
      ctx.body = {
        queueNumber: known.queueNumber,
        room: { code: roomCode, name: s.rooms.get(`${code}/${roomCode}`)!.name },
      };
      return;
    }
    if (booking.status !== 'booked') {
      ctx.status = 409;
      ctx.body = { code: 'CHECK_IN_REFUSED', message: '预约已取消' };
      return;
    }
    const r = room(s, h, roomCode, Date.now());
    if (!r) {
      ctx.status = 409;
      ctx.body = { code: 'CHECK_IN_REFUSED', message: '无此诊室' };
      return;
    }
    const queueNumber = ++r.issued;
    if (r.fixed) r.fixed.waiting.push(queueNumber);
    s.checkIns.set(`${code}/${hisBookingId}`, { queueNumber, roomCode, key: idempotencyKey });
    ctx.status = 201;
    ctx.body = { queueNumber, room: { code: roomCode, name: r.name } };
  });

  his.get('/queues/:roomCode', (ctx: Context) => {
    const key = `${ctx.params.code}/${ctx.params.roomCode}`;
    const s = d.visit();
    s.queueReads.set(key, (s.queueReads.get(key) ?? 0) + 1);
    const q = queueAt(s, d.hospital(ctx.params.code)!, ctx.params.roomCode, Date.now());
    if (!q) {
      ctx.status = 404;
      ctx.body = { code: 'NO_SUCH_ROOM', message: 'unknown room' };
      return;
    }
    ctx.body = q;
  });

  his.post('/bills/query', (ctx: Context) => {
    const code = ctx.params.code;
    const h = d.hospital(code)!;
    const { idNumber, from, to } = (ctx.request.body ?? {}) as { idNumber?: unknown; from?: unknown; to?: unknown };
    if (typeof idNumber !== 'string' || !idNumber) {
      ctx.status = 422;
      ctx.body = { code: 'BAD_REQUEST', message: 'idNumber is required' };
      return;
    }
    const s = d.visit();
    const generated = [...d.bookings().values()]
      .filter((b) => b.hospital === code && b.idNumber === idNumber && s.checkIns.has(`${code}/${b.id}`))
      .map((b) => visitBill(h, b));
    const items = [...generated, ...(s.bills.get(code)?.[idNumber] ?? [])].filter(
      (b) => (typeof from !== 'string' || b.visitDate >= from) && (typeof to !== 'string' || b.visitDate <= to),
    );
    ctx.body = { items };
  });

  // ---- control ----
  control.put('/hospitals/:code/queues/:roomCode', (ctx: Context) => {
    const h = d.hospital(ctx.params.code);
    const s = d.visit();
    const now = Date.now();
    const current = h && queueAt(s, h, ctx.params.roomCode, now);
    if (!h || !current) {
      ctx.status = 404;
      return;
    }
    const r = s.rooms.get(`${ctx.params.code}/${ctx.params.roomCode}`)!;
    const body = (ctx.request.body ?? {}) as {
      calling?: number | null;
      waiting?: number[];
      recentDurationsSec?: number[];
      speed?: number;
      durationsSec?: number[];
      /** Simulated seconds already gone by at the new speed: a move tests can count on, whatever the clock. */
      advanceSec?: number;
    };
    if (body.waiting) {
      r.fixed = {
        calling: body.calling ?? null,
        waiting: [...body.waiting],
        recentDurationsSec: body.recentDurationsSec ?? current.recentDurationsSec,
      };
      r.issued = Math.max(r.issued, body.calling ?? 0, ...body.waiting);
      r.origin = now;
    } else {
      // Re-anchor at the current (or given) number, then run at the new speed.
      r.fixed = undefined;
      r.baseCalling = body.calling ?? current.calling ?? r.baseCalling;
      r.issued = Math.max(r.issued, r.baseCalling);
      r.origin = now;
      if (body.speed !== undefined) r.speed = body.speed;
      if (body.durationsSec) r.durationsSec = body.durationsSec;
      if (body.advanceSec && r.speed > 0) r.origin = now - (body.advanceSec * 1000) / r.speed;
    }
    ctx.body = queueAt(s, h, ctx.params.roomCode, now);
  });
  control.get('/queue-reads', (ctx: Context) => {
    const byRoom = Object.fromEntries(d.visit().queueReads);
    ctx.body = { total: Object.values(byRoom).reduce((n, k) => n + k, 0), byRoom };
  });
  control.delete('/queue-reads', (ctx: Context) => {
    d.visit().queueReads.clear();
    ctx.status = 204;
  });
  control.post('/hospitals/:code/bills', (ctx: Context) => {
    const { idNumber, items } = ctx.request.body as { idNumber: string; items: HisBill[] };
    const s = d.visit();
    const byPatient = s.bills.get(ctx.params.code) ?? {};
    byPatient[idNumber] = [...(byPatient[idNumber] ?? []), ...items];
    s.bills.set(ctx.params.code, byPatient);
    ctx.status = 204;
  });
}
