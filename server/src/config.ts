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
  /** Set when a reverse proxy in front sets X-Forwarded-For. */
  TRUST_PROXY: bool.default(false),
  PORT: int(3000, 0, 65535),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.string().default('sqlite:data/yilian.sqlite'),
  DB_POOL_MAX: int(10, 1, 100),
  /** Start the HIS, WeChat and SMS simulators inside this process. */
  SIMULATORS: bool.optional(),
  SIM_HIS_PORT: int(3101, 0, 65535),
  SIM_WECHAT_PORT: int(3102, 0, 65535),
  SIM_SMS_PORT: int(3103, 0, 65535),
  SIM_IDENTITY_PORT: int(3104, 0, 65535),
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
  /** Slot pools older than this are re-synced from the HIS. */
  SLOT_TTL_SEC: int(300, 5, 86400),
  OUTBOX_INTERVAL_MS: int(1000, 50, 600000),
  WECHAT_API_BASE_URL: z.string().url().optional(),
  WECHAT_APPID: z.string().min(1).default('wx-dev-yilian'),
  WECHAT_SECRET: z.string().min(1).default(`${DEV_SECRET_MARK}-wechat-secret`),
  SMS_API_BASE_URL: z.string().url().optional(),
  SMS_API_KEY: z.string().min(1).default(`${DEV_SECRET_MARK}-sms-key`),
  IDENTITY_API_BASE_URL: z.string().url().optional(),
  IDENTITY_API_KEY: z.string().min(1).default(`${DEV_SECRET_MARK}-identity-key`),
  /** Signs access tokens (HS256); at least 32 characters. */
  JWT_SECRET: z.string().min(32).default(`${DEV_SECRET_MARK}-jwt-secret-0123456789abcdef`),
  ACCESS_TOKEN_TTL_SEC: int(900, 60, 86400),
  REFRESH_TOKEN_TTL_DAYS: int(30, 1, 365),
  /** `keyId:secret` pairs, comma-separated; the first encrypts, all decrypt (rotation). */
  PII_ENCRYPTION_KEYS: z
    .string()
    .regex(/^[\w-]+:[^,]{32,}(,[\w-]+:[^,]{32,})*$/, 'expected keyId:secret(32+ chars)[,keyId:secret...]')
    .default(`k1:${DEV_SECRET_MARK}-pii-encryption-key-0123456789`),
  /** HMAC key for blind indexes (lookup and uniqueness of encrypted values). Never rotate in place. */
  PII_INDEX_KEY: z.string().min(32).default(`${DEV_SECRET_MARK}-pii-blind-index-key-0123456789`),
  PRIVACY_POLICY_VERSION: z.string().min(1).default('2026-11-01'),
  /** Rate limits are kept in Redis when set (several server processes), in memory otherwise. */
  REDIS_URL: z.string().url().optional(),
  SMS_CODE_TTL_SEC: int(300, 30, 3600),
  SMS_RESEND_INTERVAL_SEC: int(60, 0, 3600),
  SMS_DAILY_LIMIT: int(10, 1, 1000),
  SMS_CODE_MAX_ATTEMPTS: int(5, 1, 20),
  RATE_SMS_PER_IP_PER_HOUR: int(300, 1, 1_000_000),
  RATE_LOGIN_PER_PHONE_PER_HOUR: int(20, 1, 1_000_000),
  RATE_LOGIN_PER_IP_PER_MINUTE: int(300, 1, 1_000_000),
  RATE_LOGIN_PER_ACCOUNT_PER_HOUR: int(30, 1, 1_000_000),
  RATE_VERIFY_PER_ACCOUNT_PER_HOUR: int(20, 1, 1_000_000),
  RATE_BOOKING_PER_ACCOUNT_PER_MINUTE: int(10, 1, 1_000_000),
  RATE_BOOKING_PER_IP_PER_MINUTE: int(1000, 1, 10_000_000),
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
    trustProxy: e.TRUST_PROXY,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    databaseUrl: e.DATABASE_URL,
    dbPoolMax: e.DB_POOL_MAX,
    simulators: {
      enabled: simulators,
      hisPort: e.SIM_HIS_PORT,
      wechatPort: e.SIM_WECHAT_PORT,
      smsPort: e.SIM_SMS_PORT,
      identityPort: e.SIM_IDENTITY_PORT,
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
    slotTtlMs: e.SLOT_TTL_SEC * 1000,
    outboxIntervalMs: e.OUTBOX_INTERVAL_MS,
    wechat: {
      baseUrl: e.WECHAT_API_BASE_URL ?? local(e.SIM_WECHAT_PORT),
      appId: e.WECHAT_APPID,
      secret: e.WECHAT_SECRET,
    },
    sms: { baseUrl: e.SMS_API_BASE_URL ?? local(e.SIM_SMS_PORT), apiKey: e.SMS_API_KEY },
    identity: { baseUrl: e.IDENTITY_API_BASE_URL ?? local(e.SIM_IDENTITY_PORT), apiKey: e.IDENTITY_API_KEY },
    auth: {
      jwtSecret: e.JWT_SECRET,
      accessTtlSec: e.ACCESS_TOKEN_TTL_SEC,
      refreshTtlMs: e.REFRESH_TOKEN_TTL_DAYS * 86_400_000,
    },
    pii: {
      keys: e.PII_ENCRYPTION_KEYS.split(',').map((pair) => {
        const at = pair.indexOf(':');
        return { id: pair.slice(0, at), secret: pair.slice(at + 1) };
      }),
      indexKey: e.PII_INDEX_KEY,
    },
    privacyPolicyVersion: e.PRIVACY_POLICY_VERSION,
    redisUrl: e.REDIS_URL,
    limits: {
      smsCodeTtlSec: e.SMS_CODE_TTL_SEC,
      smsResendIntervalSec: e.SMS_RESEND_INTERVAL_SEC,
      smsDailyLimit: e.SMS_DAILY_LIMIT,
      smsCodeMaxAttempts: e.SMS_CODE_MAX_ATTEMPTS,
      smsPerIpPerHour: e.RATE_SMS_PER_IP_PER_HOUR,
      loginPerPhonePerHour: e.RATE_LOGIN_PER_PHONE_PER_HOUR,
      loginPerIpPerMinute: e.RATE_LOGIN_PER_IP_PER_MINUTE,
      loginPerAccountPerHour: e.RATE_LOGIN_PER_ACCOUNT_PER_HOUR,
      verifyPerAccountPerHour: e.RATE_VERIFY_PER_ACCOUNT_PER_HOUR,
      bookingPerAccountPerMinute: e.RATE_BOOKING_PER_ACCOUNT_PER_MINUTE,
      bookingPerIpPerMinute: e.RATE_BOOKING_PER_IP_PER_MINUTE,
    },
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
  const required = [
    'DATABASE_URL',
    'WECHAT_SECRET',
    'WECHAT_API_BASE_URL',
    'SMS_API_KEY',
    'SMS_API_BASE_URL',
    'IDENTITY_API_KEY',
    'IDENTITY_API_BASE_URL',
    'JWT_SECRET',
    'PII_ENCRYPTION_KEYS',
    'PII_INDEX_KEY',
  ];
  for (const key of required) {
    if (!env[key]) problems.push(`${key} must be set in production`);
  }
  if (config.simulators.enabled) problems.push('SIMULATORS must be off in production');
  if (config.demoData) problems.push('DEMO_DATA must be off in production');
  if (problems.length) throw new ConfigError(`Refusing to start in production:\n  ${problems.join('\n  ')}`);
}
