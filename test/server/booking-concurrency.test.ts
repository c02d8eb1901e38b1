import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import supertest from 'supertest';
import { Op } from 'sequelize';
import type { Db } from '../../server/src/db';
import { Appointment, BookingRule, Slot } from '../../server/src/modules/booking/models';
import { DEFAULT_RULES } from '../../server/src/modules/booking/rules';
import { takeBatch } from '../../server/src/modules/booking/seat-writes';
import { BatchWriter } from '../../server/src/modules/booking/writer';
import { accountWithPatients, book, openSlots } from '../support/booking';
import {
  TEST_IDENTITY_KEY,
  TEST_SMS_KEY,
  TEST_WECHAT,
  startTestPlatform,
  type TestPlatform,
} from '../support/platform';
import { describeWith } from '../support/services';

/**
 * Release-time rush: many bookings at once for a few seats. The counts must
 * be exact: never more bookings than capacity, never two active bookings of
 * one patient with one doctor on one day.
 */
async function patients(p: TestPlatform, n: number) {
  const out: Array<{ session: Awaited<ReturnType<typeof accountWithPatients>>['session']; patientId: string }> = [];
  while (out.length < n) {
    const { session, patientIds } = await accountWithPatients(p, Math.min(5, n - out.length));
    for (const patientId of patientIds) out.push({ session, patientId });
  }
  return out;
}

async function assertExact(slotId: string, capacity: number) {
  const slot = (await Slot.findByPk(slotId))!;
  const active = await Appointment.count({ where: { slotId, status: ['booked', 'checked_in'] } });
  expect(slot.booked).toBe(capacity);
  expect(active).toBe(capacity);
}

describe('concurrent bookings in one process', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform({ env: { RATE_BOOKING_PER_ACCOUNT_PER_MINUTE: '1000' } });
  });
  afterAll(() => p.close());

  it('sells exactly the capacity of a slot to 60 patients tapping at once', async () => {
    const [slot] = await openSlots(p, 2);
    await Slot.update({ capacity: 7, booked: 0 }, { where: { id: slot.id } });
    const crowd = await patients(p, 60);
    const results = await Promise.all(crowd.map((c) => book(p, c.session, slot.id, c.patientId)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(7);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'SLOT_FULL')).toBe(true);
    expect(statuses.filter((s) => s !== 201 && s !== 409)).toEqual([]);
    await assertExact(slot.id, 7);
  });

  it('sells exactly each capacity when a crowd books several slots at once', async () => {
    const slots = (await openSlots(p, 8)).slice(0, 3);
    await Slot.update({ capacity: 4, booked: 0 }, { where: { id: slots.map((s) => s.id) } });
    const crowd = await patients(p, 36);
    const results = await Promise.all(crowd.map((c, i) => book(p, c.session, slots[i % 3].id, c.patientId)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(12);
    expect(results.filter((r) => r.status !== 201).every((r) => r.body.error.code === 'SLOT_FULL')).toBe(true);
    for (const slot of slots) await assertExact(slot.id, 4);
  });

  it('takes a batch in rounds: requests sharing a key wait, the rest take their seats together', async () => {
    const slots = (await openSlots(p, 9)).filter((s, i, all) => all.findIndex((o) => o.doctorId === s.doctorId) === i);
    const [s1, s2, s3] = slots;
    await Slot.update({ capacity: 2, booked: 0 }, { where: { id: [s1.id, s2.id, s3.id] } });
    const rows = new Map((await Slot.findAll({ where: { id: [s1.id, s2.id, s3.id] } })).map((r) => [r.id, r]));
    const { session: a, patientIds: aPatients } = await accountWithPatients(p, 2);
    const others = await Promise.all(
      [0, 1, 2, 3].map(async () => {
        const { session, patientIds } = await accountWithPatients(p, 1);
        return { session, patientId: patientIds[0] };
      }),
    );
    const request = (userId: string, patientId: string, slotId: string, key: string) => {
      const r = rows.get(slotId)!;
      return {
        userId,
        patientId,
        slot: { id: r.id, doctorId: r.doctorId, hospitalId: r.hospitalId, date: r.date, feeFen: r.feeFen },
        rules: { ...DEFAULT_RULES },
        key: { idempotencyKey: key, hash: 'h' },
      };
    };
    const requests = [
      request(a.userId, aPatients[0], s1.id, 'a1'),
      request(others[0].session.userId, others[0].patientId, s1.id, 'b1'),
      request(others[1].session.userId, others[1].patientId, s1.id, 'c1'), // third for two seats
      request(a.userId, aPatients[1], s2.id, 'a2'), // same account as the first: next round
      request(others[2].session.userId, others[2].patientId, s2.id, 'd1'),
      request(others[3].session.userId, others[3].patientId, s3.id, 'e1'),
      request(a.userId, aPatients[0], s3.id, 'a1'), // the first one's key again
    ];
    const outcomes = await p.db.writeSql((sql) => takeBatch(sql, requests));
    const codes = outcomes.map((o) => (o.ok ? 'ok' : (o.error as { code: string }).code));
    // Three take s1's two seats in one round on SQLite, in whichever order the driver runs them.
    expect([...codes.slice(0, 3)].sort()).toEqual(['SLOT_FULL', 'ok', 'ok']);
    expect(codes.slice(3, 6)).toEqual(['ok', 'ok', 'ok']);
    // The first one's key again: a duplicate when the first took its seat, else free to book.
    expect(codes[6]).toBe(codes[0] === 'ok' ? 'DUPLICATE_BOOKING' : 'ok');
    for (const [slot, n] of [
      [s1, 2],
      [s2, 2],
      [s3, codes[0] === 'ok' ? 1 : 2],
    ] as const) {
      expect((await Slot.findByPk(slot.id))!.booked).toBe(n);
      expect(await Appointment.count({ where: { slotId: slot.id, status: 'booked' } })).toBe(n);
    }
  });

  it('books one patient once per doctor and day, however many requests race', async () => {
    const slots = await openSlots(p, 3);
    const first = slots[0];
    const sameDay = slots.filter((s) => s.doctorId === first.doctorId && s.date === first.date);
    const [{ session, patientId }] = await patients(p, 1);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => book(p, session, sameDay[i % sameDay.length].id, patientId)),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(
      Array(19).fill('DUPLICATE_BOOKING'),
    );
    const active = await Appointment.count({
      where: { patientId, doctorId: first.doctorId, date: first.date, status: { [Op.in]: ['booked', 'checked_in'] } },
    });
    expect(active).toBe(1);
  });

  it('answers racing requests with one Idempotency-Key with one booking', async () => {
    const [slot] = await openSlots(p, 4);
    const [{ session, patientId }] = await patients(p, 1);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => book(p, session, slot.id, patientId, 'same-key-for-all')),
    );
    expect(results.map((r) => r.status).every((s) => s === 201)).toBe(true);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await Appointment.count({ where: { patientId, idempotencyKey: 'same-key-for-all' } })).toBe(1);
  });

  it('keeps an account within its active limit when its bookings race', async () => {
    const slots = await openSlots(p, 6);
    const oneEach = [...new Map(slots.map((s) => [s.doctorId, s])).values()].slice(0, 5);
    expect(oneEach).toHaveLength(5);
    const hospitalId = (await Slot.findByPk(oneEach[0].id))!.hospitalId;
    await BookingRule.upsert({ hospitalId, ...DEFAULT_RULES, maxActive: 2 });
    const { session, patientIds } = await accountWithPatients(p, 5);
    const results = await Promise.all(oneEach.map((slot, i) => book(p, session, slot.id, patientIds[i])));
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(
      Array(3).fill('TOO_MANY_ACTIVE'),
    );
    expect(await Appointment.count({ where: { patientId: patientIds, status: 'booked' } })).toBe(2);
  });

  it('retries each booking alone when a whole batch fails, losing none and booking none twice', async () => {
    const [slot] = await openSlots(p, 7);
    await Slot.update({ capacity: 10, booked: 0 }, { where: { id: slot.id } });
    const row = (await Slot.findByPk(slot.id))!;
    const crowd = await patients(p, 4);
    // A batch of several bookings fails once, as when a unique index sees a race with another process.
    let failed = 0;
    const flaky: Db = {
      ...p.db,
      writeSql: (fn) =>
        p.db.writeSql(async (sql) => {
          const value = await fn(sql);
          if ((value as unknown[]).length > 1 && !failed++) throw new Error('simulated commit failure');
          return value;
        }),
    };
    const writer = new BatchWriter(flaky);
    const rules = { ...DEFAULT_RULES };
    const seats = await Promise.all(
      crowd.map((c, i) =>
        writer.submit({
          userId: c.session.userId,
          patientId: c.patientId,
          slot: { id: row.id, doctorId: row.doctorId, hospitalId: row.hospitalId, date: row.date, feeFen: row.feeFen },
          rules,
          key: { idempotencyKey: `writer-retry-${i}`, hash: 'h' },
        }),
      ),
    );
    expect(failed).toBe(1);
    expect(new Set(seats.map((s) => s.id)).size).toBe(4);
    expect(await Appointment.count({ where: { slotId: row.id, status: 'booked' } })).toBe(4);
    expect((await Slot.findByPk(row.id))!.booked).toBe(4);
  });

  it('frees a seat once when cancellations of one booking race', async () => {
    const [slot] = await openSlots(p, 5);
    const [{ session, patientId }] = await patients(p, 1);
    const booked = await book(p, session, slot.id, patientId);
    expect(booked.status).toBe(201);
    const before = (await Slot.findByPk(slot.id))!.booked;
    const results = await Promise.all(
      Array.from({ length: 8 }, () => p.api.post(`/api/v1/appointments/${booked.body.id}/cancel`).set(session.auth)),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(
      Array(7).fill('NOT_CANCELLABLE'),
    );
    expect((await Slot.findByPk(slot.id))!.booked).toBe(before - 1);
  });
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });

describeWith('postgres')('two server processes sharing one PostgreSQL database', () => {
  let p: TestPlatform;
  let child: ChildProcess;
  let other: ReturnType<typeof supertest>;

  beforeAll(async () => {
    p = await startTestPlatform({ database: 'postgres', env: { RATE_BOOKING_PER_ACCOUNT_PER_MINUTE: '1000' } });
    const port = await freePort();
    child = spawn(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, '../../server/src/main.ts')], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PORT: String(port),
        DATABASE_URL: p.databaseUrl,
        SIMULATORS: 'off',
        DEMO_DATA: 'off',
        LOG_LEVEL: 'warn',
        OUTBOX_INTERVAL_MS: '600000',
        RATE_BOOKING_PER_ACCOUNT_PER_MINUTE: '1000',
        WECHAT_API_BASE_URL: p.sims.wechat.url,
        WECHAT_APPID: TEST_WECHAT.appId,
        WECHAT_SECRET: TEST_WECHAT.secret,
        SMS_API_BASE_URL: p.sims.sms.url,
        SMS_API_KEY: TEST_SMS_KEY,
        IDENTITY_API_BASE_URL: p.sims.identity.url,
        IDENTITY_API_KEY: TEST_IDENTITY_KEY,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    other = supertest(`http://127.0.0.1:${port}`);
    for (let i = 0; i < 100; i++) {
      const ok = await other.get('/readyz').then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('second server did not start');
  }, 60_000);

  afterAll(async () => {
    child?.kill('SIGTERM');
    await new Promise((r) => child?.once('exit', r));
    await p.close();
  });

  it('sells exactly the capacity when bookings arrive through both processes', async () => {
    const [slot] = await openSlots(p, 4);
    await Slot.update({ capacity: 9, booked: 0 }, { where: { id: slot.id } });
    const crowd = await patients(p, 50);
    const results = await Promise.all(
      crowd.map((c, i) => {
        const via = i % 2 === 0 ? p.api : other;
        return via
          .post('/api/v1/appointments')
          .set(c.session.auth)
          .set('Idempotency-Key', `two-proc-${i}-${Date.now()}`)
          .send({ slotId: slot.id, patientId: c.patientId });
      }),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(9);
    expect(results.filter((r) => r.status !== 201).map((r) => r.body.error?.code)).toEqual(Array(41).fill('SLOT_FULL'));
    await assertExact(slot.id, 9);
  });

  it('keeps an account within its active limit when its bookings arrive through both processes at once', async () => {
    const slots = (await openSlots(p, 6)).filter((s, i, all) => all.findIndex((o) => o.doctorId === s.doctorId) === i);
    const hospitalId = (await Slot.findByPk(slots[0].id))!.hospitalId;
    const mine = slots.slice(0, 10);
    expect(mine.length).toBeGreaterThanOrEqual(6);
    await BookingRule.upsert({ hospitalId, ...DEFAULT_RULES, maxActive: 3 });
    try {
      const { session, patientIds } = await accountWithPatients(p, 5);
      // Up to 10 bookings of one account for as many doctors, half through each process, all at once.
      const results = await Promise.all(
        mine.map((slot, i) =>
          (i % 2 === 0 ? p.api : other)
            .post('/api/v1/appointments')
            .set(session.auth)
            .set('Idempotency-Key', `limit-${i}-${Date.now()}`)
            .send({ slotId: slot.id, patientId: patientIds[i % 5] }),
        ),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(3);
      expect(new Set(results.filter((r) => r.status !== 201).map((r) => r.body.error?.code))).toEqual(
        new Set(['TOO_MANY_ACTIVE']),
      );
      expect(await Appointment.count({ where: { userId: session.userId, status: 'booked' } })).toBe(3);
    } finally {
      await BookingRule.destroy({ where: { hospitalId } });
    }
  });
});
