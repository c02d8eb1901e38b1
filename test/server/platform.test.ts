import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import axios from 'axios';
import { Writable } from 'node:stream';
import { loadConfig } from '../../server/src/config';
import { migrator } from '../../server/src/db/migrate';
import { createLogger } from '../../server/src/logger';
import { Department, Doctor, Hospital } from '../../server/src/modules/hospitals/models';
import { startTestPlatform, type TestPlatform } from '../support/platform';

let p: TestPlatform;
let h5Dir: string;
beforeAll(async () => {
  h5Dir = mkdtempSync(path.join(os.tmpdir(), 'yl-h5-'));
  writeFileSync(path.join(h5Dir, 'index.html'), '<!doctype html><title>医联云健康</title>');
  writeFileSync(path.join(h5Dir, 'app.0123abcd.js'), 'console.log(1)');
  p = await startTestPlatform({ h5DistDir: h5Dir });
});
afterAll(() => p.close());

describe('configuration', () => {
  it('has working development defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      env: 'development',
      port: 3000,
      databaseUrl: 'sqlite:data/yilian.sqlite',
      demoData: true,
    });
    expect(c.simulators.enabled).toBe(true);
    expect(c.wechat.baseUrl).toBe('http://127.0.0.1:3102');
  });

  it('rejects invalid values with the variable named', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ HIS_TIMEOUT_MS: '5' })).toThrow(/HIS_TIMEOUT_MS/);
  });

  it('refuses to start in production with development secrets, simulators or missing settings', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/WECHAT_SECRET must be set/);
    const prod = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://app@db/yilian',
      WECHAT_SECRET: 'real-secret',
      SMS_API_KEY: 'real-key',
      WECHAT_API_BASE_URL: 'https://api.weixin.qq.com',
      SMS_API_BASE_URL: 'https://sms.example.com',
      IDENTITY_API_KEY: 'real-identity-key',
      IDENTITY_API_BASE_URL: 'https://idv.example.com',
      JWT_SECRET: 'a-real-jwt-secret-of-at-least-32-chars',
      PII_ENCRYPTION_KEYS: 'k2:a-real-encryption-secret-32-chars-long',
      PII_INDEX_KEY: 'a-real-blind-index-secret-32-chars-long',
    };
    expect(loadConfig(prod)).toMatchObject({ production: true, demoData: false, simulators: { enabled: false } });
    expect(() => loadConfig({ ...prod, SMS_API_KEY: 'dev-only-sms-key' })).toThrow(
      /SMS_API_KEY holds a development secret/,
    );
    expect(() => loadConfig({ ...prod, SIMULATORS: 'on' })).toThrow(/SIMULATORS must be off/);
  });
});

describe('API document', () => {
  it('serves OpenAPI 3 generated from the route schemas', async () => {
    const res = await p.api.get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/hospitals',
        '/api/v1/hospitals/{id}',
        '/api/v1/hospitals/{id}/departments',
        '/api/v1/departments/{id}/doctors',
      ]),
    );
    const list = res.body.paths['/api/v1/hospitals'].get;
    expect(list.parameters.map((x: { name: string }) => x.name)).toEqual(
      expect.arrayContaining(['page', 'pageSize', 'q', 'district']),
    );
    expect(res.body.components.schemas).toHaveProperty('Hospital');
    expect(res.body.components.schemas).toHaveProperty('Error');
  });

  it('serves the Swagger UI and its assets', async () => {
    const page = await p.api.get('/api/docs');
    expect(page.status).toBe(200);
    expect(page.text).toContain('swagger-ui-bundle.js');
    expect((await p.api.get('/api/docs/swagger-ui-bundle.js')).status).toBe(200);
    expect((await p.api.get('/api/docs/swagger-ui.css')).status).toBe(200);
    expect((await p.api.get('/api/docs/..%2Fpackage.json')).status).toBe(404);
  });
});

describe('H5 site', () => {
  it('serves index.html at / and for app routes, and hashed assets with long caching', async () => {
    const home = await p.api.get('/').set('Accept', 'text/html');
    expect(home.status).toBe(200);
    expect(home.text).toContain('医联云健康');
    const deep = await p.api.get('/pages/hospital/index?id=x').set('Accept', 'text/html');
    expect(deep.status).toBe(200);
    expect(deep.headers['cache-control']).toBe('no-cache');
    const asset = await p.api.get('/app.0123abcd.js');
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await p.api.get('/missing.0123abcd.js')).status).toBe(404);
  });

  it('never answers API paths with the site', async () => {
    const res = await p.api.get('/api/v1/unknown').set('Accept', 'text/html');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('ROUTE_NOT_FOUND');
  });
});

describe('logging', () => {
  it('redacts ID numbers, phones, tokens and result values', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger('info', sink as never);
    log.info(
      {
        patient: { idNumber: '110101199003071234', phone: '13812341234' },
        req: { headers: { authorization: 'Bearer abc.def' } },
        item: { value: '7.8' },
      },
      'x',
    );
    const out = lines.join('');
    for (const secret of ['110101199003071234', '13812341234', 'abc.def', '7.8']) expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
  });
});

describe('catalog sync', () => {
  const his = () => axios.create({ baseURL: p.sims.his.url });

  it('is idempotent and deactivates departments the hospital closed', async () => {
    const h = (await Hospital.findOne({ where: { code: 'SH012' } }))!;
    await p.services.hospitals.syncAll();
    const deps = await Department.count({ where: { hospitalId: h.id } });
    const docs = await Doctor.count({ where: { hospitalId: h.id } });
    await p.services.hospitals.syncAll();
    expect(await Department.count({ where: { hospitalId: h.id } })).toBe(deps);
    expect(await Doctor.count({ where: { hospitalId: h.id } })).toBe(docs);

    const closed = (await Department.findOne({ where: { hospitalId: h.id, name: '急诊科' } }))!;
    await his().delete(`/__sim/hospitals/SH012/departments/${closed.hisCode}`);
    try {
      await p.services.hospitals.syncAll();
      await closed.reload();
      expect(closed.active).toBe(false);
      const list = await p.api.get(`/api/v1/hospitals/${h.id}/departments?pageSize=100`);
      expect(list.body.items.map((d: { name: string }) => d.name)).not.toContain('急诊科');
      expect((await p.api.get(`/api/v1/departments/${closed.id}/doctors`)).status).toBe(404);
    } finally {
      await his().post('/__sim/reset');
    }
  });

  it('reports hospitals it could not reach without failing the others', async () => {
    await p.setFaults('SH020', { down: true });
    try {
      const result = await p.services.hospitals.syncAll();
      expect(result.failed).toEqual(['SH020']);
      expect(result.synced).toBe(37);
    } finally {
      await p.setFaults('SH020', {});
    }
  });
});

describe('migrations', () => {
  it('roll back to nothing and apply again', async () => {
    const m = migrator(p.db);
    expect((await m.executed()).length).toBeGreaterThan(0);
    const before = await p.db.sequelize.getQueryInterface().showAllTables();
    expect(before).toEqual(expect.arrayContaining(['hospitals', 'departments', 'doctors']));
    await m.down({ to: 0 });
    expect(await m.executed()).toEqual([]);
    await m.up();
    expect(await p.db.sequelize.getQueryInterface().showAllTables()).toEqual(expect.arrayContaining(before));
  });
});
