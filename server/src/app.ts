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
import { compressResponses, serveConsole, serveH5 } from './http/static';
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
import { registerNotifyJobs } from './modules/notifications/deliver';
import { NotificationDispatcher } from './modules/notifications/dispatch';
import { notificationConsoleRoutes } from './modules/notifications/console-routes';
import { NotificationReport } from './modules/notifications/report';
import { notificationRoutes } from './modules/notifications/routes';
import { NotificationService } from './modules/notifications/service';
import { VoiceClient } from './integrations/voice';
import { SharedAccessToken } from './integrations/wechat-token';
import { patientRoutes } from './modules/patients/routes';
import { PatientService } from './modules/patients/service';
import { auditRoutes } from './modules/audit/routes';
import { AuditLog } from './modules/audit/service';
import { ConsoleAppointments } from './modules/console/appointments';
import { ConsoleDashboard } from './modules/console/dashboard';
import { ConsoleHospitals } from './modules/console/hospitals';
import { consoleRoutes } from './modules/console/routes';
import { ConsoleSchedule } from './modules/console/schedule';
import { StaffAccess } from './modules/staff/access';
import { CONSOLE_COOKIE, StaffSessions } from './modules/staff/sessions';
import { staffRoutes } from './modules/staff/routes';
import { StaffService } from './modules/staff/service';
import { StaffSignIn } from './modules/staff/sign-in';
import { reportRoutes } from './modules/reports/routes';
import { loadRules } from './modules/reports/rules';
import { ReportService } from './modules/reports/service';
import { ShareService } from './modules/reports/share';
import { navigationRoutes } from './modules/navigation/routes';
import { NavigationService } from './modules/navigation/service';
import { BillService } from './modules/visit/bills';
import { registerVisitJobs } from './modules/visit/his-jobs';
import { visitRoutes } from './modules/visit/routes';
import { VisitService } from './modules/visit/service';
import { loadKnowledge } from './modules/triage/knowledge';
import { ticketConsoleRoutes, ticketRoutes, triageRoutes } from './modules/triage/routes';
import { TriageService } from './modules/triage/service';
import { healthRoutes } from './modules/health/routes';
import { loadHealthRules } from './modules/health/rules';
import { HealthService } from './modules/health/service';
import { HealthArticles } from './modules/health/articles';
import { HealthReminders } from './modules/health/reminders';
import { articleConsoleRoutes } from './modules/health/console-routes';
import { TicketService } from './modules/triage/tickets';

export const API_PREFIX = '/api/v1';
export const CONSOLE_API_PREFIX = '/api/console/v1';

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
  const C = config.console;
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
      consoleLoginPerIp: { points: C.loginPerIpPerMinute, durationSec: 60 },
      consoleFailPerAccount: { points: C.lockoutFailures, durationSec: 900, blockSec: C.lockoutSec },
      consoleFailPerIp: { points: C.lockoutFailuresPerIp, durationSec: 3600, blockSec: 3600 },
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
  const wechat = new WechatClient(config.wechat);
  wechat.useTokens(new SharedAccessToken({ db, cipher }, 'wechat', () => wechat.fetchAccessToken()));
  const sms = new SmsClient(config.sms);
  const dispatcher = new NotificationDispatcher({ db, log, config: config.notify });
  const reminders = new HealthReminders({ db, accounts, dispatcher, policyVersion: config.privacyPolicyVersion });
  registerNotifyJobs(outbox, {
    db,
    measure: reminders,
    cipher,
    config: config.notify,
    dispatcher,
    providers: { wechat, sms, voice: new VoiceClient(config.voice) },
  });
  // Interpretation rules are data files, checked here: a broken file stops the start.
  const rules = loadRules({ criticalLimitsFile: config.reports.criticalLimitsFile });
  if (!rules.reviewed) log.warn('report interpretation rules are drafts, not yet signed off by a clinician');
  // The triage knowledge base likewise: checked here, a broken file stops the start.
  const triageKb = loadKnowledge();
  if (!triageKb.reviewed) log.warn('triage knowledge base is a draft, not yet signed off by a clinician');
  const hospitals = new HospitalService({ db, log, his, cipher, catalogTtlMs: config.catalogTtlMs });
  const services = {
    hospitals,
    slots: new SlotService({ db, his, cipher, seats, log, ttlMs: config.slotTtlMs }),
    booking: new BookingService({ db, accounts, limits, seats, writer }),
    waitlist: new WaitlistService({ db, accounts }),
    outbox,
    dispatcher,
    notifications: new NotificationService({ db, templates: config.notify.templates }),
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
      wechat,
      sms,
      rules: L,
    }),
    reports: new ReportService(
      { db, his, cipher, rules, accounts, log },
      { ...config.reports, concurrency: config.reports.lookupConcurrency, waitMs: config.his.timeoutMs },
    ),
    shares: new ShareService({ db, cipher, rules, accounts, publicBaseUrl: config.publicBaseUrl }),
    // Classification rules are a data file, checked here: a broken file stops the start.
    health: new HealthService({
      db,
      cipher,
      rules: loadHealthRules(),
      accounts,
      policyVersion: config.privacyPolicyVersion,
    }),
    articles: new HealthArticles({ db }),
    reminders,
    patients: new PatientService({
      db,
      cipher,
      accounts,
      seats,
      limits,
      verifier: deps.verifier ?? new HttpIdentityVerifier(config.identity),
    }),
    /** Providers of notices (tests stand in for a crashing one). */
    sms,
    navigation: new NavigationService({ db, his, cipher, log, mapTtlMs: config.navigation.mapTtlMs }),
    visit: new VisitService({ db, his, cipher, accounts, config: config.visit }),
    bills: new BillService({ db, his, cipher, accounts, log }),
    triage: new TriageService(triageKb, hospitals),
  };
  registerVisitJobs(outbox, { db, his, cipher, log });
  const tickets = new TicketService({
    db,
    cipher,
    accounts,
    engine: services.triage.engine,
    unclaimedFlagMs: config.triage.unclaimedFlagMs,
  });

  const audit = new AuditLog(db);
  const sessions = new StaffSessions(C);
  const staffAccess = new StaffAccess({ sql: db.sql, sessions, production: config.production });
  const staff = {
    audit,
    sessions,
    access: staffAccess,
    signIn: new StaffSignIn({ db, cipher, sessions, limits, production: config.production }),
    staff: new StaffService({ db, sessions }),
    console: {
      hospitals: new ConsoleHospitals({ db, his }),
      schedule: new ConsoleSchedule({ db, seats, slots: services.slots }),
      appointments: new ConsoleAppointments({ db, audit }),
      dashboard: new ConsoleDashboard({ db, his, outbox }),
    },
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
      ...notificationRoutes(services.notifications),
      ...reportRoutes(services),
      ...navigationRoutes(services.navigation),
      ...visitRoutes(services),
      ...triageRoutes(services),
      ...healthRoutes(services),
      ...ticketRoutes({ tickets }),
    ],
    { authenticate: bearerAuthenticator((token) => tokens.authenticate(token)), limiter: limits },
  );

  // The console's API: its own prefix, cookie sessions with CSRF tokens, roles and hospital scope.
  const consoleApi = new Router({ prefix: CONSOLE_API_PREFIX });
  const consoleRouteList = [
    ...staffRoutes({ ...staff, rules: C }),
    ...consoleRoutes({ ...staff.console, outbox, audit }),
    ...auditRoutes(audit),
    ...notificationConsoleRoutes(new NotificationReport({ db })),
    ...articleConsoleRoutes(services.articles),
    ...ticketConsoleRoutes({ tickets }),
  ];
  registry.registerComponent('securitySchemes', 'consoleSession', {
    type: 'apiKey',
    in: 'cookie',
    name: CONSOLE_COOKIE,
    description: 'Console session (HttpOnly, SameSite=Strict), set by consoleLogin',
  });
  registry.registerComponent('securitySchemes', 'consoleCsrf', {
    type: 'apiKey',
    in: 'header',
    name: 'X-CSRF-Token',
    description: 'The session’s csrfToken, on every state-changing console call',
  });
  mountRoutes(consoleApi, registry, CONSOLE_API_PREFIX, consoleRouteList, { staff: staffAccess, limiter: limits });

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
  app.use(compressResponses());
  app.use(serveH5(config.h5DistDir));
  app.use(serveConsole(C.distDir));
  // TLS is terminated in front of the app; upgrading requests here would break plain-HTTP local use.
  app.use(
    helmet({
      crossOriginEmbedderPolicy: false,
      // Doctors' photos come from the hospitals' own HTTPS sites.
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: null, imgSrc: ["'self'", 'data:', 'https:'] } },
    }),
  );
  app.use(bodyParser({ enableTypes: ['json'], jsonLimit: '256kb', encoding: 'utf-8' }));
  app.use(root.routes());
  app.use(api.routes());
  app.use(api.allowedMethods({ throw: false }));
  app.use(consoleApi.routes());
  app.use(consoleApi.allowedMethods({ throw: false }));
  return {
    app,
    // The staff console's services under their own key: `signIn` is the patients'.
    services: { ...services, staff, tickets },
    router: api,
    consoleRouter: consoleApi,
    consoleRoutes: consoleRouteList,
    close: async () => void (await redis?.quit()),
  };
}
