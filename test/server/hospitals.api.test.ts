import { Doctor, Hospital } from '../../server/src/modules/hospitals/models';
import { startTestPlatform, type TestPlatform } from '../support/platform';

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(() => p.close());

const firstHospital = async (q = '') => (await p.api.get(`/api/v1/hospitals?${q}`)).body.items[0];

describe('GET /api/v1/hospitals', () => {
  it('lists the 38 demo hospitals in pages of 20 by default', async () => {
    const res = await p.api.get('/api/v1/hospitals');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 38, page: 1, pageSize: 20 });
    expect(res.body.items).toHaveLength(20);
    expect(res.body.items[0]).toEqual({
      id: expect.stringMatching(/^hsp_/),
      name: expect.stringMatching(/医院$/),
      level: expect.stringMatching(/^tertiary_[ab]$/),
      district: expect.stringMatching(/区$/),
      address: expect.any(String),
    });
    const last = await p.api.get('/api/v1/hospitals?page=2');
    expect(last.body.items).toHaveLength(18);
  });

  it('searches by a word of the name and filters by district', async () => {
    const all = (await p.api.get('/api/v1/hospitals?pageSize=100')).body.items as Array<{
      name: string;
      district: string;
    }>;
    const target = all[5];
    const word = target.name.slice(2, 4);
    const res = await p.api.get('/api/v1/hospitals').query({ q: word });
    expect(res.status).toBe(200);
    expect(res.body.items.map((h: { name: string }) => h.name)).toContain(target.name);
    for (const h of res.body.items) expect(`${h.name}${h.address}`).toContain(word);

    const byDistrict = await p.api.get('/api/v1/hospitals').query({ district: target.district, pageSize: 100 });
    expect(byDistrict.body.total).toBe(all.filter((h) => h.district === target.district).length);
    for (const h of byDistrict.body.items) expect(h.district).toBe(target.district);
  });

  it('treats SQL-ish and wildcard text in q as plain text', async () => {
    for (const q of ["' OR 1=1 --", '%', '_', '"; DROP TABLE hospitals; --', '\\']) {
      const res = await p.api.get('/api/v1/hospitals').query({ q });
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(0);
    }
    expect((await p.api.get('/api/v1/hospitals')).body.total).toBe(38);
  });

  it('caps huge page sizes', async () => {
    const res = await p.api.get('/api/v1/hospitals?pageSize=100000');
    expect(res.status).toBe(200);
    expect(res.body.pageSize).toBe(100);
    expect(res.body.items).toHaveLength(38);
  });

  it.each([
    ['pageSize=abc', 'query.pageSize'],
    ['page=0', 'query.page'],
    ['page=1.5', 'query.page'],
    [`q=${'长'.repeat(51)}`, 'query.q'],
  ])('rejects %s with 422 naming the field', async (qs, field) => {
    const res = await p.api.get(`/api/v1/hospitals?${qs}`);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toMatch(/请求参数有误/);
    expect(res.body.error.details.fields.map((f: { path: string }) => f.path)).toContain(field);
  });
});

describe('GET /api/v1/hospitals/:id', () => {
  it('returns the hospital with its HIS link state and Shanghai-time sync stamp', async () => {
    const h = await firstHospital();
    await p.api.get(`/api/v1/hospitals/${h.id}/departments`);
    const res = await p.api.get(`/api/v1/hospitals/${h.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: h.id, name: h.name, hisStatus: 'online' });
    expect(res.body.phone).toMatch(/^021-\d{8}$/);
    expect(res.body.catalogSyncedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00$/);
  });

  it('answers 404 with a stable code for an unknown id', async () => {
    const res = await p.api.get('/api/v1/hospitals/hsp_doesnotexist');
    expect(res.status).toBe(404);
    expect(res.body.error).toEqual({ code: 'NOT_FOUND', message: '医院不存在' });
  });
});

describe('departments and doctors', () => {
  it('lists 8-20 departments of a hospital, each with its doctors', async () => {
    const h = await firstHospital();
    const deps = await p.api.get(`/api/v1/hospitals/${h.id}/departments?pageSize=100`);
    expect(deps.status).toBe(200);
    expect(deps.body.total).toBeGreaterThanOrEqual(8);
    expect(deps.body.total).toBeLessThanOrEqual(20);
    const names = deps.body.items.map((d: { name: string }) => d.name);
    expect(names).toEqual(expect.arrayContaining(['内科', '外科', '急诊科']));

    const dep = deps.body.items[0];
    const docs = await p.api.get(`/api/v1/departments/${dep.id}/doctors`);
    expect(docs.status).toBe(200);
    expect(docs.body.total).toBe(dep.doctorCount);
    expect(docs.body.total).toBeGreaterThanOrEqual(2);
    expect(docs.body.total).toBeLessThanOrEqual(8);
    const rank = { chief_physician: 0, associate_chief_physician: 1, attending_physician: 2 } as const;
    const ranks = docs.body.items.map((d: { title: keyof typeof rank }) => rank[d.title]);
    expect(ranks).toEqual([...ranks].sort());
    expect(docs.body.items[0]).toMatchObject({
      hospitalId: h.id,
      departmentId: dep.id,
      id: expect.stringMatching(/^doc_/),
    });
  });

  it('gives a doctor photo when the hospital publishes one, and lets pages load it (CSP img-src https:)', async () => {
    const h = await firstHospital();
    const dep = (await p.api.get(`/api/v1/hospitals/${h.id}/departments?pageSize=100`)).body.items[0];
    const [first, second] = (await p.api.get(`/api/v1/departments/${dep.id}/doctors`)).body.items;
    const photo = 'https://his.example-hospital.cn/photos/d1.jpg';
    await Doctor.update({ photoUrl: photo }, { where: { id: first.id } });
    const docs = await p.api.get(`/api/v1/departments/${dep.id}/doctors`);
    expect(docs.body.items.find((d: { id: string }) => d.id === first.id).photoUrl).toBe(photo);
    expect(docs.body.items.find((d: { id: string }) => d.id === second.id).photoUrl).toBeNull();
    expect((await p.api.get(`/api/v1/doctors/${first.id}`)).body.photoUrl).toBe(photo);
    expect(docs.headers['content-security-policy']).toMatch(/img-src 'self' data: https:/);
  });

  it('answers 404 for unknown hospital and department ids', async () => {
    expect((await p.api.get('/api/v1/hospitals/nope/departments')).status).toBe(404);
    const res = await p.api.get('/api/v1/departments/dep_nope/doctors');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe('科室不存在');
  });
});

describe('a hospital whose HIS is down', () => {
  it('answers 503 HIS_UNAVAILABLE for that hospital only, and keeps serving hospitals already synced', async () => {
    const list = (await p.api.get('/api/v1/hospitals?pageSize=100')).body.items;
    const synced = list[0];
    await p.api.get(`/api/v1/hospitals/${synced.id}/departments`).expect(200);
    const downOne = list[30];
    const other = list[31];
    const down = (await Hospital.findByPk(downOne.id))!;
    const syncedRow = (await Hospital.findByPk(synced.id))!;
    await p.setFaults(down.code, { down: true });
    await p.setFaults(syncedRow.code, { down: true });
    try {
      const res = await p.api.get(`/api/v1/hospitals/${downOne.id}/departments`);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBeDefined();
      expect(res.body.error.code).toBe('HIS_UNAVAILABLE');
      expect(res.body.error.message).toContain(downOne.name);
      expect(res.body.error.details).toEqual({ hospitalId: downOne.id });

      // Another hospital is unaffected; the synced one is still browsable from our copy.
      expect((await p.api.get(`/api/v1/hospitals/${other.id}/departments`)).status).toBe(200);
      expect((await p.api.get(`/api/v1/hospitals/${synced.id}/departments`)).status).toBe(200);
    } finally {
      await p.setFaults(down.code, {});
      await p.setFaults(syncedRow.code, {});
    }
  });
});

describe('HTTP edge cases', () => {
  it('answers malformed JSON with 400 MALFORMED_REQUEST', async () => {
    const res = await p.api.post('/api/v1/hospitals').set('Content-Type', 'application/json').send('{"q": ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('MALFORMED_REQUEST');
  });

  it('answers unknown API routes with 404 ROUTE_NOT_FOUND and wrong methods with 405', async () => {
    const res = await p.api.get('/api/v1/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('ROUTE_NOT_FOUND');
    const wrong = await p.api.delete('/api/v1/hospitals');
    expect(wrong.status).toBe(405);
    expect(wrong.body.error.code).toBe('METHOD_NOT_ALLOWED');
  });

  it('echoes a valid X-Request-Id and makes one up otherwise', async () => {
    const mine = await p.api.get('/healthz').set('X-Request-Id', 'req-12345678');
    expect(mine.headers['x-request-id']).toBe('req-12345678');
    const made = await p.api.get('/healthz').set('X-Request-Id', 'bad id with spaces');
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports liveness and readiness', async () => {
    expect((await p.api.get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await p.api.get('/readyz')).body).toEqual({ status: 'ready' });
  });
});
