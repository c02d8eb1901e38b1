import Koa from 'koa';
import { Router } from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import helmet from 'koa-helmet';
import Redis from 'ioredis';
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Config } from './config';
import type { Db } from './db';
import { HttpHisClient, type HisClient } from './his';
import type { Logger } from './logger';
import { bearerAuthenticator } from './http/auth';
import { errorHandler } from './http/errors';
import { buildOpenApiDocument, mountApiDocs } from './http/openapi';
import { RateLimits } from './http/rate-limit';
import { requestContext } from './http/request-context';
import { mountRoutes } from './http/route';
import { serveH5 } from './http/static';
import { HttpIdentityVerifier, type IdentityVerifier } from './integrations/identity';
import { SmsClient } from './integrations/sms';
import { WechatClient } from './integrations/wechat';
import { PiiCipher } from './privacy/cipher';
import { OutboxRunner } from './outbox/runner';
import { accountRoutes } from './modules/accounts/routes';
import { AccountService } from './modules/accounts/service';
import { SignInService } from './modules/accounts/sign-in';
import { TokenService } from './modules/accounts/tokens';
import { hospitalRoutes } from './modules/hospitals/routes';
import { HospitalService } from './modules/hospitals/service';
import { registerHisJobs } from './modules/booking/his-jobs';
import { bookingRoutes } from './modules/booking/routes';
import { Seats } from './modules/booking/seat';
import { BookingService } from './modules/booking/service';
import { SlotService } from './modules/booking/slots';
import { WaitlistService } from './modules/booking/waitlist';
import { BatchWriter } from './modules/booking/writer';
import { patientRoutes } from './modules/patients/routes';
import { PatientService } from './modules/patients/service';
import { reportRoutes } from './modules/reports/routes';
import { loadRules } from './modules/reports/rules';
import { ReportService } from './modules/reports/service';
import { ShareService } from './modules/reports/share';

export const API_PREFIX = '/api/v1';

export interface AppDeps {
  config: Config;
  db: Db;
  log: Logger;
  /** Defaults to the HTTP client for each hospital's HIS. */
  his?: HisClient;
  /** Defaults to the HTTP identity-verification provider. */
  verifier?: IdentityVerifier;
}

/** Builds the whole app without listening, so tests run the real thing in process. */
export function createApp(deps: AppDeps) {
  const { config, db, log } = deps;
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2 }) : undefined;
  const L = config.limits;
  const limits = new RateLimits(
    {
      smsPerIp: { points: L.smsPerIpPerHour, durationSec: 3600 },
      smsPerPhoneIp: { points: L.smsDailyLimitPerIp, durationSec: 86_400 },
      loginPerIp: { points: L.loginPerIpPerMinute, durationSec: 60 },
      loginFailPerPhoneIp: { points: L.loginFailuresPerPhoneIp, durationSec: 3600, blockSec: 900 },
      loginFailPerPhone: { points: L.loginFailuresPerPhone, durationSec: 3600, blockSec: 300 },
      loginFailPerIp: { points: L.loginFailuresPerIp, durationSec: 3600, blockSec: 3600 },
      refreshPerIp: { points: L.refreshPerIpPerMinute, durationSec: 60 },
      readPerIp: { points: L.readPerIpPerMinute, durationSec: 60 },
      writePerIp: { points: L.writePerIpPerMinute, durationSec: 60 },
      verifyPerAccount: { points: L.verifyPerAccountPerHour, durationSec: 3600 },
      bookingPerAccount: { points: L.bookingPerAccountPerMinute, durationSec: 60 },
      bookingPerIp: { points: L.bookingPerIpPerMinute, durationSec: 60 },
      sharedViewPerIp: { points: L.sharedViewPerIpPerMinute, durationSec: 60 },
    },
    redis,
  );
  const cipher = new PiiCipher(config.pii);
  const tokens = new TokenService(db, config.auth);
  const seats = new Seats({ policyVersion: config.privacyPolicyVersion });
  const accounts = new AccountService({ db, cipher, tokens, seats, policyVersion: config.privacyPolicyVersion });
  const his = deps.his ?? new HttpHisClient(config.his, log);
  const outbox = new OutboxRunner({ db, log }, { maxAttempts: config.outbox.maxAttempts });
  registerHisJobs(outbox, { db, his, cipher, seats });
  const writer = new BatchWriter(db, config.bookingQueueMax);
  // Interpretation rules are data files, checked here: a broken file stops the start.
  const rules = loadRules({ criticalLimitsFile: config.reports.criticalLimitsFile });
  if (!rules.reviewed) log.warn('report interpretation rules are drafts, not yet signed off by a clinician');
  const services = {
    hospitals: new HospitalService({ db, log, his, cipher, catalogTtlMs: config.catalogTtlMs }),
    slots: new SlotService({ db, his, cipher, seats, log, ttlMs: config.slotTtlMs }),
    booking: new BookingService({ db, accounts, limits, seats, writer }),
    waitlist: new WaitlistService({ db, accounts }),
    outbox,
    writer,
    seats,
    cipher,
    tokens,
    accounts,
    signIn: new SignInService({
      db,
      cipher,
      tokens,
      limits,
      wechat: new WechatClient(config.wechat),
      sms: new SmsClient(config.sms),
      rules: L,
    }),
    reports: new ReportService(
      { db, his, cipher, rules, accounts, log },
      { ...config.reports, concurrency: config.reports.lookupConcurrency, waitMs: config.his.timeoutMs },
    ),
    shares: new ShareService({ db, cipher, rules, accounts, publicBaseUrl: config.publicBaseUrl }),
    patients: new PatientService({
      db,
      cipher,
      accounts,
      seats,
      limits,
      verifier: deps.verifier ?? new HttpIdentityVerifier(config.identity),
    }),
  };

  const registry = new OpenAPIRegistry();
  const api = new Router({ prefix: API_PREFIX });
  mountRoutes(
    api,
    registry,
    API_PREFIX,
    [
      ...hospitalRoutes(services.hospitals),
      ...accountRoutes({ ...services, policyVersion: config.privacyPolicyVersion }),
      ...patientRoutes(services.patients),
      ...bookingRoutes(services),
      ...reportRoutes(services),
    ],
    { authenticate: bearerAuthenticator((token) => tokens.authenticate(token)), limiter: limits },
  );

  const root = new Router();
  mountApiDocs(root, buildOpenApiDocument(registry));
  root.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  root.get('/readyz', async (ctx) => {
    try {
      await db.sequelize.query('SELECT 1');
      ctx.body = { status: 'ready' };
    } catch {
      ctx.status = 503;
      ctx.body = { error: { code: 'NOT_READY', message: '服务暂未就绪' } };
    }
  });

  const app = new Koa();
  // Behind reverse proxies, the client address is the X-Forwarded-For entry the nearest
  // trusted proxy appended: entries further left are written by the client and ignored.
  app.proxy = config.trustProxyHops > 0;
  app.maxIpsCount = config.trustProxyHops;
  app.on('error', (err: NodeJS.ErrnoException) => {
    // A patient closing the page mid-download is not a server fault.
    const aborted = ['ERR_STREAM_PREMATURE_CLOSE', 'ECONNRESET', 'EPIPE'].includes(err.code ?? '');
    log[aborted ? 'debug' : 'error']({ err }, 'response stream error');
  });
  app.use(requestContext(log));
  app.use(errorHandler);
  app.use(serveH5(config.h5DistDir));
  // TLS is terminated in front of the app; upgrading requests here would break plain-HTTP local use.
  app.use(
    helmet({
      crossOriginEmbedderPolicy: false,
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    }),
  );
  app.use(bodyParser({ enableTypes: ['json'], jsonLimit: '256kb', encoding: 'utf-8' }));
  app.use(root.routes());
  app.use(api.routes());
  app.use(api.allowedMethods({ throw: false }));
  return { app, services, router: api, close: async () => void (await redis?.quit()) };
}
