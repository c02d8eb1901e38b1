/**
 * `npm run bench:notify`: a 停诊 that cancels 2,000 appointments, delivered
 * through the simulators by the real server (a child process: dispatcher and
 * outbox worker). Scenario `steady`: time until the SMS simulator holds
 * 2,000 messages. Scenario `crash`: the server is killed (SIGKILL) halfway
 * and started again: still exactly 2,000. Prints figures, then one JSON line
 * per scenario. Target: 2,000 within 30 s on SQLite, exactly 2,000.
 */
import type { ChildProcess } from 'node:child_process';
import axios from 'axios';
import { loadConfig } from '../server/src/config';
import { prepareDb } from '../server/src/db/setup';
import { seedDemoData } from '../server/src/db/seed/demo';
import { HttpHisClient } from '../server/src/his';
import { newId } from '../server/src/lib/ids';
import { shanghaiClock, shanghaiDate } from '../server/src/lib/time';
import { Appointment, Slot } from '../server/src/modules/booking/models';
import { addDays, at } from '../server/src/modules/booking/rules';
import { Seats } from '../server/src/modules/booking/seat';
import { stopSlots } from '../server/src/modules/booking/stop';
import { Doctor, Hospital } from '../server/src/modules/hospitals/models';
import { syncHospitalCatalog } from '../server/src/modules/hospitals/sync';
import { PiiCipher } from '../server/src/privacy/cipher';
import { createTestDatabase } from '../test/support/platform';
import { seedVerifiedPatients } from './bench-seed';
import { benchSimulators, freePort, sleep, startChild } from './bench-support';

const N = Number(process.env.BENCH_NOTIFY_N ?? 2000);
const SLOTS = 50;

async function main() {
  const config = loadConfig({ NODE_ENV: 'test' });
  const cipher = new PiiCipher(config.pii);
  const sims = await benchSimulators(config);
  const smsCount = async () => (await axios.get(`${sims.sms.url}/__sim/messages`)).data.items.length as number;
  const lines: object[] = [];

  for (const scenario of ['steady', 'crash'] as const) {
    await axios.post(`${sims.sms.url}/__sim/reset`);
    const database = await createTestDatabase('default');
    const db = await prepareDb(database.url);
    await seedDemoData({ hisBaseUrl: sims.his.url, signingSeed: config.demoHisSecret, cipher });
    const hospital = (await Hospital.findOne({ order: [['code', 'ASC']] }))!;
    const his = new HttpHisClient({ timeoutMs: 3000, readRetries: 1, breakerFailures: 5, breakerCooldownMs: 1000 });
    await syncHospitalCatalog({ db, his, cipher }, hospital);
    await hospital.update({ slotsSyncedAt: new Date() });
    const doctor = (await Doctor.findOne({ where: { hospitalId: hospital.id } }))!;

    // 2,000 booked patients (phone accounts, confirmed at the hospital) over one doctor's day.
    const date = addDays(shanghaiDate(), 3);
    const slots = Array.from({ length: SLOTS }, (_, i) => {
      const startAt = at(date, '08:00');
      startAt.setUTCMinutes(startAt.getUTCMinutes() + i * 5);
      return {
        id: newId('slt'),
        hospitalId: hospital.id,
        departmentId: doctor.departmentId,
        doctorId: doctor.id,
        hisCode: `BENCH-${i}`,
        date,
        period: 'am' as const,
        startAt,
        endAt: new Date(startAt.getTime() + 5 * 60_000),
        level: 'normal' as const,
        feeFen: 1500,
        capacity: Math.ceil(N / SLOTS),
        booked: Math.ceil(N / SLOTS),
      };
    });
    await db.write((transaction) => Slot.bulkCreate(slots, { transaction }));
    const crowd = await seedVerifiedPatients(db, cipher, {
      count: N,
      policyVersion: config.privacyPolicyVersion,
      phoneBase: 700000000,
      name: '张三丰',
    });
    const appointments = crowd.map((x, i) => ({
      id: newId('apt'),
      userId: x.userId,
      patientId: x.patientId,
      slotId: slots[i % SLOTS].id,
      doctorId: doctor.id,
      hospitalId: hospital.id,
      date,
      status: 'booked' as const,
      bookingCode: newId('c', 8).slice(2).toUpperCase(),
      feeFen: 1500,
      hisStatus: 'confirmed' as const,
      hisBookingId: `HB-BENCH-${i}`,
    }));
    await db.write((transaction) => Appointment.bulkCreate(appointments, { transaction }));

    const port = await freePort();
    const away = (h: number) => shanghaiClock(new Date(Date.now() + h * 3600_000));
    const start = () =>
      startChild(['--import', 'tsx', 'server/src/main.ts'], {
        NODE_ENV: 'test',
        PORT: String(port),
        DATABASE_URL: database.url,
        SIMULATORS: 'off',
        DEMO_DATA: 'off',
        LOG_LEVEL: 'error',
        CATALOG_TTL_MIN: '10080',
        OUTBOX_INTERVAL_MS: '100',
        NOTIFY_INTERVAL_MS: '100',
        NOTIFY_QUIET_HOURS: `${away(8)}-${away(10)}`,
        WECHAT_API_BASE_URL: sims.wechat.url,
        SMS_API_BASE_URL: sims.sms.url,
        SMS_API_KEY: 'bench-sms',
        IDENTITY_API_BASE_URL: sims.identity.url,
        VOICE_API_BASE_URL: sims.voice.url,
      });
    let server: ChildProcess = start();
    await sleep(3000); // started and idle

    // The hospital stops the doctor's day: one transaction cancels every appointment and writes one event each.
    const startedAt = performance.now();
    const { cancelled } = await db.writeSql((sql) =>
      stopSlots(
        sql,
        new Seats({ policyVersion: config.privacyPolicyVersion }),
        slots.map((s) => s.id),
        '医生参加紧急会诊',
      ),
    );
    let killedAt: number | null = null;
    for (;;) {
      const n = await smsCount();
      if (scenario === 'crash' && killedAt === null && n >= N / 2) {
        server.kill('SIGKILL');
        await new Promise((r) => server.once('exit', r));
        killedAt = n;
        server = start();
      }
      if (n >= N || performance.now() - startedAt > 120_000) break;
      await sleep(100);
    }
    const seconds = (performance.now() - startedAt) / 1000;
    await sleep(2000); // anything more that would arrive (a duplicate) arrives now
    const sent = await smsCount();
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    const [dup] = (await db.sql.all<{ n: number | string }>(
      "SELECT COUNT(*) AS n FROM notification_deliveries WHERE channel = 'sms' AND status = 'sent'",
    )) as Array<{ n: number | string }>;
    await db.close();
    await database.drop();

    const line = {
      scenario,
      db: 'sqlite',
      cancelled,
      smsAtSimulator: sent,
      deliveriesRecorded: Number(dup.n),
      exact: sent === N && Number(dup.n) === N,
      seconds: Number(seconds.toFixed(1)),
      perSec: Math.round(N / seconds),
      killedAfter: killedAt,
      targetSeconds: 30,
    };
    console.log(
      `${scenario}: ${cancelled} appointments cancelled by 停诊; ${sent} SMS at the simulator after ${seconds.toFixed(1)} s ` +
        `(${line.perSec}/s)${killedAt !== null ? `, server killed after ${killedAt} and restarted` : ''}; exact: ${line.exact}`,
    );
    lines.push(line);
  }
  await sims.close();
  for (const line of lines) console.log(JSON.stringify(line));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
