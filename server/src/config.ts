import { z } from 'zod';

/**
 * Typed configuration read once from the environment. Every variable has a
 * development default so `npm start` works on a fresh clone; production
 * (NODE_ENV=production) refuses the development secrets and the simulators.
 */
const DEV_SECRET_MARK = 'dev-only';

const bool = z.enum(['true', 'false', '1', '0', 'on', 'off']).transform((v) => v === 'true' || v === '1' || v === 'on');
const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(def);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: int(3000, 0, 65535),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.string().default('sqlite:data/yilian.sqlite'),
  DB_POOL_MAX: int(10, 1, 100),
  /** Start the HIS, WeChat and SMS simulators inside this process. */
  SIMULATORS: bool.optional(),
  SIM_HIS_PORT: int(3101, 0, 65535),
  SIM_WECHAT_PORT: int(3102, 0, 65535),
  SIM_SMS_PORT: int(3103, 0, 65535),
  /** Load the demo hospital registry on start when the database has none. */
  DEMO_DATA: bool.optional(),
  /** Base URL under which demo hospitals' HIS endpoints live (`<base>/h/<code>`). */
  DEMO_HIS_BASE_URL: z.string().url().optional(),
  HIS_TIMEOUT_MS: int(3000, 50, 60000),
  HIS_READ_RETRIES: int(2, 0, 5),
  HIS_BREAKER_FAILURES: int(5, 1, 100),
  HIS_BREAKER_COOLDOWN_MS: int(30000, 100, 3600000),
  /** Hospital catalogs (departments, doctors) older than this are refreshed. */
  CATALOG_TTL_MIN: int(60, 1, 7 * 24 * 60),
  WECHAT_API_BASE_URL: z.string().url().optional(),
  WECHAT_APPID: z.string().min(1).default('wx-dev-yilian'),
  WECHAT_SECRET: z.string().min(1).default(`${DEV_SECRET_MARK}-wechat-secret`),
  SMS_API_BASE_URL: z.string().url().optional(),
  SMS_API_KEY: z.string().min(1).default(`${DEV_SECRET_MARK}-sms-key`),
  H5_DIST_DIR: z.string().default('dist/h5'),
});

export type Config = ReturnType<typeof loadConfig>;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const simulators = e.SIMULATORS ?? !production;
  const local = (port: number) => `http://127.0.0.1:${port}`;

  const config = {
    env: e.NODE_ENV,
    production,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    databaseUrl: e.DATABASE_URL,
    dbPoolMax: e.DB_POOL_MAX,
    simulators: {
      enabled: simulators,
      hisPort: e.SIM_HIS_PORT,
      wechatPort: e.SIM_WECHAT_PORT,
      smsPort: e.SIM_SMS_PORT,
    },
    demoData: e.DEMO_DATA ?? !production,
    demoHisBaseUrl: e.DEMO_HIS_BASE_URL ?? local(e.SIM_HIS_PORT),
    his: {
      timeoutMs: e.HIS_TIMEOUT_MS,
      readRetries: e.HIS_READ_RETRIES,
      breakerFailures: e.HIS_BREAKER_FAILURES,
      breakerCooldownMs: e.HIS_BREAKER_COOLDOWN_MS,
    },
    catalogTtlMs: e.CATALOG_TTL_MIN * 60_000,
    wechat: {
      baseUrl: e.WECHAT_API_BASE_URL ?? local(e.SIM_WECHAT_PORT),
      appId: e.WECHAT_APPID,
      secret: e.WECHAT_SECRET,
    },
    sms: { baseUrl: e.SMS_API_BASE_URL ?? local(e.SIM_SMS_PORT), apiKey: e.SMS_API_KEY },
    h5DistDir: e.H5_DIST_DIR,
  };

  if (production) assertProductionSafe(config, env);
  return config;
}

function assertProductionSafe(config: { simulators: { enabled: boolean }; demoData: boolean }, env: NodeJS.ProcessEnv) {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (typeof value === 'string' && value.includes(DEV_SECRET_MARK))
      problems.push(`${key} holds a development secret`);
  }
  for (const key of ['WECHAT_SECRET', 'SMS_API_KEY', 'DATABASE_URL', 'WECHAT_API_BASE_URL', 'SMS_API_BASE_URL']) {
    if (!env[key]) problems.push(`${key} must be set in production`);
  }
  if (config.simulators.enabled) problems.push('SIMULATORS must be off in production');
  if (config.demoData) problems.push('DEMO_DATA must be off in production');
  if (problems.length) throw new ConfigError(`Refusing to start in production:\n  ${problems.join('\n  ')}`);
}
