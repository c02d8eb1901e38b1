import http from 'node:http';
import { loadConfig, ConfigError } from './config';
import { createLogger } from './logger';
import { prepareDb } from './db/setup';
import { seedDemoData } from './db/seed/demo';
import { createApp } from './app';
import { startSimulators, type Simulators } from '../sim';

/** Process entry: configuration, database, simulators in development, then listen. */
async function main() {
  const config = loadConfig();
  const log = createLogger(config.logLevel);

  let sims: Simulators | undefined;
  if (config.simulators.enabled) {
    sims = await startSimulators({
      hisPort: config.simulators.hisPort,
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
  if (config.demoData) {
    const n = await seedDemoData(config.demoHisBaseUrl);
    if (n) log.info({ hospitals: n }, 'demo hospitals registered');
  }

  const { app, services, close } = createApp({ config, db, log });
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  log.info(`医联云健康 listening on http://${config.host}:${config.port}`);

  // Catalogs are refreshed in the background; the API serves what is stored meanwhile.
  const syncAll = () =>
    services.hospitals.syncAll().then(
      (r) => log.info(r, 'hospital catalogs synced'),
      (err) => log.error({ err }, 'sync failed'),
    );
  void syncAll();
  const timer = setInterval(syncAll, config.catalogTtlMs);
  // The outbox worker tells hospitals about bookings and cancellations, retrying while they are down.
  const outbox = setInterval(
    () => void services.outbox.runOnce().catch((err) => log.error({ err }, 'outbox run failed')),
    config.outboxIntervalMs,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    clearInterval(timer);
    clearInterval(outbox);
    server.close();
    server.closeIdleConnections();
    await close();
    await sims?.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
