/**
 * What the benchmarks share: the server in a child process, a bare Koa JSON
 * route measured in the same run as the baseline, and autocannon timed to the
 * last response.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import autocannon from 'autocannon';
import { QueryTypes } from 'sequelize';
import type { Config } from '../server/src/config';
import { prepareDb } from '../server/src/db/setup';
import { startSimulators } from '../server/sim';

export const ROOT = path.resolve(__dirname, '..');
export const CONNECTIONS = 100;

export const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });

/**
 * CPU time (user + system, ms) a process has used: per booking it compares
 * builds fairly on a busy, shared machine, where rates move with the load.
 */
export function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

export async function waitReady(url: string) {
  for (let i = 0; i < 150; i++) {
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not start`);
}

export function startChild(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export async function stop(child: ChildProcess) {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

/** Requests a second of a bare Koa JSON route at CONNECTIONS, in a process of its own. */
export async function baseline(): Promise<number> {
  const port = await freePort();
  const child = startChild(
    [
      '-e',
      `const Koa=require('koa');const a=new Koa();a.use(c=>{c.body={hello:'world'}});a.listen(${port},'127.0.0.1')`,
    ],
    {},
  );
  const url = `http://127.0.0.1:${port}`;
  await waitReady(url);
  await autocannon({ url, connections: CONNECTIONS, duration: 2 }); // warm-up
  const r = await autocannon({ url, connections: CONNECTIONS, duration: 8 });
  await stop(child);
  return r.requests.average;
}

/**
 * Runs autocannon for a fixed number of requests and times it from the start
 * to the last response: autocannon itself only stops on a whole-second tick.
 */
export function timedRun(opts: autocannon.Options): Promise<{ result: autocannon.Result; seconds: number }> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    let lastAt = startedAt;
    const instance = autocannon(opts, (err, result) =>
      err ? reject(err) : resolve({ result, seconds: (lastAt - startedAt) / 1000 }),
    );
    instance.on('response', () => (lastAt = performance.now()));
  });
}

export const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];

/**
 * `clients` that each send a request, wait for its answer, then think for a
 * random while (exponential, mean `thinkMs`) before the next, for `durationMs`:
 * people using an app, where autocannon's clients never pause.
 */
export async function thinkingClients(
  url: string,
  clients: number,
  thinkMs: number,
  durationMs: number,
  pathOf: (i: number) => { path: string; headers: object },
  ok: (status: number) => boolean,
): Promise<{ count: number; p50: number; p99: number; failed: number }> {
  let next = 0;
  let failed = 0;
  const ms: number[] = [];
  const until = performance.now() + durationMs;
  const think = (mean: number) => new Promise((r) => setTimeout(r, -Math.log(1 - Math.random()) * mean));
  const client = async () => {
    await new Promise((r) => setTimeout(r, Math.random() * thinkMs));
    while (performance.now() < until) {
      const { path, headers } = pathOf(next++);
      const t = performance.now();
      const res = await fetch(url + path, { headers: headers as Record<string, string> });
      await res.arrayBuffer();
      ms.push(performance.now() - t);
      if (!ok(res.status)) failed++;
      await think(thinkMs);
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  ms.sort((a, b) => a - b);
  return { count: ms.length, p50: percentile(ms, 0.5), p99: percentile(ms, 0.99), failed };
}

/** A server meets its traffic running: wait for the catalog sync every start runs. */
export async function waitForStartupSync(databaseUrl: string, since: Date) {
  const db = await prepareDb(databaseUrl);
  try {
    for (let i = 0; i < 300; i++) {
      const [row] = await db.sequelize.query<{ n: number }>(
        'SELECT COUNT(*) AS n FROM hospitals WHERE catalog_synced_at IS NULL OR catalog_synced_at < :since',
        { type: QueryTypes.SELECT, replacements: { since } },
      );
      if (Number(row.n) === 0) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('the server did not finish its startup catalog sync');
  } finally {
    await db.close();
  }
}

/** The simulators as the benchmarks' server sees them; the SMS key is the server's `SMS_API_KEY`. */
export function benchSimulators(config: Config, smsApiKey = 'bench-sms') {
  return startSimulators({
    wechat: { appId: config.wechat.appId, secret: config.wechat.secret },
    smsApiKey,
    identityApiKey: 'k',
    voiceApiKey: 'k',
    hisSigningSeed: config.demoHisSecret,
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
