import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import axios from 'axios';
import { Writable } from 'node:stream';
import { envSchema, loadConfig } from '../../server/src/config';
import { migrator } from '../../server/src/db/migrate';
import { createLogger } from '../../server/src/logger';
import { Department, Doctor, Hospital } from '../../server/src/modules/hospitals/models';
import { loggedContent, startTestPlatform, type TestPlatform } from '../support/platform';

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
  it('has working development defaults only when NODE_ENV says development or test', () => {
    const c = loadConfig({ NODE_ENV: 'development' });
    expect(c).toMatchObject({
      env: 'development',
      production: false,
      port: 3000,
      databaseUrl: 'sqlite:data/yilian.sqlite',
      demoData: true,
      trustProxyHops: 0,
    });
    expect(c.simulators.enabled).toBe(true);
    expect(c.wechat.baseUrl).toBe('http://127.0.0.1:3102');
    expect(loadConfig({ NODE_ENV: 'test' }).production).toBe(false);
  });

  it.each([[{}], [{ NODE_ENV: 'staging' }], [{ NODE_ENV: 'prod' }], [{ NODE_ENV: '' }]])(
    'treats %j as production and refuses the development secrets (fails closed)',
    (env) => {
      expect(() => loadConfig(env)).toThrow(/Refusing to start in production[\s\S]*JWT_SECRET must be set/);
    },
  );

  it('rejects invalid values with the variable named', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ NODE_ENV: 'test', HIS_TIMEOUT_MS: '5' })).toThrow(/HIS_TIMEOUT_MS/);
  });

  const prod = {
    NODE_ENV: 'production',
    DATABASE_URL: 'postgres://app@db/yilian',
    WECHAT_APPID: 'wx1234567890',
    WECHAT_SECRET: 'real-secret',
    SMS_API_KEY: 'real-key',
    WECHAT_API_BASE_URL: 'https://api.weixin.qq.com',
    SMS_API_BASE_URL: 'https://sms.example.com',
    IDENTITY_API_KEY: 'real-identity-key',
    IDENTITY_API_BASE_URL: 'https://idv.example.com',
    JWT_SECRET: 'a-real-jwt-secret-of-at-least-32-chars',
    PII_ENCRYPTION_KEYS: 'k2:a-real-encryption-secret-32-chars-long',
    PII_INDEX_KEY: 'a-real-blind-index-secret-32-chars-long',
    VOICE_API_BASE_URL: 'https://voice.example.com',
    VOICE_API_KEY: 'real-voice-key',
    WECHAT_TEMPLATE_IDS: 'booking_confirmed:AbCdEf123',
    PUBLIC_BASE_URL: 'https://h5.example.com',
  };

  it('starts in production only with every required setting, no development secret, no simulators', () => {
    expect(loadConfig(prod)).toMatchObject({ production: true, demoData: false, simulators: { enabled: false } });
    expect(loadConfig(prod).his.requireHttps).toBe(true);
    for (const key of Object.keys(prod).filter((k) => k !== 'NODE_ENV')) {
      const missing: Record<string, string> = { ...prod };
      delete missing[key];
      expect(() => loadConfig(missing)).toThrow(new RegExp(key));
    }
    expect(() => loadConfig({ ...prod, SMS_API_KEY: 'dev-only-sms-key' })).toThrow(
      /SMS_API_KEY holds a development secret/,
    );
    expect(() => loadConfig({ ...prod, SIMULATORS: 'on' })).toThrow(/SIMULATORS must be off/);
  });

  it('refuses SQLite in production unless ALLOW_SQLITE=true is set on purpose', () => {
    const sqlite = { ...prod, DATABASE_URL: 'sqlite:/var/lib/yilian/db.sqlite' };
    expect(() => loadConfig(sqlite)).toThrow(/ALLOW_SQLITE/);
    expect(loadConfig({ ...sqlite, ALLOW_SQLITE: 'true' }).databaseUrl).toBe(sqlite.DATABASE_URL);
  });

  it('documents every setting in README, generated from the schema', async () => {
    const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
    for (const name of Object.keys(envSchema.shape)) expect(readme).toMatch(new RegExp(`^\\| \`${name}\` +\\|`, 'm'));
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

  it('documents exactly the routes the real app serves', async () => {
    const doc = (await p.api.get('/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const served = [...p.router.stack, ...p.consoleRouter.stack].flatMap((layer) =>
      layer.methods
        .filter((m) => m !== 'HEAD')
        .map((m) => `${m.toLowerCase()} ${String(layer.path).replace(/:(\w+)/g, '{$1}')}`),
    );
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    expect(served.length).toBeGreaterThan(20);
    expect([...served].sort()).toEqual([...documented].sort());
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
  const capture = () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    return { log: createLogger('info', sink as never), text: () => lines.join('') };
  };

  it('redacts names, ID numbers, phones, tokens and result values at any depth, in messages too', () => {
    const { log, text } = capture();
    log.info(
      {
        visit: {
          family: [{ patient: { name: '王建国', contact: { phone: '13812341234', idNumber: '110101199003071234' } } }],
        },
        req: { headers: { authorization: 'Bearer abc.def' } },
        report: { items: [{ code: 'GLU', value: '7.8' }] },
        deep: { a: { b: { c: { d: { e: { token: 'tok-secret-123' } } } } } },
        code: '482913',
      },
      'patient 13812341234 with 110101199003071234 booked',
    );
    const out = loggedContent(text());
    for (const secret of [
      '王建国',
      '110101199003071234',
      '13812341234',
      'abc.def',
      '7.8',
      'tok-secret-123',
      '482913',
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('[redacted]');
  });

  it('logs a failing query with its error code but without its SQL values or bound parameters', async () => {
    const { log, text } = capture();
    const err = await p.db.sequelize
      .query("SELECT * FROM no_such_table WHERE phone = '13812341234' AND id = $1", { bind: ['110101199003071234'] })
      .catch((e: unknown) => e);
    log.error({ err }, 'query failed');
    const out = JSON.parse(text());
    expect(out.err.code).toBe(p.db.dialect === 'postgres' ? '42P01' : 'SQLITE_ERROR');
    expect(out.err.message).toMatch(/no_such_table/);
    expect(text()).not.toContain('13812341234');
    expect(text()).not.toContain('110101199003071234');
  });

  it('keeps network error codes visible', () => {
    const { log, text } = capture();
    log.warn({ err: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) }, 'x');
    expect(JSON.parse(text()).err.code).toBe('ECONNREFUSED');
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
