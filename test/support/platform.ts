import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import axios from 'axios';
import { Client } from 'pg';
import supertest from 'supertest';
import { createApp } from '../../server/src/app';
import { loadConfig } from '../../server/src/config';
import { prepareDb } from '../../server/src/db/setup';
import { seedDemoData } from '../../server/src/db/seed/demo';
import { HttpHisClient, type HisClientOptions } from '../../server/src/his';
import { createLogger } from '../../server/src/logger';
import { startSimulators } from '../../server/sim';
import { TEST_HIS_SIGNING_SEED, type Faults } from '../../server/sim/his/server';
import { PiiCipher } from '../../server/src/privacy/cipher';

export const TEST_WECHAT = { appId: 'wx-test', secret: 'test-wechat-secret' };
export const TEST_SMS_KEY = 'test-sms-key';
export const TEST_IDENTITY_KEY = 'test-identity-key';
export const TEST_VOICE_KEY = 'test-voice-key';
export const TEST_SIMULATORS = {
  wechat: TEST_WECHAT,
  smsApiKey: TEST_SMS_KEY,
  identityApiKey: TEST_IDENTITY_KEY,
  hisSigningSeed: TEST_HIS_SIGNING_SEED,
  voiceApiKey: TEST_VOICE_KEY,
};

/**
 * A fresh database for one test file: a temporary SQLite file by default, or
 * a new PostgreSQL database when DATABASE_URL points at a server.
 */
export const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/test';

export async function createTestDatabase(
  kind: 'default' | 'postgres' = 'default',
): Promise<{ url: string; drop(): Promise<void> }> {
  const base = kind === 'postgres' ? LOCAL_POSTGRES : process.env.DATABASE_URL;
  if (base?.startsWith('postgres')) {
    const name = `yl_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      drop: async () => {
        const c = new Client({ connectionString: base });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'yl-test-'));
  return {
    url: `sqlite:${path.join(dir, 'test.sqlite')}`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface TestPlatformOptions {
  his?: Partial<HisClientOptions>;
  h5DistDir?: string;
  /** Extra environment, e.g. tighter rate limits. */
  env?: NodeJS.ProcessEnv;
  /** Use PostgreSQL whatever DATABASE_URL says (tests that need several processes on one database). */
  database?: 'default' | 'postgres';
  /** Where the app's log lines go (at debug level), for tests that read them. */
  logStream?: { write(line: string): void };
}

/** The real app with real simulators on free ports and a fresh database. */
export async function startTestPlatform(options: TestPlatformOptions = {}) {
  const sims = await startSimulators(TEST_SIMULATORS);
  const database = await createTestDatabase(options.database);
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    TRUST_PROXY_HOPS: '1',
    DEMO_HIS_SECRET: TEST_HIS_SIGNING_SEED,
    WECHAT_API_BASE_URL: sims.wechat.url,
    WECHAT_APPID: TEST_WECHAT.appId,
    WECHAT_SECRET: TEST_WECHAT.secret,
    SMS_API_BASE_URL: sims.sms.url,
    SMS_API_KEY: TEST_SMS_KEY,
    IDENTITY_API_BASE_URL: sims.identity.url,
    IDENTITY_API_KEY: TEST_IDENTITY_KEY,
    VOICE_API_BASE_URL: sims.voice.url,
    VOICE_API_KEY: TEST_VOICE_KEY,
    H5_DIST_DIR: options.h5DistDir ?? 'dist/none',
    ...options.env,
  });
  const log = options.logStream
    ? createLogger('debug', options.logStream)
    : createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const db = await prepareDb(database.url);
  await seedDemoData({
    hisBaseUrl: sims.his.url,
    signingSeed: TEST_HIS_SIGNING_SEED,
    cipher: new PiiCipher(config.pii),
  });
  const his = new HttpHisClient(
    { ...config.his, timeoutMs: 1000, readRetries: 1, breakerFailures: 3, breakerCooldownMs: 60_000, ...options.his },
    log,
  );
  const { app, services, router, consoleRouter, consoleRoutes, close } = createApp({ config, db, his, log });
  const simHttp = axios.create({ baseURL: sims.his.url });
  return {
    app,
    services,
    router,
    consoleRouter,
    consoleRoutes,
    config,
    db,
    his,
    sims,
    databaseUrl: database.url,
    api: supertest(app.callback()),
    /** Sets faults on one simulated hospital (by hospital code). */
    setFaults: (code: string, faults: Partial<Faults>) => simHttp.put(`/__sim/hospitals/${code}/faults`, faults),
    close: async () => {
      await close();
      await db.close();
      await sims.close();
      await database.drop();
    },
  };
}

export type TestPlatform = Awaited<ReturnType<typeof startTestPlatform>>;

/**
 * Log lines without each line's own time and request id, whose digits can
 * spell a value by chance (…59.107Z holds 107): what tests check for secrets.
 */
export const loggedContent = (lines: string | string[]) =>
  (Array.isArray(lines) ? lines.join('\n') : lines).replace(/"(time|reqId)":"[^"]*"/g, '');
