import net from 'node:net';

/**
 * PostgreSQL and Redis are optional on a developer's machine and required in
 * CI. The test projects' global setup probes them once (probeServices) and
 * leaves the answer in the environment, so a test file decides synchronously
 * whether its PostgreSQL or Redis tests run (describeWith).
 */
export const SERVICES = {
  postgres: {
    url: () =>
      process.env.DATABASE_URL?.startsWith('postgres')
        ? process.env.DATABASE_URL
        : 'postgres://postgres@127.0.0.1:5432/test',
    how: 'start PostgreSQL on 127.0.0.1:5432 (user postgres, database test) or set DATABASE_URL',
  },
  redis: {
    url: () => process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    how: 'start Redis on 127.0.0.1:6379 or set REDIS_URL',
  },
} as const;

export type Service = keyof typeof SERVICES;
const flag = (s: Service) => `YL_TEST_${s.toUpperCase()}`;

function reachable(url: string, timeoutMs = 1000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Probes every service; a missing one is one announced line, or a failure under CI=true. */
export async function probeServices(log: (line: string) => void): Promise<void> {
  for (const name of Object.keys(SERVICES) as Service[]) {
    const url = SERVICES[name].url();
    const ok = await reachable(url);
    process.env[flag(name)] = ok ? 'available' : 'missing';
    if (ok) continue;
    const where = new URL(url).host;
    if (process.env.CI === 'true') throw new Error(`${name} is required in CI but not reachable at ${where}`);
    log(`[tests] ${name} not reachable at ${where}: its tests are skipped. To run them, ${SERVICES[name].how}.`);
  }
}

export const hasService = (s: Service) => process.env[flag(s)] !== 'missing';

/** `describe` when the service answered in the global setup, `describe.skip` otherwise (already announced). */
export const describeWith = (s: Service): jest.Describe => (hasService(s) ? describe : describe.skip);
