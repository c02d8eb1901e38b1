/**
 * `npm run bench:health [-- --pg]`: health measurements against the real
 * server (issue 16's targets). Starts the simulators, a fresh database
 * (SQLite, or PostgreSQL with --pg) and the server in a child process with
 * its default settings; seeds patients with tokens and, for half of them,
 * 90 days of blood pressure at 5 readings a day; measures a bare Koa JSON
 * route as the baseline in the same run. Then:
 * - writes: 100 clients back to back recording blood pressure (POST /health/records);
 * - 90-day summaries: one client at a time (the latency a patient sees), then 100 clients back to back.
 * Prints figures, then one JSON line per scenario.
 */
import { createSigner } from 'fast-jwt';
import { loadConfig } from '../server/src/config';
import { prepareDb } from '../server/src/db/setup';
import { insertRows, type SqlValue } from '../server/src/db/sql';
import { newId } from '../server/src/lib/ids';
import { PiiCipher } from '../server/src/privacy/cipher';
import { createTestDatabase } from '../test/support/platform';
import { seedVerifiedPatients } from './bench-seed';
import {
  CONNECTIONS,
  baseline,
  benchSimulators,
  freePort,
  percentile,
  rssMb,
  startChild,
  stop,
  timedRun,
  waitReady,
} from './bench-support';

const usePg = process.argv.includes('--pg');
const PATIENTS = 200;
const SECONDS = 10;
const DAYS = 90;
const PER_DAY = 5;
const SEQUENTIAL = 300;

interface Who {
  token: string;
  patientId: string;
}

async function main() {
  const config = loadConfig({ NODE_ENV: 'test' });
  const cipher = new PiiCipher(config.pii);
  const sign = createSigner({ key: config.auth.jwtSecret, iss: 'yilian', expiresIn: 2 * 3_600_000 });
  const sims = await benchSimulators(config);
  const database = await createTestDatabase(usePg ? 'postgres' : 'default');
  const db = await prepareDb(database.url);
  console.log(`seeding ${PATIENTS} patients with tokens (${usePg ? 'PostgreSQL' : 'SQLite'})...`);
  const people: Who[] = (
    await seedVerifiedPatients(db, cipher, {
      count: PATIENTS,
      policyVersion: config.privacyPolicyVersion,
      phoneBase: 300000000,
      name: '李秀英',
    })
  ).map((r) => ({ token: sign({ sid: r.sessionId, sub: r.userId }), patientId: r.patientId }));
  const writers = people.slice(0, PATIENTS / 2);
  const readers = people.slice(PATIENTS / 2);
  console.log(`seeding ${DAYS} days x ${PER_DAY} readings for ${readers.length} patients...`);
  const now = Date.now();
  for (const r of readers) {
    const rows: SqlValue[][] = [];
    for (let d = 0; d < DAYS; d++) {
      for (let k = 0; k < PER_DAY; k++) {
        const at = new Date(now - d * 86_400_000 - k * 3 * 3_600_000 - 60_000);
        const sys = 110 + ((d * 7 + k * 13) % 60);
        const dia = 70 + ((d * 5 + k * 11) % 35);
        rows.push([newId('hr'), r.patientId, 'blood_pressure', at, sys, dia, 72, null, 'normal', 'normal', null, at]);
      }
    }
    await db.writeSql((sql) =>
      insertRows(
        sql,
        'health_records',
        [
          'id',
          'patient_id',
          'type',
          'measured_at',
          'v1',
          'v2',
          'v3',
          'timing',
          'class_code',
          'level',
          'note_enc',
          'created_at',
        ],
        rows,
      ),
    );
  }
  await db.close();

  console.log('measuring the baseline (bare Koa JSON route)...');
  const baselinePerSec = await baseline();
  console.log(`baseline: ${baselinePerSec.toFixed(0)} req/s`);

  const port = await freePort();
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const server = startChild([...nodeArgs, '--import', 'tsx', 'server/src/main.ts'], {
    NODE_ENV: 'test',
    PORT: String(port),
    DATABASE_URL: database.url,
    SIMULATORS: 'off',
    DEMO_DATA: 'off',
    LOG_LEVEL: 'error',
    OUTBOX_INTERVAL_MS: '600000',
    WECHAT_API_BASE_URL: sims.wechat.url,
    SMS_API_BASE_URL: sims.sms.url,
    IDENTITY_API_BASE_URL: sims.identity.url,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url);
  const auth = (w: Who) => ({ authorization: `Bearer ${w.token}` });
  const lines: object[] = [];
  const db0 = usePg ? 'postgres' : 'sqlite';

  // Writes: each request a reading of one of 100 patients, a few minutes in the past.
  let n = 0;
  let peak = 0;
  let firstRefusal = '';
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(server.pid!))), 100);
  const { result, seconds } = await timedRun({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/health/records',
        setupRequest: (req) => {
          const w = writers[n++ % writers.length];
          const body = JSON.stringify({
            patientId: w.patientId,
            type: 'blood_pressure',
            values: { systolic: 110 + (n % 70), diastolic: 70 + (n % 30), pulse: 70 },
            measuredAt: new Date(Date.now() - 60_000).toISOString(),
          });
          return { ...req, body, headers: { ...auth(w), 'content-type': 'application/json' } };
        },
        onResponse: (status, body) => {
          if (status !== 201 && !firstRefusal) firstRefusal = `${status} ${body}`;
        },
      },
    ],
  });
  clearInterval(sampler);
  const writesPerSec = result['2xx'] / seconds;
  const writeLine = {
    scenario: 'record-measurement',
    db: db0,
    clients: `${CONNECTIONS}, back to back`,
    writesPerSec: Math.round(writesPerSec),
    target: 1500,
    baselinePerSec: Math.round(baselinePerSec),
    ratioToBaseline: Number((writesPerSec / baselinePerSec).toFixed(3)),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    peakRssMb: Math.round(peak),
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
  console.log(
    `record-measurement: ${writeLine.writesPerSec}/s at ${CONNECTIONS} clients (${(writeLine.ratioToBaseline * 100).toFixed(1)}% of baseline), ` +
      `p50 ${writeLine.p50Ms} ms, p99 ${writeLine.p99Ms} ms, non-2xx ${writeLine.non2xx}, errors ${writeLine.errors}`,
  );
  if (firstRefusal) console.log(`first refused write: ${firstRefusal}`);
  lines.push(writeLine);

  // 90-day summaries, one at a time: the latency a patient sees.
  const summaryPath = (r: Who) => `/api/v1/health/summary?patientId=${r.patientId}&type=blood_pressure&days=90`;
  const ms: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const r = readers[i % readers.length];
    const t = performance.now();
    const res = await fetch(url + summaryPath(r), { headers: auth(r) });
    const body = (await res.json()) as { count: number };
    ms.push(performance.now() - t);
    if (res.status !== 200 || body.count < DAYS * PER_DAY)
      throw new Error(`summary: ${res.status} ${JSON.stringify(body)}`);
  }
  ms.sort((a, b) => a - b);
  const seqLine = {
    scenario: 'summary-90d-sequential',
    db: db0,
    readingsPerSummary: DAYS * PER_DAY,
    summaries: SEQUENTIAL,
    p50Ms: Number(percentile(ms, 0.5).toFixed(1)),
    p99Ms: Number(percentile(ms, 0.99).toFixed(1)),
    targetP99Ms: 50,
  };
  console.log(
    `summary-90d-sequential: ${SEQUENTIAL} summaries of ${DAYS * PER_DAY} readings, p50 ${seqLine.p50Ms} ms, p99 ${seqLine.p99Ms} ms`,
  );
  lines.push(seqLine);

  let m = 0;
  const loaded = await timedRun({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => {
          const r = readers[m++ % readers.length];
          return { ...req, path: summaryPath(r), headers: auth(r) };
        },
      },
    ],
  });
  const loadLine = {
    scenario: 'summary-90d-100-clients',
    db: db0,
    clients: `${CONNECTIONS}, back to back`,
    requestsPerSec: Math.round(loaded.result['2xx'] / loaded.seconds),
    baselinePerSec: Math.round(baselinePerSec),
    ratioToBaseline: Number((loaded.result['2xx'] / loaded.seconds / baselinePerSec).toFixed(3)),
    p50Ms: loaded.result.latency.p50,
    p99Ms: loaded.result.latency.p99,
    non2xx: loaded.result.non2xx,
  };
  console.log(
    `summary-90d-100-clients: ${loadLine.requestsPerSec}/s, p50 ${loadLine.p50Ms} ms, p99 ${loadLine.p99Ms} ms (all clients queue on 2 shared cores)`,
  );
  lines.push(loadLine);

  await stop(server);
  await sims.close();
  await database.drop();
  for (const line of lines) console.log(JSON.stringify(line));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
