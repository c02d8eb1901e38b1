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
import { compressResponses, serveH5 } from './http/static';
import { HttpIdentityVerifier, type IdentityVerifier } from './integrations/identity';
import { SmsClient } from './integrations/sms';
import { WechatClient } from './integrations/wechat';
import { PiiCipher } from './privacy/cipher';
import { accountRoutes } from './modules/accounts/routes';
import { AccountService } from './modules/accounts/service';
import { SignInService } from './modules/accounts/sign-in';
import { TokenService } from './modules/accounts/tokens';
import { hospitalRoutes } from './modules/hospitals/routes';
import { HospitalService } from './modules/hospitals/service';
import { OutboxWorker } from './modules/booking/outbox';
import { bookingRoutes } from './modules/booking/routes';
import { BookingService } from './modules/booking/service';
import { SlotService } from './modules/booking/slots';
import { WaitlistService } from './modules/booking/waitlist';
import { BatchWriter } from './modules/booking/writer';
import { patientRoutes } from './modules/patients/routes';
import { PatientService } from './modules/patients/service';

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
      loginPerIp: { points: L.loginPerIpPerMinute, durationSec: 60 },
      loginPerPhone: { points: L.loginPerPhonePerHour, durationSec: 3600 },
      loginPerAccount: { points: L.loginPerAccountPerHour, durationSec: 3600 },
      verifyPerAccount: { points: L.verifyPerAccountPerHour, durationSec: 3600 },
      bookingPerAccount: { points: L.bookingPerAccountPerMinute, durationSec: 60 },
      bookingPerIp: { points: L.bookingPerIpPerMinute, durationSec: 60 },
    },
    redis,
  );
  const cipher = new PiiCipher(config.pii);
  const tokens = new TokenService(db, config.auth);
  const accounts = new AccountService({ db, cipher, tokens, policyVersion: config.privacyPolicyVersion });
  const his = deps.his ?? new HttpHisClient(config.his, log);
  const services = {
    hospitals: new HospitalService({ db, log, his, catalogTtlMs: config.catalogTtlMs }),
    slots: new SlotService({ db, his, log, ttlMs: config.slotTtlMs }),
    booking: new BookingService({ db, accounts, limits, writer: new BatchWriter(db) }),
    waitlist: new WaitlistService({ db, accounts }),
    outbox: new OutboxWorker({ db, his, cipher, log }),
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
    patients: new PatientService({
      db,
      cipher,
      accounts,
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
    ],
    bearerAuthenticator((token) => tokens.authenticate(token)),
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
  // Behind a reverse proxy, the client address comes from X-Forwarded-For (per-IP limits need it).
  app.proxy = config.trustProxy;
  app.on('error', (err: NodeJS.ErrnoException) => {
    // A patient closing the page mid-download is not a server fault.
    const aborted = ['ERR_STREAM_PREMATURE_CLOSE', 'ECONNRESET', 'EPIPE'].includes(err.code ?? '');
    log[aborted ? 'debug' : 'error']({ err }, 'response stream error');
  });
  app.use(requestContext(log));
  app.use(errorHandler);
  app.use(compressResponses());
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
  return { app, services, close: async () => void (await redis?.quit()) };
}
