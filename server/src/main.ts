import { loadConfig, ConfigError } from './config';
import { createLogger } from './logger';
import { startPlatform } from './server';

/** Process entry: configuration, then the platform; SIGTERM/SIGINT drain it before exiting. */
async function main() {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const platform = await startPlatform(config, log);
  const stop = (signal: string) => {
    // A second signal, or a shutdown that hangs past its deadline, exits at once.
    const force = setTimeout(() => process.exit(1), config.shutdownTimeoutMs + 5000);
    force.unref();
    platform.shutdown(signal).then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
