/**
 * `npm run bench:nav`: indoor navigation against issue 13's targets.
 * 1. In process: routes between random POI pairs on the largest demo map
 *    (all edges, then elevators only), timed one by one: p50 / p99 / max
 *    (target p99 < 20 ms).
 * 2. Over HTTP: the real server in a child process (SQLite, simulators, demo
 *    data), `GET /api/v1/hospitals/:id/route` for varied POI pairs of that
 *    hospital at 100 connections for 10 s (target >= 1,000 routes/s), beside
 *    a bare Koa JSON route measured in the same run as the baseline, and
 *    `GET /api/v1/hospitals/:id` through the same server for 5 s as a reference.
 * Prints figures, then one JSON line per scenario.
 */
import os from 'node:os';
import autocannon from 'autocannon';
import { loadConfig } from '../server/src/config';
import { prepareDb } from '../server/src/db/setup';
import { seedDemoData } from '../server/src/db/seed/demo';
import { NavGraph } from '../server/src/modules/navigation/graph';
import { validateMap } from '../server/src/modules/navigation/map-format';
import { PiiCipher } from '../server/src/privacy/cipher';
import { generateHospitals, prng } from '../server/sim/his/catalog';
import { generateMap } from '../server/sim/his/map';
import { createTestDatabase } from '../test/support/platform';
import {
  CONNECTIONS,
  baseline,
  benchSimulators,
  freePort,
  percentile,
  startChild,
  stop,
  timedRun,
  waitForStartupSync,
  waitReady,
} from './bench-support';

const PAIRS = 2000;
const SECONDS = 10;

async function main() {
  const lines: object[] = [];

  // ---- in process ----
  const hospitals = generateHospitals();
  const maps = hospitals.map((h) => ({ h, map: validateMap(generateMap(h)).map! }));
  const largest = maps.reduce((a, b) => (b.map.nodes.length > a.map.nodes.length ? b : a));
  const graph = new NavGraph(largest.map);
  const r = prng(7);
  const pois = largest.map.pois;
  const pairs = Array.from({ length: PAIRS }, () => [r.pick(pois), r.pick(pois)] as const);
  console.log(
    `largest demo map: ${largest.h.profile.code}, ${largest.map.nodes.length} nodes, ${largest.map.edges.length} edges, ${pois.length} POIs`,
  );
  for (const accessible of [false, true]) {
    for (const [a, b] of pairs.slice(0, 200)) graph.route(a, b, accessible); // warm-up
    const ms: number[] = [];
    let found = 0;
    for (const [a, b] of pairs) {
      const t = performance.now();
      if (graph.route(a, b, accessible)) found++;
      ms.push(performance.now() - t);
    }
    ms.sort((x, y) => x - y);
    const line = {
      scenario: accessible ? 'route-in-process-accessible' : 'route-in-process',
      nodes: largest.map.nodes.length,
      routes: PAIRS,
      found,
      p50Ms: +percentile(ms, 0.5).toFixed(3),
      p99Ms: +percentile(ms, 0.99).toFixed(3),
      maxMs: +ms[ms.length - 1].toFixed(3),
      targetP99Ms: 20,
      p99ShareOfTarget: +(percentile(ms, 0.99) / 20).toFixed(4),
    };
    console.log(`${line.scenario}: p50 ${line.p50Ms} ms, p99 ${line.p99Ms} ms, max ${line.maxMs} ms`);
    lines.push(line);
  }

  // ---- over HTTP ----
  const config = loadConfig({ NODE_ENV: 'test' });
  const cipher = new PiiCipher(config.pii);
  const sims = await benchSimulators(config);
  const database = await createTestDatabase('default');
  const db = await prepareDb(database.url);
  await seedDemoData({ hisBaseUrl: sims.his.url, signingSeed: config.demoHisSecret, cipher });
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
    CATALOG_TTL_MIN: '10080',
    RATE_READ_PER_IP_PER_MINUTE: '10000000',
    WECHAT_API_BASE_URL: sims.wechat.url,
    SMS_API_BASE_URL: sims.sms.url,
    IDENTITY_API_BASE_URL: sims.identity.url,
  });
  const url = `http://127.0.0.1:${port}`;
  const startedAt = new Date();
  try {
    await waitReady(url);
    await waitForStartupSync(database.url, startedAt);
    const list = (await (await fetch(`${url}/api/v1/hospitals?pageSize=100`)).json()) as {
      items: Array<{ id: string; name: string }>;
    };
    const hospitalId = list.items.find((x) => x.name === largest.h.profile.name)!.id;
    const paths = pairs
      .slice(0, 200)
      .map(
        ([a, b], i) =>
          `/api/v1/hospitals/${hospitalId}/route?from=${a.id}&to=${b.id}${i % 4 ? '' : '&accessible=true'}`,
      );
    const first = await fetch(url + paths[0]);
    if (first.status !== 200) throw new Error(`route answered ${first.status}: ${await first.text()}`);
    await autocannon({ url, connections: CONNECTIONS, duration: 2, requests: paths.map((path) => ({ path })) });
    const { result, seconds } = await timedRun({
      url,
      connections: CONNECTIONS,
      duration: SECONDS,
      requests: paths.map((path) => ({ path })),
    });
    const perSec = result.requests.total / seconds;
    const line = {
      scenario: 'route-http',
      connections: CONNECTIONS,
      seconds: +seconds.toFixed(1),
      routesPerSec: Math.round(perSec),
      non2xx: result.non2xx,
      errors: result.errors,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      baselinePerSec: Math.round(baselinePerSec),
      ratioToBaseline: +(perSec / baselinePerSec).toFixed(3),
      targetPerSec: 1000,
    };
    console.log(`route over HTTP: ${line.routesPerSec} routes/s (p99 ${line.p99Ms} ms, non-2xx ${line.non2xx})`);
    lines.push(line);
    // The platform's simplest public read through the same pipeline, for scale: what any route costs here.
    const ref = await timedRun({ url: `${url}/api/v1/hospitals/${hospitalId}`, connections: CONNECTIONS, duration: 5 });
    const refPerSec = ref.result.requests.total / ref.seconds;
    lines.push({
      scenario: 'hospital-http-reference',
      connections: CONNECTIONS,
      perSec: Math.round(refPerSec),
      non2xx: ref.result.non2xx,
      p99Ms: ref.result.latency.p99,
      ratioToBaseline: +(refPerSec / baselinePerSec).toFixed(3),
    });
    console.log(`GET /hospitals/:id over HTTP (reference): ${Math.round(refPerSec)} req/s`);
  } finally {
    await stop(server);
    await sims.close();
    await database.drop();
  }
  const load = os.loadavg();
  for (const line of lines) console.log(JSON.stringify({ ...line, loadAvg1m: +load[0].toFixed(2) }));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
