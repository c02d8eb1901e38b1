import axios from 'axios';
import { DomainEvent } from '../../server/src/modules/booking/models';
import type { HisBill, HisClient, HisQueue } from '../../server/src/his/types';
import { checkBill } from '../../server/src/modules/visit/bills';
import { estimateWaitMinutes, placeInQueue, trimmedMean } from '../../server/src/modules/visit/estimate';
import { QueueCache } from '../../server/src/modules/visit/queue-cache';
import { VisitService } from '../../server/src/modules/visit/service';
import { Seats } from '../../server/src/modules/booking/seat';
import { stopSlots } from '../../server/src/modules/booking/stop';
import { addPatient, idNumber, signInWithConsent, type Session } from '../support/accounts';
import { book, openSlots, slotPicker, type SlotView } from '../support/booking';
import { signedHis } from '../support/his';
import { makeDue } from '../support/outbox';
import { loggedContent, startTestPlatform, type TestPlatform } from '../support/platform';

let p: TestPlatform;
let freshSlot: () => SlotView;
const logLines: string[] = [];
const sim = () => axios.create({ baseURL: p.sims.his.url });
const MIN = 60_000;

beforeAll(async () => {
  p = await startTestPlatform({
    env: { RATE_BOOKING_PER_ACCOUNT_PER_MINUTE: '1000', QUEUE_REFRESH_MS: '600000' },
    logStream: { write: (line) => void logLines.push(line) },
  });
  freshSlot = slotPicker([...(await openSlots(p, 3)), ...(await openSlots(p, 4))]);
});
afterAll(() => p.close());

interface Visitor {
  session: Session;
  patientId: string;
  idNumber: string;
}

async function visitor(): Promise<Visitor> {
  const session = await signInWithConsent(p);
  const id = idNumber('19850612');
  const res = await addPatient(p, session, { idNumber: id, name: '王小明' });
  expect(res.status).toBe(201);
  return { session, patientId: res.body.id, idNumber: id };
}

/** A booking confirmed by the hospital, whose slot then starts `startsInMin` minutes from now. */
async function appointment(v: Visitor, startsInMin: number) {
  const slot = freshSlot();
  const res = await book(p, v.session, slot.id, v.patientId);
  expect(res.status).toBe(201);
  await p.services.outbox.runOnce();
  const start = new Date(Date.now() + startsInMin * MIN);
  await p.db.writeSql((sql) => sql.run('UPDATE slots SET start_at = ? WHERE id = ?', [start, slot.id]));
  const h = await p.db.sql.one<{ code: string }>(
    'SELECT h.code FROM hospitals h JOIN appointments a ON a.hospital_id = h.id WHERE a.id = ?',
    [res.body.id],
  );
  return { id: res.body.id as string, hospitalCode: h!.code, hospitalId: res.body.hospital.id as string };
}

const checkIn = (s: Session, id: string) => p.api.post(`/api/v1/appointments/${id}/check-in`).set(s.auth);
const queue = (s: Session, id: string) => p.api.get(`/api/v1/appointments/${id}/queue`).set(s.auth);

/** Checks in and lets the outbox fetch the queue number from the hospital. */
async function checkedIn(v: Visitor, startsInMin = 20) {
  const apt = await appointment(v, startsInMin);
  expect((await checkIn(v.session, apt.id)).status).toBe(200);
  await p.services.outbox.runOnce();
  const row = await p.db.sql.one<{ n: number; room: string }>(
    'SELECT queue_number AS n, queue_room_code AS room FROM appointments WHERE id = ?',
    [apt.id],
  );
  return { ...apt, myNumber: Number(row!.n), room: row!.room };
}

const setQueue = (hospitalCode: string, room: string, body: object) =>
  sim().put(`/__sim/hospitals/${hospitalCode}/queues/${room}`, body);

describe('after check-in', () => {
  it('a 停诊 or a hospital refusal still cancels a checked-in appointment, seat and notice included', async () => {
    const v = await visitor();
    const apt = await checkedIn(v);
    const slotId = (await p.db.sql.one<{ s: string }>('SELECT slot_id AS "s" FROM appointments WHERE id = ?', [
      apt.id,
    ]))!.s;
    const seats = new Seats({ policyVersion: p.config.privacyPolicyVersion });
    const stopped = await p.db.writeSql((sql) => stopSlots(sql, seats, [slotId], '临时手术'));
    expect(stopped.appointmentIds).toEqual([apt.id]);
    const row = await p.db.sql.one<{ status: string }>('SELECT status FROM appointments WHERE id = ?', [apt.id]);
    expect(row!.status).toBe('cancelled');
    expect(await DomainEvent.count({ where: { aggregateId: apt.id, type: 'booking.cancelled_by_hospital' } })).toBe(1);
  });

  it('a check-in stored without its time (a desk mark before 签到 existed) answers, never a 500', async () => {
    const v = await visitor();
    const apt = await appointment(v, 20);
    await p.db.writeSql((sql) =>
      sql.run("UPDATE appointments SET status = 'checked_in', checked_in_at = NULL WHERE id = ?", [apt.id]),
    );
    const res = await checkIn(v.session, apt.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'checked_in', checkedInAt: null });
  });
});

describe('check-in window', () => {
  it('refuses before the window (CHECK_IN_NOT_OPEN) and after it (CHECK_IN_CLOSED)', async () => {
    const v = await visitor();
    const early = await appointment(v, 120);
    const late = await appointment(v, -60);
    const r1 = await checkIn(v.session, early.id);
    expect(r1.status).toBe(409);
    expect(r1.body.error.code).toBe('CHECK_IN_NOT_OPEN');
    expect(r1.body.error.message).toMatch(/签到/);
    const r2 = await checkIn(v.session, late.id);
    expect(r2.status).toBe(409);
    expect(r2.body.error.code).toBe('CHECK_IN_CLOSED');
    expect((await p.api.get(`/api/v1/appointments/${early.id}/check-in`).set(v.session.auth)).body.state).toBe(
      'not_open',
    );
    expect((await p.api.get(`/api/v1/appointments/${late.id}/check-in`).set(v.session.auth)).body.state).toBe('closed');
    const status = await p.db.sql.all<{ status: string }>('SELECT status FROM appointments WHERE id IN (?, ?)', [
      early.id,
      late.id,
    ]);
    expect(status.map((s) => s.status)).toEqual(['booked', 'booked']);
  });

  it('checks in within the window (edges of the default 60 min before to 15 min after); the hospital gives the number', async () => {
    const v = await visitor();
    const soon = await appointment(v, 55);
    const started = await appointment(v, -10);
    expect((await p.api.get(`/api/v1/appointments/${soon.id}/check-in`).set(v.session.auth)).body.state).toBe('open');
    const res = await checkIn(v.session, soon.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ appointmentId: soon.id, status: 'checked_in', queueNumber: null, room: null });
    expect((await checkIn(v.session, started.id)).status).toBe(200);
    // Before the hospital answers, the queue says so.
    expect((await queue(v.session, soon.id)).body).toMatchObject({ state: 'checking_in', myNumber: null });
    await p.services.outbox.runOnce();
    const again = await checkIn(v.session, soon.id);
    expect(again.status).toBe(200);
    expect(again.body.queueNumber).toEqual(expect.any(Number));
    expect(again.body.room.name).toMatch(/诊室$/);
    const apt = await p.api.get(`/api/v1/appointments/${soon.id}`).set(v.session.auth);
    expect(apt.body.status).toBe('checked_in');
    // One check-in job, one number: the repeat made no second check-in.
    const jobs = await p.db.sql.all("SELECT id FROM outbox WHERE kind = 'his.check_in' AND aggregate_id = ?", [
      soon.id,
    ]);
    expect(jobs).toHaveLength(1);
  });

  it('takes the check-in back when the hospital refuses it, and waits while the hospital is down', async () => {
    const v = await visitor();
    const apt = await appointment(v, 20);
    const row = await p.db.sql.one<{ b: string }>('SELECT his_booking_id AS b FROM appointments WHERE id = ?', [
      apt.id,
    ]);
    // Down: the job is retried later and the appointment stays checked in, without a number yet.
    await p.setFaults(apt.hospitalCode, { down: true });
    expect((await checkIn(v.session, apt.id)).status).toBe(200);
    await p.services.outbox.runOnce();
    const waiting = await p.db.sql.one<{ status: string; n: number | null }>(
      'SELECT status, queue_number AS n FROM appointments WHERE id = ?',
      [apt.id],
    );
    expect(waiting).toEqual({ status: 'checked_in', n: null });
    await p.setFaults(apt.hospitalCode, {});
    // The hospital cancelled the booking on its side meanwhile: it refuses the check-in.
    await signedHis(p.sims.his.url).post(`/h/${apt.hospitalCode}/bookings/${row!.b}/cancel`, { idempotencyKey: 'x' });
    await makeDue(p.db, apt.id);
    await p.services.outbox.runOnce();
    const back = await p.db.sql.one<{ status: string }>('SELECT status FROM appointments WHERE id = ?', [apt.id]);
    expect(back!.status).toBe('booked');
  });

  it('a cancelled appointment cannot be checked in, and the queue needs a check-in first', async () => {
    const v = await visitor();
    const apt = await appointment(v, 30);
    const q = await queue(v.session, apt.id);
    expect(q.status).toBe(409);
    expect(q.body.error.code).toBe('NOT_CHECKED_IN');
    await p.db.writeSql((sql) => sql.run("UPDATE appointments SET status = 'cancelled' WHERE id = ?", [apt.id]));
    const res = await checkIn(v.session, apt.id);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('NOT_CHECKABLE');
  });
});

describe('queue status', () => {
  it('estimates the wait from a trimmed mean of recent consultations (hand-computed)', async () => {
    const v = await visitor();
    const apt = await checkedIn(v);
    const n = apt.myNumber;
    // Ten durations; the trimmed mean drops the shortest (60) and the longest (1800):
    // (240 + 300 + 310 + 330 + 350 + 360 + 390 + 420) / 8 = 2700 / 8 = 337.5 s.
    // Five ahead: 5 × 337.5 = 1687.5 s = 28.125 min -> 29 minutes.
    await setQueue(apt.hospitalCode, apt.room, {
      calling: n - 6,
      waiting: [n - 5, n - 4, n - 3, n - 2, n - 1, n, n + 1],
      recentDurationsSec: [300, 420, 360, 1800, 240, 330, 390, 60, 350, 310],
    });
    const res = await queue(v.session, apt.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      appointmentId: apt.id,
      state: 'waiting',
      room: { code: apt.room, name: expect.stringMatching(/诊室$/) },
      calling: n - 6,
      myNumber: n,
      ahead: 5,
      estimatedWaitMinutes: 29,
      stale: false,
      near: false,
    });
    expect(res.body.updatedAt).toMatch(/\+08:00$/);
  });

  it('tells the patient once when three or fewer are ahead: a banner flag and one queue.near event -> 即将叫号 notice', async () => {
    const v = await visitor();
    const apt = await checkedIn(v);
    const n = apt.myNumber;
    await setQueue(apt.hospitalCode, apt.room, {
      calling: n - 4,
      waiting: [n - 3, n - 2, n - 1, n],
      recentDurationsSec: [600, 600, 600],
    });
    const first = await queue(v.session, apt.id);
    expect(first.body).toMatchObject({ ahead: 3, near: true, estimatedWaitMinutes: 30 });
    await queue(v.session, apt.id);
    await Promise.all([queue(v.session, apt.id), queue(v.session, apt.id)]);
    const events = await DomainEvent.findAll({ where: { type: 'queue.near', aggregateId: apt.id } });
    expect(events).toHaveLength(1);
    await p.services.dispatcher.dispatchOnce();
    const inbox = await p.api.get('/api/v1/me/notifications').set(v.session.auth);
    expect(inbox.body.items.map((i: { title: string }) => i.title)).toContain('即将叫号');
  });

  it('tells a patient who is not watching too: the background watch reads the room and emits queue.near once', async () => {
    const v = await visitor();
    const apt = await checkedIn(v);
    const n = apt.myNumber;
    await setQueue(apt.hospitalCode, apt.room, { calling: n - 3, waiting: [n - 2, n - 1, n], recentDurationsSec: [] });
    expect(await p.services.visit.watchQueues()).toBeGreaterThanOrEqual(1);
    expect(await p.services.visit.watchQueues()).toBe(0); // told once; nobody else in that room
    expect(await DomainEvent.count({ where: { type: 'queue.near', aggregateId: apt.id } })).toBe(1);
    await p.services.dispatcher.dispatchOnce();
    const inbox = await p.api.get('/api/v1/me/notifications').set(v.session.auth);
    expect(inbox.body.items.map((i: { title: string }) => i.title)).toContain('即将叫号');
  });

  it('says when the number is being called, and when it was passed', async () => {
    const v = await visitor();
    const a = await checkedIn(v);
    await setQueue(a.hospitalCode, a.room, { calling: a.myNumber, waiting: [a.myNumber + 1] });
    expect((await queue(v.session, a.id)).body).toMatchObject({ state: 'called', ahead: 0, estimatedWaitMinutes: 0 });
    const b = await checkedIn(v);
    await setQueue(b.hospitalCode, b.room, { calling: b.myNumber + 2, waiting: [b.myNumber + 3] });
    expect((await queue(v.session, b.id)).body).toMatchObject({ state: 'passed', ahead: null });
  });

  it('reads each room from the hospital once per refresh interval, however many watch it', async () => {
    const v = await visitor();
    const apt = await checkedIn(v);
    const key = `${apt.hospitalCode}/${apt.room}`;
    const before = (await sim().get('/__sim/queue-reads')).data.byRoom[key] ?? 0;
    const answers = await Promise.all(Array.from({ length: 60 }, () => queue(v.session, apt.id)));
    expect(answers.every((r) => r.status === 200)).toBe(true);
    const after = (await sim().get('/__sim/queue-reads')).data.byRoom[key];
    expect(after - before).toBe(1);
  });

  it('answers 503 HIS_UNAVAILABLE for a room the hospital never answered for', async () => {
    const v = await visitor();
    const apt = await checkedIn(v);
    await p.setFaults(apt.hospitalCode, { down: true });
    try {
      const res = await queue(v.session, apt.id);
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('HIS_UNAVAILABLE');
    } finally {
      await p.setFaults(apt.hospitalCode, {});
    }
  });
});

describe('queue cache and estimate (units, on a test clock)', () => {
  const q = (calling: number): HisQueue => ({
    room: { code: 'R1', name: '1 诊室' },
    calling,
    waiting: [calling + 1],
    recentDurationsSec: [],
    updatedAt: '2026-12-07T09:00:00.000+08:00',
  });

  it('one read per interval for any number of concurrent watchers; a failure is not retried before the interval', async () => {
    let now = 1_000_000;
    let reads = 0;
    let fail = false;
    const cache = new QueueCache(5_000, () => now);
    const read = async () => {
      reads++;
      await new Promise((r) => setImmediate(r));
      if (fail) throw new Error('down');
      return q(reads);
    };
    // The first look waits for the hospital, and everyone asking meanwhile shares that one read.
    const first = await Promise.all(Array.from({ length: 1000 }, () => cache.get('h/R1', read)));
    expect(reads).toBe(1);
    expect(first.every((c) => c.queue?.calling === 1)).toBe(true);
    now += 4_999;
    await cache.get('h/R1', read);
    expect(reads).toBe(1);
    // Expired: the old answer is served at once while one refresh runs.
    now += 1;
    fail = true;
    const during = await Promise.all(Array.from({ length: 100 }, () => cache.get('h/R1', read)));
    expect(during.every((c) => c.queue?.calling === 1 && c.failedAt === null)).toBe(true);
    await cache.idle();
    expect(reads).toBe(2);
    // The last good answer is kept, marked by the failure.
    expect(await cache.get('h/R1', read)).toMatchObject({
      queue: { calling: 1 },
      fetchedAt: 1_000_000,
      failedAt: 1_005_000,
    });
    now += 4_000;
    await cache.get('h/R1', read);
    expect(reads).toBe(2);
    now += 1_000;
    fail = false;
    await cache.get('h/R1', read);
    await cache.idle();
    expect(reads).toBe(3);
    expect(await cache.get('h/R1', read)).toMatchObject({ queue: { calling: 3 }, failedAt: null });
    await cache.get('h/R2', read);
    expect(reads).toBe(4);
  });

  it('waits for a fresh read when the answer it holds is older than the serving limit', async () => {
    let now = 1_000_000;
    let reads = 0;
    const cache = new QueueCache(5_000, () => now, 30_000);
    const read = async () => {
      reads++;
      await new Promise((r) => setImmediate(r));
      return q(reads);
    };
    await cache.get('h/R1', read);
    now += 20_000; // expired but young enough: served at once, refreshed behind
    expect((await cache.get('h/R1', read)).queue?.calling).toBe(1);
    await cache.idle();
    now += 3 * 60 * 60 * 1000; // nobody looked for three hours: the caller gets the new answer
    expect((await cache.get('h/R1', read)).queue?.calling).toBe(3);
    expect(reads).toBe(3);
  });

  it('trimmed mean and estimate', () => {
    expect(trimmedMean([], 10)).toBeNull();
    expect(trimmedMean([300], 10)).toBe(300);
    // Last 10 of 12 samples: [200..., ] the first two (9999, 1) are outside the window.
    expect(trimmedMean([9999, 1, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000], 10)).toBe(550);
    expect(estimateWaitMinutes(0, [], 10)).toBe(0);
    expect(estimateWaitMinutes(2, [], 10)).toBeNull();
    expect(estimateWaitMinutes(3, [100, 200], 10)).toBe(8); // 3 × 150 s = 7.5 min -> 8
    expect(placeInQueue({ calling: 5, waiting: [6, 8, 7] }, 7)).toEqual({ state: 'waiting', ahead: 2 });
    // Checked in after the answer was read: not in the list yet, so behind everyone lower, never "passed".
    expect(placeInQueue({ calling: 5, waiting: [6, 8, 7] }, 9)).toEqual({ state: 'waiting', ahead: 3 });
    expect(placeInQueue({ calling: null, waiting: [] }, 1)).toEqual({ state: 'waiting', ahead: 0 });
    expect(placeInQueue({ calling: 5, waiting: [6] }, 4)).toEqual({ state: 'passed', ahead: 0 });
  });

  it('marks the queue stale when the hospital stopped answering, on the service clock', async () => {
    const v = await visitor();
    const apt = await checkedIn(v);
    let now = Date.now();
    let down = false;
    const his: HisClient = Object.create(p.his);
    his.getQueue = async (target, room) => {
      if (down) throw new Error('down');
      return p.his.getQueue(target, room);
    };
    const service = new VisitService({
      db: p.db,
      his,
      cipher: p.services.cipher,
      accounts: p.services.accounts,
      config: { ...p.config.visit, queueRefreshMs: 5_000, queueStaleMs: 60_000 },
      clock: () => now,
    });
    const userId = (await p.db.sql.one<{ u: string }>('SELECT user_id AS u FROM appointments WHERE id = ?', [apt.id]))!
      .u;
    expect((await service.queueStatus(userId, apt.id)).stale).toBe(false);
    down = true;
    now += 5_000;
    await service.queueStatus(userId, apt.id); // starts the refresh, which fails
    await service.queueReadsIdle();
    const stale = await service.queueStatus(userId, apt.id);
    expect(stale.stale).toBe(true);
    expect(stale.myNumber).toBe(apt.myNumber);
  });
});

const bill = (over: Partial<HisBill> = {}): HisBill => ({
  code: 'BX-1',
  visitCode: 'V-1',
  visitDate: '2026-12-01',
  department: '心内科',
  status: 'paid',
  totalFen: 6160,
  insuranceFen: 3000,
  selfPayFen: 3160,
  items: [
    { category: '西药费', name: '阿司匹林肠溶片', quantity: 2, unitPriceFen: 1830, amountFen: 3660 },
    { category: '化验费', name: '血常规', quantity: 1, unitPriceFen: 2500, amountFen: 2500 },
  ],
  ...over,
});

describe('bills', () => {
  it('adds up exactly in fen (hand-computed), and names what does not add up', () => {
    expect(checkBill(bill())).toEqual([]);
    const wrong = bill({
      insuranceFen: 3000,
      selfPayFen: 3000,
      items: [
        { category: '西药费', name: '阿司匹林肠溶片', quantity: 2, unitPriceFen: 1830, amountFen: 3660 },
        { category: '化验费', name: '血常规', quantity: 1, unitPriceFen: 2500, amountFen: 2400 },
      ],
    });
    const problems = checkBill(wrong);
    expect(problems.map((x) => x.kind)).toEqual(['line_amount', 'total', 'split']);
    expect(problems[0]).toMatchObject({ line: 2 });
    expect(problems[0].message).toContain('¥25.00');
    expect(problems[1].message).toBe('各项金额合计¥60.60，与总金额¥61.60不符');
  });

  it('lists bills by visit with totals, and a detail grouped by category; an inconsistent one is marked and logged without amounts', async () => {
    const v = await visitor();
    const apt = await checkedIn(v);
    const inject = (b: HisBill) =>
      sim().post(`/__sim/hospitals/${apt.hospitalCode}/bills`, { idNumber: v.idNumber, items: [b] });
    await inject(bill());
    await inject(
      bill({
        code: 'BX-2',
        status: 'unpaid',
        totalFen: 1200,
        insuranceFen: 0,
        selfPayFen: 1200,
        items: [{ category: '治疗费', name: '换药', quantity: 1, unitPriceFen: 1200, amountFen: 1200 }],
      }),
    );
    await inject(
      bill({
        code: 'BX-3',
        visitCode: 'V-2',
        visitDate: '2026-11-20',
        totalFen: 5000,
        insuranceFen: 2000,
        selfPayFen: 2500,
        items: [{ category: '检查费', name: '心电图', quantity: 2, unitPriceFen: 2500, amountFen: 5000 }],
      }),
    );
    logLines.length = 0;
    const res = await p.api
      .get('/api/v1/bills')
      .query({ patientId: v.patientId, hospitalId: apt.hospitalId })
      .set(v.session.auth);
    expect(res.status).toBe(200);
    expect(res.body.unavailableHospitalIds).toEqual([]);
    // Three visits: today's (the simulator's bill of the check-in), V-1 (two bills) and V-2.
    expect(res.body.total).toBe(3);
    const v1 = res.body.items.find((x: { visitCode: string }) => x.visitCode === 'V-1');
    expect(v1).toMatchObject({
      totalFen: 7360,
      insuranceFen: 3000,
      selfPayFen: 4360,
      unpaidFen: 1200,
      inconsistent: false,
    });
    expect(v1.bills).toHaveLength(2);
    const v2 = res.body.items.find((x: { visitCode: string }) => x.visitCode === 'V-2');
    expect(v2.inconsistent).toBe(true);
    expect(v2.bills[0].problems.map((x: { kind: string }) => x.kind)).toEqual(['split']);
    const logged = logLines.filter((l) => l.includes('hospital data error'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('BX-3');
    expect(loggedContent(logged[0])).not.toMatch(/5000|2500|2000|心电图/);

    const today = res.body.items.find((x: { visitCode: string }) => x.visitCode !== 'V-1' && x.visitCode !== 'V-2');
    expect(today.bills[0].inconsistent).toBe(false);
    expect(today.bills[0].items).toBeUndefined();

    const unpaid = await p.api
      .get('/api/v1/bills')
      .query({ patientId: v.patientId, hospitalId: apt.hospitalId, status: 'unpaid' })
      .set(v.session.auth);
    expect(unpaid.body.items.flatMap((x: { bills: unknown[] }) => x.bills).length).toBeGreaterThanOrEqual(1);
    const ranged = await p.api
      .get('/api/v1/bills')
      .query({ patientId: v.patientId, hospitalId: apt.hospitalId, from: '2026-11-01', to: '2026-11-30' })
      .set(v.session.auth);
    expect(ranged.body.items.map((x: { visitCode: string }) => x.visitCode)).toEqual(['V-2']);

    const detail = await p.api.get(`/api/v1/bills/${v1.bills[0].id}`).set(v.session.auth);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ code: 'BX-1', totalFen: 6160, patientId: v.patientId });
    expect(detail.body.groups).toEqual([
      { category: '西药费', amountFen: 3660, items: [expect.objectContaining({ name: '阿司匹林肠溶片' })] },
      { category: '化验费', amountFen: 2500, items: [expect.objectContaining({ name: '血常规' })] },
    ]);
  });

  it('a hospital that refuses the bill query is named unavailable, never a 500', async () => {
    const v = await visitor();
    const apt = await appointment(v, 20);
    await sim().put(`/__sim/hospitals/${apt.hospitalCode}/answer-fault`, {
      status: 409,
      body: { code: 'BOOKING_REFUSED', message: '拒绝' },
    });
    try {
      const res = await p.api
        .get('/api/v1/bills')
        .query({ patientId: v.patientId, hospitalId: apt.hospitalId })
        .set(v.session.auth);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 0, unavailableHospitalIds: [apt.hospitalId] });
    } finally {
      await sim().put(`/__sim/hospitals/${apt.hospitalCode}/answer-fault`, {});
    }
  });

  it('erasing a patient removes our bill ids, and the bill is then not found', async () => {
    const v = await visitor();
    const apt = await checkedIn(v);
    const list = await p.api
      .get('/api/v1/bills')
      .query({ patientId: v.patientId, hospitalId: apt.hospitalId })
      .set(v.session.auth);
    const billId = list.body.items[0].bills[0].id;
    expect((await p.api.delete(`/api/v1/patients/${v.patientId}`).set(v.session.auth)).status).toBe(204);
    const left = await p.db.sql.all('SELECT id FROM bills WHERE patient_id = ?', [v.patientId]);
    expect(left).toEqual([]);
    expect((await p.api.get(`/api/v1/bills/${billId}`).set(v.session.auth)).status).toBe(404);
  });

  it('validates the query (422) and needs the patient id', async () => {
    const v = await visitor();
    const res = await p.api.get('/api/v1/bills').query({ from: '12/01' }).set(v.session.auth);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });
});

describe('ownership: another user gets 404 on every visit route', () => {
  it('appointments (check-in window, check-in, queue) and bills (list, detail)', async () => {
    const owner = await visitor();
    const apt = await checkedIn(owner);
    const bills = await p.api
      .get('/api/v1/bills')
      .query({ patientId: owner.patientId, hospitalId: apt.hospitalId })
      .set(owner.session.auth);
    const billId = bills.body.items[0].bills[0].id;
    const other = await visitor();
    const s = other.session;
    const answers = await Promise.all([
      p.api.get(`/api/v1/appointments/${apt.id}/check-in`).set(s.auth),
      p.api.post(`/api/v1/appointments/${apt.id}/check-in`).set(s.auth),
      p.api.get(`/api/v1/appointments/${apt.id}/queue`).set(s.auth),
      p.api.get('/api/v1/bills').query({ patientId: owner.patientId }).set(s.auth),
      p.api.get(`/api/v1/bills/${billId}`).set(s.auth),
    ]);
    expect(answers.map((r) => r.status)).toEqual([404, 404, 404, 404, 404]);
    expect(answers.every((r) => r.body.error.code === 'NOT_FOUND')).toBe(true);
    // Signed out: 401.
    expect((await p.api.get(`/api/v1/appointments/${apt.id}/queue`)).status).toBe(401);
  });
});
