/**
 * `npm run bench:visit [-- --pg]`: queue status (排队叫号) against the real
 * server (issue 13's target). Starts the simulators, a fresh database (SQLite,
 * or PostgreSQL with --pg) and the server in a child process with its default
 * QUEUE_REFRESH_MS; seeds 1,000 verified patients, each checked in today with
 * a number in one of 20 clinic rooms; measures a bare Koa JSON route as the
 * baseline in the same run. Then:
 * - watchers: the 1,000 patients each poll their own queue status, thinking
 *   ~1 s between polls, for 20 s; the HIS simulator counts its queue reads per
 *   room, which must stay at one per room per refresh interval;
 * - saturating: 100 clients back to back on queue status (throughput, as a
 *   share of the bare route).
 * Prints figures, then one JSON line per scenario.
 */
import os from 'node:os';
import axios from 'axios';
import { createSigner } from 'fast-jwt';
import { loadConfig } from '../server/src/config';
import { prepareDb } from '../server/src/db/setup';
import { insertRows } from '../server/src/db/sql';
import { seedDemoData } from '../server/src/db/seed/demo';
import { newId } from '../server/src/lib/ids';
import { shanghaiDate } from '../server/src/lib/time';
import { PiiCipher } from '../server/src/privacy/cipher';
import { createTestDatabase } from '../test/support/platform';
import { seedVerifiedPatients } from './bench-seed';
import {
  CONNECTIONS,
  baseline,
  benchSimulators,
  freePort,
  startChild,
  stop,
  thinkingClients,
  timedRun,
  waitForStartupSync,
  waitReady,
} from './bench-support';

const usePg = process.argv.includes('--pg');
const PATIENTS = 1000;
const ROOMS = 20;
const WATCH_SECONDS = 20;
const THINK_MS = 1000;

async function main() {
  const config = loadConfig({ NODE_ENV: 'test' });
  const refreshMs = config.visit.queueRefreshMs;
  const cipher = new PiiCipher(config.pii);
  const sign = createSigner({ key: config.auth.jwtSecret, iss: 'yilian', expiresIn: 2 * 3_600_000 });
  const sims = await benchSimulators(config);
  const his = axios.create({ baseURL: sims.his.url });

  const database = await createTestDatabase(usePg ? 'postgres' : 'default');
  let db = await prepareDb(database.url);
  await seedDemoData({ hisBaseUrl: sims.his.url, signingSeed: config.demoHisSecret, cipher });
  console.log(`seeding ${PATIENTS} verified patients with tokens (${usePg ? 'PostgreSQL' : 'SQLite'})...`);
  const patients = await seedVerifiedPatients(db, cipher, {
    count: PATIENTS,
    policyVersion: config.privacyPolicyVersion,
    phoneBase: 300000000,
    name: '李秀英',
  });
  await db.close();

  console.log('measuring the baseline (bare Koa JSON route)...');
  const baselinePerSec = await baseline();
  console.log(`baseline: ${baselinePerSec.toFixed(0)} req/s`);

  const port = await freePort();
  const server = startChild(['--import', 'tsx', 'server/src/main.ts'], {
    NODE_ENV: 'test',
    PORT: String(port),
    DATABASE_URL: database.url,
    SIMULATORS: 'off',
    DEMO_DATA: 'off',
    LOG_LEVEL: 'error',
    OUTBOX_INTERVAL_MS: '600000',
    NOTIFY_INTERVAL_MS: '600000',
    CATALOG_TTL_MIN: '10080',
    RATE_READ_PER_IP_PER_MINUTE: '10000000',
    WECHAT_API_BASE_URL: sims.wechat.url,
    SMS_API_BASE_URL: sims.sms.url,
    IDENTITY_API_BASE_URL: sims.identity.url,
  });
  const url = `http://127.0.0.1:${port}`;
  const startedAt = new Date();
  await waitReady(url);
  await waitForStartupSync(database.url, startedAt);

  // Twenty doctors of one hospital, one room each; every patient checked in today in one of them.
  db = await prepareDb(database.url);
  const doctors = await db.sql.all<{ id: string; hospitalId: string; departmentId: string; hisCode: string }>(
    `SELECT d.id, d.hospital_id AS "hospitalId", d.department_id AS "departmentId", d.his_code AS "hisCode"
     FROM doctors d JOIN hospitals h ON h.id = d.hospital_id WHERE h.code = 'SH001' ORDER BY d.his_code LIMIT ?`,
    [ROOMS],
  );
  const now = new Date();
  const today = shanghaiDate(now);
  const slots = doctors.map((d) => ({ ...d, doctorId: d.id, id: newId('slt') }));
  const appointments = patients.map((p, i) => ({ id: newId('apt'), ...p, slot: slots[i % ROOMS], n: 10 + i }));
  await db.writeSql(async (sql) => {
    await insertRows(
      sql,
      'slots',
      'id hospital_id department_id doctor_id his_code date period start_at end_at level fee_fen capacity booked closed created_at updated_at'.split(
        ' ',
      ),
      slots.map((s) => [
        s.id,
        s.hospitalId,
        s.departmentId,
        s.doctorId,
        `${s.hisCode}-bench`,
        today,
        'am',
        now,
        new Date(now.getTime() + 1_800_000),
        'normal',
        1500,
        100,
        50,
        false,
        now,
        now,
      ]),
    );
  });
  await db.writeSql(async (sql) => {
    await insertRows(
      sql,
      'appointments',
      'id user_id patient_id slot_id doctor_id hospital_id date status booking_code fee_fen his_status his_booking_id checked_in_at queue_number queue_room_code queue_room_name created_at updated_at'.split(
        ' ',
      ),
      appointments.map((a) => [
        a.id,
        a.userId,
        a.patientId,
        a.slot.id,
        a.slot.doctorId,
        a.slot.hospitalId,
        today,
        'checked_in',
        a.id.slice(-8).toUpperCase(),
        1500,
        'confirmed',
        `HB-${a.id}`,
        now,
        a.n,
        `R${a.slot.hisCode}`,
        '诊室',
        now,
        now,
      ]),
    );
  });
  await db.close();
  // Rooms far from anyone's turn (no 即将叫号 writes in the measured runs), moving at real time.
  for (const s of slots) await his.put(`/__sim/hospitals/SH001/queues/R${s.hisCode}`, { calling: 1 });

  const token = (p: { sessionId: string; userId: string }) => sign({ sid: p.sessionId, sub: p.userId });
  const headers = appointments.map((a) => ({ authorization: `Bearer ${token(a)}` }));
  const queuePath = (i: number) => ({
    path: `/api/v1/appointments/${appointments[i % PATIENTS].id}/queue`,
    headers: headers[i % PATIENTS],
  });
  const lines: object[] = [];

  // Warm-up: every patient looks once (a running server has its connections, caches and JIT warm).
  for (let k = 0; k < PATIENTS; k += 50)
    await Promise.all(
      Array.from({ length: 50 }, async (_, j) => {
        const { path, headers: h } = queuePath(k + j);
        const res = await fetch(url + path, { headers: h });
        if (res.status !== 200) throw new Error(`warm-up: queue status answered ${res.status}`);
        await res.arrayBuffer();
      }),
    );

  // Watchers: everyone polls their own queue; the simulator counts the HIS reads per room.
  await his.delete('/__sim/queue-reads');
  const watched = await thinkingClients(url, PATIENTS, THINK_MS, WATCH_SECONDS * 1000, queuePath, (s) => s === 200);
  const reads = (await his.get('/__sim/queue-reads')).data as { total: number; byRoom: Record<string, number> };
  const perRoom = Object.values(reads.byRoom);
  // A room read at t=0 and then once per interval: at most floor(duration / interval) + 1 reads.
  const allowed = Math.floor((WATCH_SECONDS * 1000) / refreshMs) + 1;
  const watchLine = {
    scenario: 'queue-watchers',
    db: usePg ? 'postgres' : 'sqlite',
    patients: PATIENTS,
    rooms: ROOMS,
    seconds: WATCH_SECONDS,
    refreshMs,
    requests: watched.count,
    failed: watched.failed,
    p50Ms: Math.round(watched.p50),
    p99Ms: Math.round(watched.p99),
    hisQueueReads: reads.total,
    roomsRead: perRoom.length,
    maxReadsPerRoom: Math.max(...perRoom),
    allowedReadsPerRoom: allowed,
    withinOnePerInterval: Math.max(...perRoom) <= allowed,
  };
  console.log(
    `queue-watchers: ${watched.count} polls from ${PATIENTS} patients in ${WATCH_SECONDS} s, p50 ${watchLine.p50Ms} ms, ` +
      `p99 ${watchLine.p99Ms} ms, failed ${watched.failed}; HIS queue reads ${reads.total} over ${perRoom.length} rooms ` +
      `(max ${watchLine.maxReadsPerRoom} per room, allowed ${allowed} at one per ${refreshMs} ms)`,
  );
  lines.push(watchLine);

  // Saturating: 100 clients back to back, on queue status and on the floor of any signed-in route
  // (session check, then 422 for the missing patientId, before any visit work).
  const saturate = (pathOf: (i: number) => { path: string; headers: object }) => {
    let i = 0;
    return timedRun({
      url,
      connections: CONNECTIONS,
      amount: CONNECTIONS * 100,
      requests: [
        {
          setupRequest: (req) => {
            const { path, headers: h } = pathOf(i++);
            return { ...req, path, headers: { ...req.headers, ...h } };
          },
        },
      ],
    });
  };
  const floor = await saturate((i) => ({ path: '/api/v1/bills', headers: headers[i % PATIENTS] }));
  const floorPerSec = floor.result.requests.total / floor.seconds;
  console.log(
    `signed-in floor: ${floorPerSec.toFixed(0)}/s at ${CONNECTIONS} clients, p99 ${floor.result.latency.p99} ms`,
  );
  const { result, seconds } = await saturate(queuePath);
  const perSec = result.requests.total / seconds;
  const satLine = {
    scenario: 'queue-status',
    db: usePg ? 'postgres' : 'sqlite',
    clients: CONNECTIONS,
    requests: result.requests.total,
    requestsPerSec: Math.round(perSec),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    baselinePerSec: Math.round(baselinePerSec),
    ratioToBaseline: Number((perSec / baselinePerSec).toFixed(3)),
    signedInFloorPerSec: Math.round(floorPerSec),
    signedInFloorP99Ms: floor.result.latency.p99,
  };
  console.log(
    `queue-status: ${perSec.toFixed(0)}/s at ${CONNECTIONS} clients (${(satLine.ratioToBaseline * 100).toFixed(1)}% of the bare route), ` +
      `p50 ${satLine.p50Ms} ms, p99 ${satLine.p99Ms} ms, non-2xx ${satLine.non2xx}`,
  );
  lines.push(satLine);

  await stop(server);
  await sims.close();
  await database.drop();
  const load = os.loadavg().map((n) => Number(n.toFixed(2)));
  console.log(`load average at the end: ${load.join(' ')} (${os.cpus().length} cores)`);
  for (const line of lines) console.log(JSON.stringify(line));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
