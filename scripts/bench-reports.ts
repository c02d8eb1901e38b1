/**
 * `npm run bench:reports [-- --pg]`: reports against the real server (issue
 * 11's targets). Starts the simulators, a fresh database (SQLite, or
 * PostgreSQL with --pg) and the server in a child process with its default
 * settings; seeds verified patients with tokens; measures a bare Koa JSON
 * route as the baseline in the same run. Then, with every simulated hospital
 * answering in 300 ms:
 * - cold cross-hospital lists (each for a patient never looked up), one at a time:
 *   all hospitals up, one hospital down (connections dropped), one hung (no answer);
 * - warm lists and report details at 100 concurrent clients, each request by one of
 *   100 patients, all hospitals up and then one down: clients back to back (saturating),
 *   and clients that think ~200 ms between requests, as people do;
 * - shared views at 100 concurrent clients, then the audit is counted: every
 *   answered view must be in it.
 * The warm runs come first, so the cold runs' faults (and the breakers they open) cannot touch them.
 * Prints figures, then one JSON line per scenario. `--warm-only` skips the cold lists.
 */
import os from 'node:os';
import axios from 'axios';
import { createSigner } from 'fast-jwt';
import { QueryTypes } from 'sequelize';
import { loadConfig } from '../server/src/config';
import { prepareDb } from '../server/src/db/setup';
import { seedDemoData } from '../server/src/db/seed/demo';
import { PiiCipher } from '../server/src/privacy/cipher';
import { HOSPITAL_COUNT, hospitalCode } from '../server/sim/his/catalog';
import { createTestDatabase } from '../test/support/platform';
import { seedVerifiedPatients } from './bench-seed';
import {
  CONNECTIONS,
  baseline,
  freePort,
  percentile,
  rssMb,
  startChild,
  stop,
  thinkingClients,
  timedRun,
  waitForStartupSync,
  waitReady,
  benchSimulators,
} from './bench-support';

const usePg = process.argv.includes('--pg');
/** `--warm-only`: skip the cold lists (for profiling the warm paths, e.g. with BENCH_SERVER_NODE_ARGS). */
const warmOnly = process.argv.includes('--warm-only');
const LATENCY_MS = 300;
const COLD = 30;
const HUNG = 6;
const WARM = 100;
const SECONDS = 10;
/** Users: 100 clients that each wait about this long (exponentially distributed) between requests. */
const THINK_MS = 200;

/** A signed-in patient of the benchmark. */
interface Reader {
  token: string;
  patientId: string;
}

async function main() {
  const config = loadConfig({ NODE_ENV: 'test' });
  const cipher = new PiiCipher(config.pii);
  const sign = createSigner({ key: config.auth.jwtSecret, iss: 'yilian', expiresIn: 2 * 3_600_000 });
  const sims = await benchSimulators(config);
  const his = axios.create({ baseURL: sims.his.url });
  const faults = (code: string, f: object) => his.put(`/__sim/hospitals/${code}/faults`, f);
  const allLatency = (ms: number) =>
    Promise.all(Array.from({ length: HOSPITAL_COUNT }, (_, i) => faults(hospitalCode(i), { latencyMs: ms })));

  const database = await createTestDatabase(usePg ? 'postgres' : 'default');
  const db = await prepareDb(database.url);
  await seedDemoData({ hisBaseUrl: sims.his.url, signingSeed: config.demoHisSecret, cipher });
  const total = COLD * 2 + HUNG + WARM;
  console.log(`seeding ${total} verified patients with tokens (${usePg ? 'PostgreSQL' : 'SQLite'})...`);
  const readers: Reader[] = (
    await seedVerifiedPatients(db, cipher, {
      count: total,
      policyVersion: config.privacyPolicyVersion,
      phoneBase: 200000000,
      name: '王建国',
    })
  ).map((r) => ({ token: sign({ sid: r.sessionId, sub: r.userId }), patientId: r.patientId }));
  await db.close();
  const cold = readers.slice(0, COLD);
  const coldDown = readers.slice(COLD, 2 * COLD);
  const coldHung = readers.slice(2 * COLD, 2 * COLD + HUNG);
  const warm = readers.slice(2 * COLD + HUNG);

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
    CATALOG_TTL_MIN: '10080',
    RATE_SHARED_VIEW_PER_IP_PER_MINUTE: '10000000',
    WECHAT_API_BASE_URL: sims.wechat.url,
    SMS_API_BASE_URL: sims.sms.url,
    IDENTITY_API_BASE_URL: sims.identity.url,
  });
  const url = `http://127.0.0.1:${port}`;
  const startedAt = new Date();
  await waitReady(url);
  await waitForStartupSync(database.url, startedAt);

  const auth = (r: Reader) => ({ authorization: `Bearer ${r.token}` });
  const listOnce = async (r: Reader) => {
    const t = performance.now();
    const res = await fetch(`${url}/api/v1/reports?patientId=${r.patientId}&pageSize=100`, { headers: auth(r) });
    const body = (await res.json()) as { items: Array<{ id: string }>; unavailableHospitalIds: string[] };
    if (res.status !== 200) throw new Error(`list answered ${res.status}: ${JSON.stringify(body)}`);
    return { ms: performance.now() - t, body };
  };
  const lines: object[] = [];
  const coldRun = async (scenario: string, who: Reader[]) => {
    const ms: number[] = [];
    let unavailable = 0;
    for (const r of who) {
      const { ms: took, body } = await listOnce(r);
      ms.push(took);
      unavailable = Math.max(unavailable, body.unavailableHospitalIds.length);
    }
    ms.sort((a, b) => a - b);
    const line = {
      scenario,
      db: usePg ? 'postgres' : 'sqlite',
      hospitals: HOSPITAL_COUNT,
      hospitalLatencyMs: LATENCY_MS,
      lists: who.length,
      p50Ms: Math.round(percentile(ms, 0.5)),
      p99Ms: Math.round(percentile(ms, 0.99)),
      maxMs: Math.round(ms.at(-1)!),
      unavailableHospitals: unavailable,
    };
    console.log(
      `${scenario}: ${who.length} cold lists, p50 ${line.p50Ms} ms, p99 ${line.p99Ms} ms, max ${line.maxMs} ms`,
    );
    lines.push(line);
  };

  console.log(`warming ${WARM} patients' reports...`);
  await allLatency(0);
  const reportIds: Array<{ reader: Reader; reportId: string }> = [];
  for (const reader of warm) {
    // A warm patient has every hospital's copy (otherwise its lists would ask again): on a busy
    // machine a list may give up on a hospital; its answer is stored meanwhile, so look again.
    let listed = await listOnce(reader);
    for (let tries = 0; listed.body.unavailableHospitalIds.length; tries++) {
      if (tries === 60) throw new Error('warm-up: a hospital never answered');
      await new Promise((r) => setTimeout(r, 2000));
      listed = await listOnce(reader);
    }
    reportIds.push(...listed.body.items.map((x) => ({ reader, reportId: x.id })));
  }
  await allLatency(LATENCY_MS);
  const hisRequests = async () =>
    ((await his.get('/__sim/hospitals')).data.items as Array<{ requests: number }>).reduce((n, h) => n + h.requests, 0);

  const loadRun = async (scenario: string, pathOf: (i: number) => { path: string; headers: object }) => {
    let next = 0;
    let peak = 0;
    const hisBefore = await hisRequests();
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(server.pid!))), 100);
    const { result, seconds } = await timedRun({
      url,
      connections: CONNECTIONS,
      duration: SECONDS,
      requests: [
        {
          method: 'GET',
          setupRequest: (req) => {
            const { path, headers } = pathOf(next++);
            return { ...req, path, headers: headers as Record<string, string> };
          },
        },
      ],
    });
    clearInterval(sampler);
    const perSec = result.requests.total / seconds;
    const line = {
      scenario,
      db: usePg ? 'postgres' : 'sqlite',
      clients: `${CONNECTIONS}, back to back`,
      requestsPerSec: Math.round(perSec),
      baselinePerSec: Math.round(baselinePerSec),
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      peakRssMb: Math.round(peak),
      ok: result['2xx'],
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      hisRequests: (await hisRequests()) - hisBefore,
    };
    console.log(
      `${scenario}: ${perSec.toFixed(0)}/s at ${CONNECTIONS} clients, p50 ${line.p50Ms} ms, p99 ${line.p99Ms} ms, ` +
        `non-2xx ${line.non2xx}, errors ${line.errors}, HIS requests ${line.hisRequests}`,
    );
    lines.push(line);
    return line;
  };

  const usersRun = async (scenario: string, pathOf: (i: number) => { path: string; headers: object }) => {
    const floor = scenario.startsWith('signed-in-floor');
    const r = await thinkingClients(url, CONNECTIONS, THINK_MS, SECONDS * 1000, pathOf, (status) =>
      floor ? status < 500 : status === 200,
    );
    const line = {
      scenario,
      db: usePg ? 'postgres' : 'sqlite',
      clients: `${CONNECTIONS}, ~${THINK_MS} ms between requests`,
      requestsPerSec: Math.round(r.count / SECONDS),
      p50Ms: Math.round(r.p50),
      p99Ms: Math.round(r.p99),
      non2xx: r.failed,
    };
    console.log(
      `${scenario}: ${line.requestsPerSec}/s from ${CONNECTIONS} clients thinking ~${THINK_MS} ms, ` +
        `p50 ${line.p50Ms} ms, p99 ${line.p99Ms} ms, failed ${r.failed}`,
    );
    lines.push(line);
  };

  const warmList = (i: number) => {
    const r = warm[i % warm.length];
    return { path: `/api/v1/reports?patientId=${r.patientId}`, headers: auth(r) };
  };
  const detail = (i: number) => {
    const { reader, reportId } = reportIds[(i * 7) % reportIds.length];
    return { path: `/api/v1/reports/${reportId}`, headers: auth(reader) };
  };
  // The floor of any signed-in route: session check, then 422 (no patientId) before any report work.
  const floor = (i: number) => ({ path: '/api/v1/reports', headers: auth(warm[i % warm.length]) });
  await loadRun('signed-in-floor', floor);
  await usersRun('signed-in-floor-users', floor);
  await loadRun('warm-list', warmList);
  await usersRun('warm-list-users', warmList);
  await faults(hospitalCode(0), { latencyMs: LATENCY_MS, down: true });
  await loadRun('warm-list-one-down', warmList);
  await faults(hospitalCode(0), { latencyMs: LATENCY_MS });
  await loadRun('detail', detail);
  await usersRun('detail-users', detail);

  const shareTokens: string[] = [];
  for (const { reader, reportId } of reportIds.filter((_, i) => i % 9 === 0)) {
    const res = await fetch(`${url}/api/v1/reports/${reportId}/shares`, {
      method: 'POST',
      headers: { ...auth(reader), 'content-type': 'application/json' },
      body: '{}',
    });
    shareTokens.push(((await res.json()) as { token: string }).token);
  }
  const shared = await loadRun('shared-view', (i) => ({
    path: `/api/v1/shared/${shareTokens[i % shareTokens.length]}`,
    headers: { 'user-agent': 'Mozilla/5.0 Chrome/120.0 Safari/537.36' },
  }));

  // Cold lists last: the faults they set (and the breakers they open) must not touch the warm runs.
  if (!warmOnly) {
    await allLatency(LATENCY_MS);
    await coldRun('cold-list', cold);
    await faults(hospitalCode(0), { latencyMs: LATENCY_MS, down: true });
    await coldRun('cold-list-one-down', coldDown);
    await faults(hospitalCode(0), { latencyMs: LATENCY_MS });
    await faults(hospitalCode(1), { latencyMs: 60_000 });
    await coldRun('cold-list-one-hung', coldHung);
    await faults(hospitalCode(1), { latencyMs: LATENCY_MS });
  }

  await stop(server);
  const check = await prepareDb(database.url);
  const [views] = await check.sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM report_share_views', {
    type: QueryTypes.SELECT,
  });
  const [counted] = await check.sequelize.query<{ n: number }>('SELECT SUM(view_count) AS n FROM report_shares', {
    type: QueryTypes.SELECT,
  });
  await check.close();
  Object.assign(shared, {
    auditRows: Number(views.n),
    viewCounts: Number(counted.n),
    answeredViewsMissingFromAudit: Math.max(0, shared.ok - Number(views.n)),
  });
  console.log(
    `shared-view audit: ${views.n} rows for ${shared.ok} views answered within the run (view_count sum ${counted.n})`,
  );

  await sims.close();
  await database.drop();
  // Other work on the machine skews every figure: say how busy it was.
  const load = os.loadavg().map((n) => Number(n.toFixed(2)));
  console.log(`load average at the end: ${load.join(' ')} (${os.cpus().length} cores)`);
  for (const line of lines) console.log(JSON.stringify({ ...line, loadAvg1m: load[0] }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
