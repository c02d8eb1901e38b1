import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config';
import type { Logger } from './logger';
import { prepareDb } from './db/setup';
import { seedDemoData } from './db/seed/demo';
import { seedDemoStaff } from './modules/staff/demo';
import { createApp } from './app';
import { PiiCipher } from './privacy/cipher';
import { rotatePii } from './privacy/rotation';
import { startSimulators, type Simulators } from '../sim';

export interface RunningPlatform {
  url: string;
  services: ReturnType<typeof createApp>['services'];
  /** Stops accepting, lets in-flight requests and queued bookings finish, then closes everything (bounded). */
  shutdown(reason: string): Promise<void>;
}

/**
 * The whole platform in one process: simulators (development), database with
 * migrations, demo data, the HTTP server and the background work (catalog
 * sync, outbox). `main.ts` runs it and stops it on SIGTERM/SIGINT.
 */
export async function startPlatform(config: Config, log: Logger): Promise<RunningPlatform> {
  let sims: Simulators | undefined;
  if (config.simulators.enabled) {
    sims = await startSimulators({
      hisPort: config.simulators.hisPort,
      hisSigningSeed: config.demoHisSecret,
      wechatPort: config.simulators.wechatPort,
      smsPort: config.simulators.smsPort,
      wechat: { appId: config.wechat.appId, secret: config.wechat.secret },
      smsApiKey: config.sms.apiKey,
      identityPort: config.simulators.identityPort,
      identityApiKey: config.identity.apiKey,
    });
    log.info(
      { his: sims.his.url, wechat: sims.wechat.url, sms: sims.sms.url, identity: sims.identity.url },
      'simulators listening',
    );
  }

  const db = await prepareDb(config.databaseUrl, { log, poolMax: config.dbPoolMax });
  const cipher = new PiiCipher(config.pii);
  if (config.demoData) {
    const n = await seedDemoData({ hisBaseUrl: config.demoHisBaseUrl, signingSeed: config.demoHisSecret, cipher });
    if (n) log.info({ hospitals: n }, 'demo hospitals registered');
    const staff = await seedDemoStaff(db);
    if (staff) log.info({ staff }, 'demo console accounts created (README lists them)');
  }

  const { app, services, close } = createApp({ config, db, log });
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host}:${port}`;
  log.info(`医联云健康 listening on ${url}`);

  // Values under an old key (or from before ciphertexts were bound to their rows) move to the current key.
  void rotatePii(db, cipher, log).catch((err) => log.error({ err }, 'PII re-encryption failed'));
  // Catalogs are refreshed in the background; the API serves what is stored meanwhile.
  const syncAll = () =>
    services.hospitals.syncAll().then(
      (r) => log.info(r, 'hospital catalogs synced'),
      (err) => log.error({ err }, 'sync failed'),
    );
  void syncAll();
  const catalogTimer = setInterval(syncAll, config.catalogTtlMs);
  // The outbox worker delivers to hospitals (and later WeChat, SMS, voice), retrying while they are down.
  const outboxTimer = setInterval(
    () => void services.outbox.runOnce().catch((err) => log.error({ err }, 'outbox run failed')),
    config.outbox.intervalMs,
  );

  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string) =>
    (stopping ??= (async () => {
      log.info({ reason }, 'shutting down: no new connections; finishing in-flight requests and bookings');
      clearInterval(catalogTimer);
      clearInterval(outboxTimer);
      const deadline = setTimeout(() => {
        log.warn('shutdown deadline reached: closing remaining connections');
        server.closeAllConnections();
      }, config.shutdownTimeoutMs);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
      await services.writer.idle();
      await services.outbox.idle();
      clearTimeout(deadline);
      await close();
      await sims?.close();
      await db.close();
      log.info('shut down cleanly');
    })());

  return { url, services, shutdown };
}
