import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import axios from 'axios';
import supertest from 'supertest';
import { loadConfig } from '../../server/src/config';
import { createLogger } from '../../server/src/logger';
import { openDb } from '../../server/src/db';
import { startPlatform, type RunningPlatform } from '../../server/src/server';
import { withCheckChar } from '../../common/id-card';

const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });

/** The whole platform as `npm start` runs it (simulators in process), on free ports and a temporary database. */
async function start(env: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'yl-shutdown-'));
  const [port, his, wechat, sms, identity] = await Promise.all([1, 2, 3, 4, 5].map(freePort));
  const databaseUrl = `sqlite:${path.join(dir, 'db.sqlite')}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    SIM_HIS_PORT: String(his),
    SIM_WECHAT_PORT: String(wechat),
    SIM_SMS_PORT: String(sms),
    SIM_IDENTITY_PORT: String(identity),
    SMS_RESEND_INTERVAL_SEC: '0',
    ...env,
  });
  const platform = await startPlatform(config, createLogger('silent'));
  return { platform, databaseUrl, simUrl: `http://127.0.0.1:${his}`, smsUrl: `http://127.0.0.1:${sms}`, dir };
}

let run: Awaited<ReturnType<typeof start>>;

async function firstDoctor(api: ReturnType<typeof supertest>, hospitalId: string): Promise<string> {
  const dep = (await api.get(`/api/v1/hospitals/${hospitalId}/departments`)).body.items[0];
  return (await api.get(`/api/v1/departments/${dep.id}/doctors`)).body.items[0].id;
}
afterEach(() => rmSync(run.dir, { recursive: true, force: true }));

async function patientSession(p: RunningPlatform, smsUrl: string) {
  const api = supertest(p.url);
  const phone = '13912345678';
  await api.post('/api/v1/auth/sms-code').send({ phone }).expect(202);
  const code = (await axios.get(`${smsUrl}/__sim/messages`, { params: { phone } })).data.items.at(-1).params.code;
  const { accessToken } = (await api.post('/api/v1/auth/phone').send({ phone, code }).expect(200)).body;
  const auth = { Authorization: `Bearer ${accessToken}` };
  const policy = (await api.get('/api/v1/privacy-policy')).body.version;
  await api.post('/api/v1/me/consents').set(auth).send({ kind: 'health_data', policyVersion: policy }).expect(201);
  const ids = ['19700101', '19710101', '19720101'].map((d, i) => withCheckChar(`310104${d}00${i * 2 + 1}`));
  const patients: string[] = [];
  for (const [i, idNumber] of ids.entries()) {
    const relation = i === 0 ? 'self' : 'parent';
    const res = await api.post('/api/v1/patients').set(auth).send({ name: '张三', idNumber, phone, relation });
    patients.push(res.body.id);
  }
  return { api, auth, patients };
}

it('on shutdown stops accepting, finishes in-flight requests and queued bookings, then closes', async () => {
  run = await start();
  const p = run.platform;
  const { api, auth, patients } = await patientSession(p, run.smsUrl);
  const hospitals = (await api.get('/api/v1/hospitals?pageSize=3')).body.items;
  const slot = async () => {
    const deps = (await api.get(`/api/v1/hospitals/${hospitals[0].id}/departments`)).body.items;
    for (const dep of deps) {
      for (const doc of (await api.get(`/api/v1/departments/${dep.id}/doctors`)).body.items) {
        const open = (await api.get(`/api/v1/doctors/${doc.id}/slots`)).body.items.filter(
          (s: { status: string }) => s.status === 'open',
        );
        if (open.length) return open;
      }
    }
    throw new Error('no open slot');
  };
  const open = await slot();
  // The third demo hospital (SH003) answers in 1.5 s: reads of its never-synced slot pool are in flight when the signal comes.
  const doctor = await firstDoctor(api, hospitals[2].id);
  await axios.put(`${run.simUrl}/__sim/hospitals/SH003/faults`, { latencyMs: 1500 });
  const slow = Array.from({ length: 3 }, () => api.get(`/api/v1/doctors/${doctor}/slots`));
  const bookings = patients.map((patientId, i) =>
    api
      .post('/api/v1/appointments')
      .set(auth)
      .set('Idempotency-Key', `shutdown-${i}`)
      .send({ slotId: open[i % open.length].id, patientId }),
  );
  const pending = [...slow, ...bookings].map((r) => r.then((res) => res.status));
  await new Promise((r) => setTimeout(r, 200));
  await p.shutdown('test');

  expect(await Promise.all(pending)).toEqual([200, 200, 200, 201, 201, 201]);
  // No new connections once it has stopped.
  await expect(api.get('/healthz')).rejects.toThrow(/ECONNREFUSED/);
  const db = await openDb(run.databaseUrl);
  const [rows] = await db.sequelize.query("SELECT COUNT(*) AS n FROM appointments WHERE status = 'booked'");
  await db.close();
  expect(Number((rows as Array<{ n: number }>)[0].n)).toBe(3);
});

it('closes what is still open when the shutdown deadline passes', async () => {
  run = await start({ SHUTDOWN_TIMEOUT_MS: '300', HIS_TIMEOUT_MS: '30000' });
  const p = run.platform;
  const api = supertest(p.url);
  const h = (await api.get('/api/v1/hospitals?pageSize=1')).body.items[0];
  const doctor = await firstDoctor(api, h.id);
  await axios.put(`${run.simUrl}/__sim/hospitals/SH001/faults`, { latencyMs: 20_000 });
  const stuck = api.get(`/api/v1/doctors/${doctor}/slots`).then(
    (res) => res.status,
    (err: Error) => err.message,
  );
  await new Promise((r) => setTimeout(r, 200));
  await p.shutdown('test');
  // The request that would have waited 20 s was cut at the deadline instead of holding the shutdown.
  expect(await stuck).toMatch(/socket hang up|ECONNRESET/);
});
