import type { AddressInfo } from 'node:net';
import type { Config } from './config';
import type { Logger } from './logger';
import { prepareDb } from './db/setup';
import { seedDemoData } from './db/seed/demo';
import { seedDemoStaff } from './modules/staff/demo';
import { createApp } from './app';
import { createHttpServer } from './http/node-server';
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
      voicePort: config.simulators.voicePort,
      voiceApiKey: config.voice.apiKey,
    });
    log.info(
      {
        his: sims.his.url,
        wechat: sims.wechat.url,
        sms: sims.sms.url,
        identity: sims.identity.url,
        voice: sims.voice.url,
      },
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
  if (config.demoData && (await services.articles.seedIfEmpty())) log.info('health knowledge articles seeded');
  const server = createHttpServer(app);
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
  // The outbox worker delivers to hospitals, WeChat, SMS and voice, retrying while they are down.
  const outboxTimer = setInterval(
    () => void services.outbox.runOnce().catch((err) => log.error({ err }, 'outbox run failed')),
    config.outbox.intervalMs,
  );
  // New domain events become notifications (inbox entries and outbox delivery jobs).
  let dispatching: Promise<unknown> = Promise.resolve();
  const notifyTimer = setInterval(() => {
    dispatching = services.dispatcher.dispatchOnce().catch((err) => log.error({ err }, 'notification dispatch failed'));
  }, config.notify.intervalMs);

  // 即将叫号 also reaches patients who are not watching the queue page (at most one hospital read per room per interval).
  let watching: Promise<unknown> | undefined; // one run at a time, even when a hospital is slow
  const queueTimer = setInterval(() => {
    watching ??= services.visit
      .watchQueues()
      .catch((err) => log.error({ err }, 'queue watch failed'))
      .finally(() => (watching = undefined));
  }, config.visit.queueRefreshMs);

  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string) =>
    (stopping ??= (async () => {
      log.info({ reason }, 'shutting down: no new connections; finishing in-flight requests and bookings');
      clearInterval(catalogTimer);
      clearInterval(outboxTimer);
      clearInterval(notifyTimer);
      clearInterval(queueTimer);
      const deadline = setTimeout(() => {
        log.warn('shutdown deadline reached: closing remaining connections');
        server.closeAllConnections();
      }, config.shutdownTimeoutMs);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
      // Work the requests started: queued bookings, outbox deliveries, hospital syncs.
      const background = Promise.all([
        services.writer.idle(),
        services.health.records.idle(),
        services.outbox.idle(),
        dispatching,
        watching,
        services.hospitals.stop(),
        services.navigation.stop(),
        services.slots.idle(),
      ]);
      const late = new Promise((resolve) => setTimeout(resolve, config.shutdownTimeoutMs).unref());
      if ((await Promise.race([background.then(() => 'done'), late])) !== 'done') {
        log.warn('shutdown deadline reached with background work unfinished');
      }
      clearTimeout(deadline);
      await close();
      await sims?.close();
      await db.close();
      log.info('shut down cleanly');
    })());

  return { url, services, shutdown };
}
