/**
 * `npm run bench:booking [-- --pg]`: a release-time rush against the real
 * server. Starts the simulators, a fresh database (SQLite, or PostgreSQL with
 * --pg) and the server in a child process; seeds verified patients with
 * tokens and open slots; measures a bare Koa JSON route as the baseline in the
 * same run; then drives 100 concurrent clients, each request an authenticated
 * booking by a distinct patient. Prints figures, then one JSON line per scenario.
 */
import { createSigner } from 'fast-jwt';
import { QueryTypes } from 'sequelize';
import { loadConfig } from '../server/src/config';
import { prepareDb } from '../server/src/db/setup';
import { seedDemoData } from '../server/src/db/seed/demo';
import { HttpHisClient } from '../server/src/his';
import { newId } from '../server/src/lib/ids';
import { shanghaiDate } from '../server/src/lib/time';
import { Slot } from '../server/src/modules/booking/models';
import { addDays, at } from '../server/src/modules/booking/rules';
import { Doctor, Hospital } from '../server/src/modules/hospitals/models';
import { syncHospitalCatalog } from '../server/src/modules/hospitals/sync';
import { PiiCipher } from '../server/src/privacy/cipher';
import { createTestDatabase } from '../test/support/platform';
import { seedVerifiedPatients } from './bench-seed';
import {
  CONNECTIONS,
  baseline,
  cpuMs,
  freePort,
  rssMb,
  startChild,
  stop,
  timedRun,
  waitForStartupSync,
  waitReady,
  benchSimulators,
} from './bench-support';

const usePg = process.argv.includes('--pg');

const SCENARIOS = [
  { name: 'contended', slots: 5, capacity: 20, requests: 4000 },
  { name: 'spread', slots: 400, capacity: 30, requests: 10000 },
];

async function main() {
  const config = loadConfig({ NODE_ENV: 'test' });
  const cipher = new PiiCipher(config.pii);
  const sign = createSigner({ key: config.auth.jwtSecret, iss: 'yilian', expiresIn: 2 * 3_600_000 });
  const sims = await benchSimulators(config);
  const database = await createTestDatabase(usePg ? 'postgres' : 'default');
  const db = await prepareDb(database.url);
  await seedDemoData({ hisBaseUrl: sims.his.url, signingSeed: config.demoHisSecret, cipher });
  const hospital = (await Hospital.findOne({ order: [['code', 'ASC']] }))!;
  await syncHospitalCatalog(
    {
      db,
      cipher,
      his: new HttpHisClient({ timeoutMs: 3000, readRetries: 1, breakerFailures: 5, breakerCooldownMs: 1000 }),
    },
    hospital,
  );
  await hospital.update({ slotsSyncedAt: new Date() }); // slots below are the pool; no HIS sync during the run
  const doctors = await Doctor.findAll({ where: { hospitalId: hospital.id } });

  const totalPatients = SCENARIOS.reduce((n, s) => n + s.requests, 0);
  console.log(`seeding ${totalPatients} verified patients with tokens (${usePg ? 'PostgreSQL' : 'SQLite'})...`);
  const seeded = await seedVerifiedPatients(db, cipher, {
    count: totalPatients,
    policyVersion: config.privacyPolicyVersion,
    phoneBase: 100000000,
    name: '压测',
  });
  const tokens = seeded.map((x) => ({ token: sign({ sid: x.sessionId, sub: x.userId }), patientId: x.patientId }));

  const date = addDays(shanghaiDate(), 2);
  const scenarioSlots = new Map<string, string[]>();
  let minute = 0;
  for (const s of SCENARIOS) {
    const rows = Array.from({ length: s.slots }, (_, i) => {
      const doc = doctors[i % doctors.length];
      const startAt = at(date, '08:00');
      startAt.setUTCMinutes(startAt.getUTCMinutes() + (minute++ % 480));
      return {
        id: newId('slt'),
        hospitalId: hospital.id,
        departmentId: doc.departmentId,
        doctorId: doc.id,
        hisCode: `BENCH-${s.name}-${i}`,
        date,
        period: 'am' as const,
        startAt,
        endAt: new Date(startAt.getTime() + 30 * 60_000),
        level: 'normal' as const,
        feeFen: 1500,
        capacity: s.capacity,
      };
    });
    await db.write((transaction) => Slot.bulkCreate(rows, { transaction }));
    scenarioSlots.set(
      s.name,
      rows.map((r) => r.id),
    );
  }
  await db.close();

  console.log('measuring the baseline (bare Koa JSON route)...');
  const baselinePerSec = await baseline();
  console.log(`baseline: ${baselinePerSec.toFixed(0)} req/s`);

  const port = await freePort();
  // e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server under load.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const server = startChild([...nodeArgs, '--import', 'tsx', 'server/src/main.ts'], {
    NODE_ENV: 'test',
    PORT: String(port),
    DATABASE_URL: database.url,
    SIMULATORS: 'off',
    DEMO_DATA: 'off',
    LOG_LEVEL: 'error',
    OUTBOX_INTERVAL_MS: '600000',
    CATALOG_TTL_MIN: '10080',
    SLOT_TTL_SEC: '86400',
    RATE_BOOKING_PER_ACCOUNT_PER_MINUTE: '1000',
    RATE_BOOKING_PER_IP_PER_MINUTE: '10000000',
    WECHAT_API_BASE_URL: sims.wechat.url,
    SMS_API_BASE_URL: sims.sms.url,
    IDENTITY_API_BASE_URL: sims.identity.url,
  });
  const url = `http://127.0.0.1:${port}`;
  const startedAt = new Date();
  await waitReady(url);
  await waitForStartupSync(database.url, startedAt);

  const lines: object[] = [];
  let offset = 0;
  for (const s of SCENARIOS) {
    const slotIds = scenarioSlots.get(s.name)!;
    const mine = tokens.slice(offset, offset + s.requests);
    offset += s.requests;
    let next = 0;
    let peak = 0;
    const cpuBefore = cpuMs(server.pid!);
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(server.pid!))), 100);
    const { result, seconds } = await timedRun({
      url,
      connections: CONNECTIONS,
      amount: s.requests,
      timeout: 30,
      requests: [
        {
          method: 'POST',
          path: '/api/v1/appointments',
          setupRequest: (req) => {
            const i = next++;
            const who = mine[i % mine.length];
            return {
              ...req,
              headers: {
                'content-type': 'application/json',
                authorization: `Bearer ${who.token}`,
                'idempotency-key': `bench-${s.name}-${i}`,
              },
              body: JSON.stringify({ slotId: slotIds[i % slotIds.length], patientId: who.patientId }),
            };
          },
        },
      ],
    });
    clearInterval(sampler);
    peak = Math.max(peak, rssMb(server.pid!));
    const serverCpuMsPerRequest = (cpuMs(server.pid!) - cpuBefore) / result.requests.total;

    const check = await prepareDb(database.url);
    const [over] = await check.sequelize.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM slots s WHERE s.booked > s.capacity
         OR (SELECT COUNT(*) FROM appointments a WHERE a.slot_id = s.id AND a.status IN ('booked','checked_in')) > s.capacity`,
      { type: QueryTypes.SELECT },
    );
    const [dups] = await check.sequelize.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM (SELECT patient_id FROM appointments WHERE status IN ('booked','checked_in')
         GROUP BY patient_id, doctor_id, date HAVING COUNT(*) > 1) d`,
      { type: QueryTypes.SELECT },
    );
    const [booked] = await check.sequelize.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM appointments WHERE slot_id IN (:ids)`,
      { type: QueryTypes.SELECT, replacements: { ids: slotIds } },
    );
    await check.close();

    const requestsPerSec = result.requests.total / seconds;
    const line = {
      scenario: s.name,
      db: usePg ? 'postgres' : 'sqlite',
      bookingsPerSec: Math.round(requestsPerSec),
      baselinePerSec: Math.round(baselinePerSec),
      ratio: Number((requestsPerSec / baselinePerSec).toFixed(3)),
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      peakRssMb: Math.round(peak),
      serverCpuMsPerRequest: Number(serverCpuMsPerRequest.toFixed(3)),
      overbookedSlots: Number(over.n),
      duplicateBookings: Number(dups.n),
      seatsSold: Number(booked.n),
      seats: s.slots * s.capacity,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
    };
    console.log(
      `${s.name}: ${result.requests.total} booking requests in ${seconds.toFixed(1)} s = ${requestsPerSec.toFixed(0)}/s ` +
        `(${((100 * requestsPerSec) / baselinePerSec).toFixed(1)}% of baseline), p50 ${result.latency.p50} ms, ` +
        `p99 ${result.latency.p99} ms, peak RSS ${peak.toFixed(0)} MB, seats sold ${booked.n}/${s.slots * s.capacity}, ` +
        `overbooked slots ${over.n}, duplicate bookings ${dups.n}, non-2xx ${result.non2xx}`,
    );
    lines.push(line);
  }

  await stop(server);
  await sims.close();
  await database.drop();
  for (const line of lines) console.log(JSON.stringify(line));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
