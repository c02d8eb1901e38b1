/**
 * `npm run bench:triage [-- --pg]`: smart triage against the real server
 * (issue 15's targets). Times the knowledge base's load and validation (the
 * start-up check), then starts a fresh database (SQLite, or PostgreSQL with
 * --pg) and the server in a child process, measures a bare Koa JSON route as
 * the baseline in the same run, and sends `POST /api/v1/triage/assess` from
 * 100 clients back to back, each body one of the clinician-readable test
 * cases (free text with negation, picked codes, answers): first saturating
 * (the most it answers), then at the target's 2,000 requests a second (the
 * latency patients see at that load). Prints figures, then one JSON line per
 * scenario.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../server/src/config';
import { prepareDb } from '../server/src/db/setup';
import { loadKnowledge } from '../server/src/modules/triage/knowledge';
import { createTestDatabase } from '../test/support/platform';
import {
  CONNECTIONS,
  ROOT,
  baseline,
  benchSimulators,
  freePort,
  rssMb,
  startChild,
  stop,
  timedRun,
  waitReady,
} from './bench-support';

const usePg = process.argv.includes('--pg');
const SECONDS = 10;
/** The throughput target, offered as a steady load for the latency figure. */
const TARGET_RATE = 2000;

async function main() {
  const lines: object[] = [];

  // The start-up check: read, parse, schema-check and cross-check the three files.
  const loads: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    loadKnowledge();
    loads.push(performance.now() - t);
  }
  const kb = loadKnowledge();
  const knowledge = {
    scenario: 'knowledge-load',
    firstMs: Number(loads[0].toFixed(1)),
    medianMs: Number([...loads].sort((a, b) => a - b)[2].toFixed(1)),
    symptoms: kb.symptoms.length,
    terms: kb.symptoms.reduce((n, s) => n + 1 + s.synonyms.length, 0),
    redFlags: kb.redFlags.length,
    rules: kb.rules.length,
    targetMs: 1000,
  };
  console.log(`knowledge base: load and validate ${knowledge.firstMs} ms first, ${knowledge.medianMs} ms median`);
  lines.push(knowledge);

  const { cases } = JSON.parse(readFileSync(path.join(ROOT, 'test/server/triage-cases.json'), 'utf8')) as {
    cases: Array<{ age: number; sex: string; text?: string; symptoms?: string[]; answers?: object }>;
  };
  const bodies = cases.map((c) =>
    JSON.stringify({ age: c.age, sex: c.sex, text: c.text, symptoms: c.symptoms, answers: c.answers }),
  );

  const config = loadConfig({ NODE_ENV: 'test' });
  const sims = await benchSimulators(config);
  const database = await createTestDatabase(usePg ? 'postgres' : 'default');
  const db = await prepareDb(database.url);
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
    RATE_READ_PER_IP_PER_MINUTE: '10000000',
    WECHAT_API_BASE_URL: sims.wechat.url,
    SMS_API_BASE_URL: sims.sms.url,
    IDENTITY_API_BASE_URL: sims.identity.url,
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitReady(url);
    let next = 0;
    const assess = (overallRate?: number) =>
      timedRun({
        url,
        connections: CONNECTIONS,
        duration: SECONDS,
        ...(overallRate ? { overallRate } : {}),
        requests: [
          {
            method: 'POST',
            path: '/api/v1/triage/assess',
            headers: { 'content-type': 'application/json' },
            setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }),
          },
        ],
      });
    // Warm-up: the same requests for a few seconds, so the measured run sees compiled code.
    await timedRun({
      url,
      connections: CONNECTIONS,
      duration: 3,
      requests: [
        {
          method: 'POST',
          path: '/api/v1/triage/assess',
          headers: { 'content-type': 'application/json' },
          setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }),
        },
      ],
    });
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(server.pid!))), 100);
    const { result, seconds } = await assess();
    clearInterval(sampler);
    const perSec = result.requests.total / seconds;
    const line = {
      scenario: 'assess',
      db: usePg ? 'postgres' : 'sqlite',
      clients: `${CONNECTIONS}, back to back`,
      bodies: bodies.length,
      requestsPerSec: Math.round(perSec),
      baselinePerSec: Math.round(baselinePerSec),
      ratioToBaseline: Number((perSec / baselinePerSec).toFixed(3)),
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      peakRssMb: Math.round(peak),
      ok: result['2xx'],
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      target: '>= 2000/s, p99 < 50 ms',
    };
    console.log(
      `assess: ${perSec.toFixed(0)}/s at ${CONNECTIONS} clients (baseline ${baselinePerSec.toFixed(0)}/s), ` +
        `p50 ${line.p50Ms} ms, p99 ${line.p99Ms} ms, non-2xx ${line.non2xx}, errors ${line.errors}`,
    );
    lines.push(line);

    // The target's load: 2,000 requests a second offered by the same 100 clients, and the latency they see.
    const paced = await assess(TARGET_RATE);
    const pacedLine = {
      scenario: 'assess-at-target-rate',
      db: usePg ? 'postgres' : 'sqlite',
      clients: `${CONNECTIONS}, ${TARGET_RATE}/s offered in total`,
      requestsPerSec: Math.round(paced.result.requests.total / paced.seconds),
      baselinePerSec: Math.round(baselinePerSec),
      p50Ms: paced.result.latency.p50,
      p99Ms: paced.result.latency.p99,
      maxMs: paced.result.latency.max,
      non2xx: paced.result.non2xx,
      errors: paced.result.errors + paced.result.timeouts,
      target: 'p99 < 50 ms',
    };
    console.log(
      `assess at ${TARGET_RATE}/s offered: ${pacedLine.requestsPerSec}/s answered, p50 ${pacedLine.p50Ms} ms, ` +
        `p99 ${pacedLine.p99Ms} ms, non-2xx ${pacedLine.non2xx}, errors ${pacedLine.errors}`,
    );
    lines.push(pacedLine);
  } finally {
    await stop(server);
    await sims.close();
    await database.drop();
  }
  for (const l of lines) console.log(JSON.stringify(l));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
