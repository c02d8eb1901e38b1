import { z, type ZodType } from 'zod';

/**
 * Typed configuration read once from the environment. Development and test
 * (NODE_ENV=development|test, which `npm start`, the dev scripts and jest
 * set) get working defaults for everything. Any other NODE_ENV, unset
 * included, is production: development secrets, simulators and demo data are
 * refused, every setting marked required must be set, and SQLite needs
 * ALLOW_SQLITE=true. README's configuration table is generated from this
 * schema (`npm run docs:config`; CI checks it is current).
 */
export const DEV_SECRET_MARK = 'dev-only';

/** What README says of a variable. `production: 'required'` makes it mandatory there. */
export interface SettingDoc {
  description: string;
  /** Shown as the default when the default is computed rather than a constant. */
  defaultText?: string;
  production?: 'required' | string;
}

const documented = <T extends ZodType>(schema: T, doc: SettingDoc): T => schema.meta({ doc }) as T;

const bool = z.enum(['true', 'false', '1', '0', 'on', 'off']).transform((v) => v === 'true' || v === '1' || v === 'on');
const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(def);
const port = (def: number) => int(def, 0, 65535);
const secret = (name: string, min = 1) => z.string().min(min).default(`${DEV_SECRET_MARK}-${name}`);

const s = documented;

export const envSchema = z.object({
  NODE_ENV: s(z.string().optional(), {
    description: '`development` or `test` allow development defaults; any other value, or none, is production',
    defaultText: 'unset (production); `npm start` and the dev scripts set `development`',
  }),
  HOST: s(z.string().default('127.0.0.1'), { description: 'interface to listen on' }),
  PORT: s(port(3000), { description: 'HTTP port' }),
  TRUST_PROXY_HOPS: s(int(0, 0, 10), {
    description:
      'reverse proxies in front that append to X-Forwarded-For; the client address is the entry that many hops from the right. 0 ignores the header',
    production: 'the number of proxies, e.g. `1` behind one load balancer',
  }),
  LOG_LEVEL: s(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), {
    description: 'pino log level',
  }),
  SHUTDOWN_TIMEOUT_MS: s(int(10_000, 100, 120_000), {
    description: 'on SIGTERM: time allowed to finish in-flight requests and queued bookings before exiting',
  }),
  DATABASE_URL: s(z.string().default('sqlite:data/yilian.sqlite'), {
    description: 'SQLite file or PostgreSQL URL',
    production: 'required: `postgres://user:pass@host:5432/db`',
  }),
  ALLOW_SQLITE: s(bool.default(false), {
    description: 'production refuses SQLite unless this is set on purpose (a single-server installation)',
  }),
  DB_POOL_MAX: s(int(10, 1, 100), { description: 'PostgreSQL pool size' }),
  SIMULATORS: s(bool.optional(), {
    description: 'start the HIS, WeChat, SMS and identity simulators inside the server process',
    defaultText: 'on in development',
    production: 'must be off',
  }),
  SIM_HIS_PORT: s(port(3101), { description: 'HIS simulator port' }),
  SIM_WECHAT_PORT: s(port(3102), { description: 'WeChat simulator port' }),
  SIM_SMS_PORT: s(port(3103), { description: 'SMS simulator port' }),
  SIM_IDENTITY_PORT: s(port(3104), { description: 'identity-verification simulator port' }),
  SIM_VOICE_PORT: s(port(3105), { description: 'voice-call simulator port' }),
  DEMO_DATA: s(bool.optional(), {
    description: 'register the 38 demo hospitals when the registry is empty',
    defaultText: 'on in development',
    production: 'must be off',
  }),
  DEMO_HIS_BASE_URL: s(z.string().url().optional(), {
    description: 'base URL of the demo hospitals (`<base>/h/<code>`)',
    defaultText: 'the HIS simulator',
  }),
  DEMO_HIS_SECRET: s(secret('his-signing-seed', 16), {
    description: 'derives the demo hospitals\u2019 request-signing secrets (shared with the HIS simulator)',
  }),
  HIS_TIMEOUT_MS: s(int(3000, 50, 60000), { description: 'timeout of one call to a hospital' }),
  HIS_READ_RETRIES: s(int(2, 0, 5), { description: 'retries of idempotent reads only' }),
  HIS_BREAKER_FAILURES: s(int(5, 1, 100), { description: 'consecutive failures that open a hospital\u2019s breaker' }),
  HIS_BREAKER_COOLDOWN_MS: s(int(30000, 100, 3600000), { description: 'how long an open breaker stays open' }),
  HIS_SIGNATURE_MAX_SKEW_SEC: s(int(300, 10, 3600), {
    description: 'largest clock difference accepted on a hospital\u2019s signed answer',
  }),
  CATALOG_TTL_MIN: s(int(60, 1, 7 * 24 * 60), { description: 'how often departments and doctors are re-synced' }),
  SLOT_TTL_SEC: s(int(300, 5, 86400), { description: 'how often a hospital\u2019s slot pool is re-synced' }),
  OUTBOX_INTERVAL_MS: s(int(1000, 50, 600000), { description: 'how often the outbox worker looks for due jobs' }),
  OUTBOX_MAX_ATTEMPTS: s(int(12, 1, 100), {
    description: 'attempts before a job is dead-lettered (backoff doubles from 2 s to 5 min, with jitter)',
  }),
  BOOKING_QUEUE_MAX: s(int(5000, 1, 1_000_000), {
    description: 'bookings waiting for the writer; beyond it 503 `BUSY` with Retry-After',
  }),
  WECHAT_API_BASE_URL: s(z.string().url().optional(), {
    description: 'WeChat server API',
    defaultText: 'the WeChat simulator',
    production: 'required: `https://api.weixin.qq.com`',
  }),
  WECHAT_APPID: s(z.string().min(1).default('wx-dev-yilian'), {
    description: 'mini-program appid',
    production: 'required',
  }),
  WECHAT_SECRET: s(secret('wechat-secret'), { description: 'mini-program app secret', production: 'required' }),
  SMS_API_BASE_URL: s(z.string().url().optional(), {
    description: 'SMS gateway',
    defaultText: 'the SMS simulator',
    production: 'required',
  }),
  SMS_API_KEY: s(secret('sms-key'), { description: 'SMS gateway key', production: 'required' }),
  IDENTITY_API_BASE_URL: s(z.string().url().optional(), {
    description: 'real-name verification provider',
    defaultText: 'the identity simulator',
    production: 'required',
  }),
  IDENTITY_API_KEY: s(secret('identity-key'), { description: 'verification provider key', production: 'required' }),
  VOICE_API_BASE_URL: s(z.string().url().optional(), {
    description: 'text-to-speech call provider (voice notices)',
    defaultText: 'the voice simulator',
    production: 'required',
  }),
  VOICE_API_KEY: s(secret('voice-key'), { description: 'voice provider key', production: 'required' }),
  WECHAT_TEMPLATE_IDS: s(
    z
      .string()
      .default(
        'booking_confirmed:tmpl_booking_confirmed,booking_cancelled:tmpl_booking_cancelled,schedule_changed:tmpl_schedule_changed,waitlist_granted:tmpl_waitlist_granted,visit_reminder:tmpl_visit_reminder,report_ready:tmpl_report_ready,critical_value:tmpl_critical_value,queue_near:tmpl_queue_near,triage_reply:tmpl_triage_reply,measure_reminder:tmpl_measure_reminder',
      ),
    {
      description:
        'subscribe-message template ids from the mini-program admin: `name:templateId` pairs, comma-separated',
      defaultText: 'the simulator\u2019s ids',
      production: 'required',
    },
  ),
  NOTIFY_QUIET_HOURS: s(
    z
      .string()
      .regex(/^\d{2}:\d{2}-\d{2}:\d{2}$/, 'expected HH:MM-HH:MM')
      .default('22:00-08:00'),
    { description: 'Shanghai time without SMS or voice, except urgent notices; the rest wait until it ends' },
  ),
  NOTIFY_REMINDER_TIME: s(
    z
      .string()
      .regex(/^\d{2}:\d{2}$/, 'expected HH:MM')
      .default('20:00'),
    { description: 'visit reminders go out the evening before at this Shanghai time' },
  ),
  NOTIFY_DAILY_CAP_WECHAT: s(int(20, 1, 1000), { description: 'subscribe messages per user a day' }),
  NOTIFY_DAILY_CAP_SMS: s(int(8, 1, 1000), {
    description: 'notice SMS per user a day (urgent notices are not capped)',
  }),
  NOTIFY_DAILY_CAP_VOICE: s(int(3, 1, 1000), {
    description: 'voice calls per user a day (urgent notices are not capped)',
  }),
  NOTIFY_INTERVAL_MS: s(int(1000, 50, 600000), {
    description: 'how often new domain events are turned into notifications',
  }),
  JWT_SECRET: s(secret('jwt-secret-0123456789abcdef', 32), {
    description: 'signs access tokens (HS256); at least 32 characters',
    production: 'required',
  }),
  ACCESS_TOKEN_TTL_SEC: s(int(900, 60, 86400), { description: 'access token lifetime' }),
  REFRESH_TOKEN_TTL_DAYS: s(int(30, 1, 365), { description: 'refresh token (session) lifetime' }),
  PII_ENCRYPTION_KEYS: s(
    z
      .string()
      .regex(/^[\w-]+:[^,]{32,}(,[\w-]+:[^,]{32,})*$/, 'expected keyId:secret(32+ chars)[,keyId:secret...]')
      .default(`k1:${DEV_SECRET_MARK}-pii-encryption-key-0123456789`),
    {
      description:
        '`keyId:secret` pairs, comma-separated: the first encrypts, all decrypt; `npm run pii:rotate` re-encrypts under the first',
      production: 'required',
    },
  ),
  PII_INDEX_KEY: s(secret('pii-blind-index-key-0123456789', 32), {
    description: 'HMAC key of the blind indexes (lookup of encrypted values); never rotate in place',
    production: 'required',
  }),
  PRIVACY_POLICY_VERSION: s(z.string().min(1).default('2026-11-01'), {
    description: 'a new version asks every user for consent again',
  }),
  REDIS_URL: s(z.string().url().optional(), {
    description: 'rate limits shared by several server processes (in memory when unset)',
    production: 'required when more than one server process runs',
  }),
  SMS_CODE_TTL_SEC: s(int(300, 30, 3600), { description: 'sign-in code validity' }),
  SMS_RESEND_INTERVAL_SEC: s(int(60, 0, 3600), { description: 'least time between two codes to one phone' }),
  SMS_DAILY_LIMIT: s(int(10, 1, 1000), {
    description: 'codes a phone gets a day at the normal interval; beyond it one per SMS_THROTTLED_INTERVAL_SEC',
  }),
  SMS_DAILY_LIMIT_PER_IP: s(int(5, 1, 1000), { description: 'codes one address may ask for one phone a day' }),
  SMS_THROTTLED_INTERVAL_SEC: s(int(300, 0, 3600), {
    description: 'interval between codes once a phone is past its daily count (never a hard block)',
  }),
  SMS_CODE_MAX_ATTEMPTS: s(int(5, 1, 20), { description: 'wrong entries that void a code' }),
  RATE_SMS_PER_IP_PER_HOUR: s(int(300, 1, 1_000_000), { description: 'codes asked for by one address an hour' }),
  RATE_LOGIN_FAILURES_PER_PHONE_IP: s(int(10, 1, 1_000_000), {
    description: 'failed sign-ins for one phone from one address an hour before that address is blocked 15 min',
  }),
  RATE_LOGIN_FAILURES_PER_PHONE: s(int(30, 1, 1_000_000), {
    description: 'failed sign-ins for one phone from all addresses an hour before the phone is blocked 5 min',
  }),
  RATE_LOGIN_FAILURES_PER_IP: s(int(100, 1, 1_000_000), {
    description: 'failed sign-ins from one address an hour before it is blocked 1 h',
  }),
  RATE_LOGIN_PER_IP_PER_MINUTE: s(int(300, 1, 1_000_000), { description: 'sign-in requests per address a minute' }),
  RATE_REFRESH_PER_IP_PER_MINUTE: s(int(600, 1, 1_000_000), { description: 'token refreshes per address a minute' }),
  RATE_READ_PER_IP_PER_MINUTE: s(int(3000, 1, 10_000_000), {
    description: 'public reads per address a minute (hospital Wi-Fi shares one address)',
  }),
  RATE_WRITE_PER_IP_PER_MINUTE: s(int(600, 1, 10_000_000), {
    description: 'cancellations and waitlist changes per address a minute',
  }),
  RATE_VERIFY_PER_ACCOUNT_PER_HOUR: s(int(20, 1, 1_000_000), {
    description: 'real-name verifications per account an hour',
  }),
  RATE_BOOKING_PER_ACCOUNT_PER_MINUTE: s(int(10, 1, 1_000_000), { description: 'bookings per account a minute' }),
  RATE_BOOKING_PER_IP_PER_MINUTE: s(int(1000, 1, 10_000_000), { description: 'bookings per address a minute' }),
  H5_DIST_DIR: s(z.string().default('dist/h5'), { description: 'the H5 build served at `/`' }),
  CONSOLE_DIST_DIR: s(z.string().default('dist/console'), { description: 'the console build served at `/console`' }),
  CONSOLE_IDLE_TIMEOUT_MIN: s(int(30, 1, 24 * 60), { description: 'a console session unused this long ends' }),
  CONSOLE_SESSION_MAX_HOURS: s(int(12, 1, 72), {
    description: 'a console session ends this long after sign-in however busy (absolute lifetime)',
  }),
  CONSOLE_LOCKOUT_FAILURES: s(int(5, 1, 100), {
    description:
      'wrong passwords or codes for one console account within 15 min before it is locked for CONSOLE_LOCKOUT_MIN',
  }),
  CONSOLE_LOCKOUT_FAILURES_PER_IP: s(int(30, 1, 10_000), {
    description: 'wrong console passwords or codes from one address an hour before the address is locked 1 h',
  }),
  CONSOLE_LOCKOUT_MIN: s(int(15, 1, 24 * 60), { description: 'how long a console account stays locked' }),
  RATE_CONSOLE_LOGIN_PER_IP_PER_MINUTE: s(int(30, 1, 100_000), {
    description: 'console sign-in attempts per address a minute (each costs an argon2id hash)',
  }),
  PUBLIC_BASE_URL: s(z.string().url().optional(), {
    description: 'public origin of the H5 site, used in links the platform hands out (report shares)',
    defaultText: '`http://HOST:PORT` (this server)',
    production: 'required: the public HTTPS origin',
  }),
  REPORTS_FRESH_MIN: s(int(10, 0, 7 * 24 * 60), {
    description:
      'a patient\u2019s reports fetched from a hospital this recently are served from our copy without asking it again',
  }),
  REPORTS_RETRY_SEC: s(int(60, 0, 86_400), {
    description:
      'after a hospital failed to answer for a patient, lists name it unavailable without asking it again for this long',
  }),
  REPORTS_LOOKUP_CONCURRENCY: s(int(32, 1, 200), {
    description: 'hospitals one cross-hospital report list asks at the same time',
  }),
  REPORT_CRITICAL_LIMITS_FILE: s(z.string().min(1).optional(), {
    description: 'JSON file of critical limits (危急值) replacing the built-in example table; checked at start',
    defaultText: 'built-in `server/src/modules/reports/data/critical-limits.json`',
  }),
  NAV_MAP_TTL_MIN: s(int(60, 1, 7 * 24 * 60), {
    description: 'how often each hospital\u2019s indoor map is re-fetched from its HIS',
  }),
  RATE_SHARED_VIEW_PER_IP_PER_MINUTE: s(int(120, 1, 10_000_000), {
    description: 'views of shared report links per address a minute',
  }),
  CHECK_IN_OPENS_MIN_BEFORE: s(int(60, 0, 24 * 60), {
    description: 'check-in (签到) opens this many minutes before the slot starts',
  }),
  CHECK_IN_CLOSES_MIN_AFTER: s(int(15, 0, 24 * 60), {
    description: 'check-in closes this many minutes after the slot starts',
  }),
  QUEUE_REFRESH_MS: s(int(5_000, 100, 600_000), {
    description:
      'a clinic room\u2019s queue is read from the hospital at most once per this interval per server process, however many patients watch it',
  }),
  QUEUE_STALE_SEC: s(int(60, 1, 3_600), {
    description: 'queue data older than this (the hospital unreachable meanwhile) is shown as stale',
  }),
  QUEUE_ESTIMATE_SAMPLES: s(int(10, 1, 200), {
    description:
      'recent consultations the waiting-time estimate averages (trimmed mean: the top and bottom 10% dropped)',
  }),
  TRIAGE_UNCLAIMED_FLAG_MIN: s(int(15, 1, 10_080), {
    description: 'minutes after which an unclaimed human triage ticket is flagged in the 分诊工作台 queue',
  }),
});

/** Name -> its README entry, for scripts/config-docs.ts. */
export function settingDocs(): Array<{ name: string; schema: ZodType; doc: SettingDoc }> {
  return Object.entries(envSchema.shape).map(([name, schema]) => ({
    name,
    schema: schema as ZodType,
    doc: (schema as ZodType).meta()?.doc as SettingDoc,
  }));
}

/** Variables production refuses to run without: those documented as required. */
export const REQUIRED_IN_PRODUCTION = settingDocs()
  .filter((x) => x.doc.production?.startsWith('required') && !x.doc.production.includes('when'))
  .map((x) => x.name);

export type Config = ReturnType<typeof loadConfig>;

export class ConfigError extends Error {}

/** Development and test are the only modes with defaults that are safe to ship in the repository. */
export const isProductionEnv = (nodeEnv: string | undefined) => nodeEnv !== 'development' && nodeEnv !== 'test';

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  const production = isProductionEnv(e.NODE_ENV);
  const simulators = e.SIMULATORS ?? !production;
  const local = (p: number) => `http://127.0.0.1:${p}`;

  const config = {
    env: production ? 'production' : (e.NODE_ENV as 'development' | 'test'),
    production,
    host: e.HOST,
    trustProxyHops: e.TRUST_PROXY_HOPS,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    databaseUrl: e.DATABASE_URL,
    dbPoolMax: e.DB_POOL_MAX,
    simulators: {
      enabled: simulators,
      hisPort: e.SIM_HIS_PORT,
      wechatPort: e.SIM_WECHAT_PORT,
      smsPort: e.SIM_SMS_PORT,
      identityPort: e.SIM_IDENTITY_PORT,
      voicePort: e.SIM_VOICE_PORT,
    },
    demoData: e.DEMO_DATA ?? !production,
    demoHisBaseUrl: e.DEMO_HIS_BASE_URL ?? local(e.SIM_HIS_PORT),
    demoHisSecret: e.DEMO_HIS_SECRET,
    his: {
      timeoutMs: e.HIS_TIMEOUT_MS,
      readRetries: e.HIS_READ_RETRIES,
      breakerFailures: e.HIS_BREAKER_FAILURES,
      breakerCooldownMs: e.HIS_BREAKER_COOLDOWN_MS,
      maxSkewSec: e.HIS_SIGNATURE_MAX_SKEW_SEC,
      requireHttps: production,
    },
    catalogTtlMs: e.CATALOG_TTL_MIN * 60_000,
    slotTtlMs: e.SLOT_TTL_SEC * 1000,
    outbox: { intervalMs: e.OUTBOX_INTERVAL_MS, maxAttempts: e.OUTBOX_MAX_ATTEMPTS },
    bookingQueueMax: e.BOOKING_QUEUE_MAX,
    wechat: {
      baseUrl: e.WECHAT_API_BASE_URL ?? local(e.SIM_WECHAT_PORT),
      appId: e.WECHAT_APPID,
      secret: e.WECHAT_SECRET,
    },
    sms: { baseUrl: e.SMS_API_BASE_URL ?? local(e.SIM_SMS_PORT), apiKey: e.SMS_API_KEY },
    identity: { baseUrl: e.IDENTITY_API_BASE_URL ?? local(e.SIM_IDENTITY_PORT), apiKey: e.IDENTITY_API_KEY },
    voice: { baseUrl: e.VOICE_API_BASE_URL ?? local(e.SIM_VOICE_PORT), apiKey: e.VOICE_API_KEY },
    notify: {
      templates: Object.fromEntries(
        e.WECHAT_TEMPLATE_IDS.split(',').map((pair) => pair.split(':') as [string, string]),
      ) as Record<string, string>,
      quietStart: e.NOTIFY_QUIET_HOURS.slice(0, 5),
      quietEnd: e.NOTIFY_QUIET_HOURS.slice(6),
      reminderTime: e.NOTIFY_REMINDER_TIME,
      dailyCap: { wechat: e.NOTIFY_DAILY_CAP_WECHAT, sms: e.NOTIFY_DAILY_CAP_SMS, voice: e.NOTIFY_DAILY_CAP_VOICE },
      intervalMs: e.NOTIFY_INTERVAL_MS,
    },
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
      smsDailyLimitPerIp: e.SMS_DAILY_LIMIT_PER_IP,
      smsThrottledIntervalSec: e.SMS_THROTTLED_INTERVAL_SEC,
      smsCodeMaxAttempts: e.SMS_CODE_MAX_ATTEMPTS,
      smsPerIpPerHour: e.RATE_SMS_PER_IP_PER_HOUR,
      loginFailuresPerPhoneIp: e.RATE_LOGIN_FAILURES_PER_PHONE_IP,
      loginFailuresPerPhone: e.RATE_LOGIN_FAILURES_PER_PHONE,
      loginFailuresPerIp: e.RATE_LOGIN_FAILURES_PER_IP,
      loginPerIpPerMinute: e.RATE_LOGIN_PER_IP_PER_MINUTE,
      refreshPerIpPerMinute: e.RATE_REFRESH_PER_IP_PER_MINUTE,
      readPerIpPerMinute: e.RATE_READ_PER_IP_PER_MINUTE,
      writePerIpPerMinute: e.RATE_WRITE_PER_IP_PER_MINUTE,
      verifyPerAccountPerHour: e.RATE_VERIFY_PER_ACCOUNT_PER_HOUR,
      bookingPerAccountPerMinute: e.RATE_BOOKING_PER_ACCOUNT_PER_MINUTE,
      bookingPerIpPerMinute: e.RATE_BOOKING_PER_IP_PER_MINUTE,
      sharedViewPerIpPerMinute: e.RATE_SHARED_VIEW_PER_IP_PER_MINUTE,
    },
    h5DistDir: e.H5_DIST_DIR,
    console: {
      distDir: e.CONSOLE_DIST_DIR,
      idleMs: e.CONSOLE_IDLE_TIMEOUT_MIN * 60_000,
      maxMs: e.CONSOLE_SESSION_MAX_HOURS * 3_600_000,
      pendingMs: 10 * 60_000,
      secureCookie: production,
      lockoutFailures: e.CONSOLE_LOCKOUT_FAILURES,
      lockoutFailuresPerIp: e.CONSOLE_LOCKOUT_FAILURES_PER_IP,
      lockoutSec: e.CONSOLE_LOCKOUT_MIN * 60,
      loginPerIpPerMinute: e.RATE_CONSOLE_LOGIN_PER_IP_PER_MINUTE,
    },
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://${e.HOST}:${e.PORT}`).replace(/\/+$/, ''),
    reports: {
      freshMs: e.REPORTS_FRESH_MIN * 60_000,
      retryMs: e.REPORTS_RETRY_SEC * 1000,
      lookupConcurrency: e.REPORTS_LOOKUP_CONCURRENCY,
      criticalLimitsFile: e.REPORT_CRITICAL_LIMITS_FILE,
    },
    navigation: { mapTtlMs: e.NAV_MAP_TTL_MIN * 60_000 },
    visit: {
      checkInOpensMs: e.CHECK_IN_OPENS_MIN_BEFORE * 60_000,
      checkInClosesMs: e.CHECK_IN_CLOSES_MIN_AFTER * 60_000,
      queueRefreshMs: e.QUEUE_REFRESH_MS,
      queueStaleMs: e.QUEUE_STALE_SEC * 1000,
      estimateSamples: e.QUEUE_ESTIMATE_SAMPLES,
    },
    triage: { unclaimedFlagMs: e.TRIAGE_UNCLAIMED_FLAG_MIN * 60_000 },
  };

  if (production) assertProductionSafe(config, env);
  return config;
}

function assertProductionSafe(
  config: { simulators: { enabled: boolean }; demoData: boolean; databaseUrl: string },
  env: NodeJS.ProcessEnv,
) {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (typeof value === 'string' && value.includes(DEV_SECRET_MARK))
      problems.push(`${key} holds a development secret`);
  }
  for (const key of REQUIRED_IN_PRODUCTION) {
    if (!env[key]) problems.push(`${key} must be set in production`);
  }
  if (config.simulators.enabled) problems.push('SIMULATORS must be off in production');
  if (config.demoData) problems.push('DEMO_DATA must be off in production');
  if (config.databaseUrl.startsWith('sqlite:') && env.ALLOW_SQLITE !== 'true') {
    problems.push('DATABASE_URL is SQLite: use PostgreSQL, or set ALLOW_SQLITE=true on purpose');
  }
  if (problems.length) throw new ConfigError(`Refusing to start in production:\n  ${problems.join('\n  ')}`);
}
