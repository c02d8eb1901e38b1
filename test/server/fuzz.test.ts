import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import fc from 'fast-check';
import supertest from 'supertest';
import { createHttpServer } from '../../server/src/http/node-server';
import { signInWithConsent, type Session } from '../support/accounts';
import { startTestPlatform, type TestPlatform } from '../support/platform';

/**
 * Property test over the whole API: every operation of the OpenAPI document
 * gets wrong types, missing and extra fields, huge strings, odd Unicode,
 * negative and huge numbers, bad ids and bad tokens. Every answer must be a
 * 2xx or a 4xx in the documented error shape: never a 5xx, a hang or a stack
 * trace. CI runs a fixed seed and a bounded count; `npm run fuzz` runs long
 * (FUZZ_RUNS, FUZZ_SEED).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
const SEED = Number(process.env.FUZZ_SEED ?? 20261127);

interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  op: {
    operationId: string;
    security: Array<Record<string, unknown>>;
    parameters?: Array<{ name: string; in: string; schema?: { type?: string } }>;
    requestBody?: unknown;
  };
}

let p: TestPlatform;
let session: Session;
let operations: Operation[];
/** The app on a real socket through the server's own HTTP server, so Node-level refusals are tested too. */
let server: http.Server;
let api: ReturnType<typeof supertest>;
beforeAll(async () => {
  p = await startTestPlatform({
    env: {
      RATE_READ_PER_IP_PER_MINUTE: '1000000',
      RATE_WRITE_PER_IP_PER_MINUTE: '1000000',
      RATE_REFRESH_PER_IP_PER_MINUTE: '1000000',
      RATE_LOGIN_PER_IP_PER_MINUTE: '1000000',
      RATE_SMS_PER_IP_PER_HOUR: '1000000',
      RATE_LOGIN_FAILURES_PER_IP: '1000000',
      RATE_BOOKING_PER_IP_PER_MINUTE: '1000000',
      RATE_BOOKING_PER_ACCOUNT_PER_MINUTE: '1000000',
      RATE_VERIFY_PER_ACCOUNT_PER_HOUR: '1000000',
    },
  });
  session = await signInWithConsent(p);
  server = createHttpServer(p.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api = supertest(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const doc = (await p.api.get('/api/openapi.json')).body as { paths: Record<string, Record<string, Operation['op']>> };
  operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ method: method as Operation['method'], path, op })),
  );
}, 60_000);
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await p.close();
});

const oddStrings = fc.oneof(
  fc.constantFrom(
    '',
    '\u0000',
    'a\u0000b',
    '%00',
    '../../etc/passwd',
    "' OR 1=1 --",
    '<script>alert(1)</script>',
    '\ud800',
    '\u202e\u0635\u0648\u0631\u0629',
    '👨‍👩‍👧‍👦'.repeat(50),
    'Ｘ'.repeat(300),
    '0x7fffffff',
    'NaN',
    '-1',
    '1e309',
    'null',
    'undefined',
    'hsp_0000000000000000',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ minLength: 10_000, maxLength: 20_000 }).map((s) => s || 'x'.repeat(10_000)),
);
const oddNumbers = fc.oneof(
  fc.constantFrom(-1, 0, -0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 0.5, 2 ** 31, -(2 ** 63)),
  fc.integer(),
  fc.double({ noNaN: true }),
);
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  oddStrings,
  oddNumbers,
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(oddStrings, oddNumbers), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), oddStrings, { maxKeys: 4 }),
);
/** Bodies: wrong shapes, random objects with plausible field names, arrays, scalars. */
const fieldNames = fc.constantFrom(
  'phone',
  'code',
  'name',
  'idNumber',
  'relation',
  'slotId',
  'patientId',
  'refreshToken',
  'kind',
  'policyVersion',
  'page',
  'pageSize',
  '__proto__',
  'constructor',
  'isAdmin',
);
const body = fc.oneof(
  fc.dictionary(fieldNames, oddValue, { maxKeys: 6 }),
  fc.dictionary(fc.string({ maxLength: 12 }), oddValue, { maxKeys: 4 }),
  fc.array(oddValue, { maxLength: 4 }),
  oddValue,
);
const token = fc.constantFrom('none', 'valid', 'garbage', 'expired-shape', 'not-bearer');

const request = (o: Operation) =>
  fc.record({
    pathValues: fc.array(oddStrings, { minLength: 3, maxLength: 3 }),
    query: fc.dictionary(
      fc.oneof(
        fc.constantFrom(...(o.op.parameters ?? []).filter((x) => x.in === 'query').map((x) => x.name), 'page'),
        fc.string({ maxLength: 6 }),
      ),
      oddStrings,
      { maxKeys: 4 },
    ),
    body,
    rawBody: fc.option(fc.constantFrom('{"a":', 'null', '[]', '"x"', '{}'.repeat(5000)), { nil: undefined }),
    token,
    idempotencyKey: fc.option(oddStrings, { nil: undefined }),
  });

/** Percent-encodes any string, lone surrogates included (as the bytes a client could still send). */
const encode = (v: string) => {
  try {
    return encodeURIComponent(v);
  } catch {
    return '%ED%A0%80';
  }
};

type Request = typeof request extends (o: Operation) => fc.Arbitrary<infer R> ? R : never;

function send(o: Operation, r: Request): supertest.Test {
  let i = 0;
  const path = o.path.replace(/\{\w+\}/g, () => encode(r.pathValues[i++ % 3] || 'x'));
  const qs = new URLSearchParams(Object.entries(r.query).map(([k, v]): [string, string] => [k, String(v)])).toString();
  const url = qs ? `${path}?${qs}` : path;
  const call = (api as unknown as Record<string, (u: string) => supertest.Test>)[o.method](url).timeout(10_000);
  const auth = (
    {
      none: undefined,
      valid: `Bearer ${session.accessToken}`,
      garbage: 'Bearer not.a.jwt.at.all',
      'expired-shape': 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4IiwiZXhwIjoxfQ.c2lnbmF0dXJl',
      'not-bearer': 'Basic YWRtaW46YWRtaW4=',
    } as Record<string, string | undefined>
  )[r.token];
  if (auth) call.set('Authorization', auth);
  if (r.idempotencyKey !== undefined) call.set('Idempotency-Key', r.idempotencyKey.replace(/[^\x20-\x7e]/g, '') || 'k');
  if (o.method === 'get' || o.method === 'delete') return call;
  return call.set('Content-Type', 'application/json').send(r.rawBody ?? JSON.stringify(r.body ?? null));
}

/** What is wrong with an answer, or nothing. */
function judge(res: supertest.Response): string | undefined {
  if (res.status >= 500 || res.status < 200) return `server error ${res.text.slice(0, 200)}`;
  if (/\n\s+at .+:\d+:\d+|node_modules|\.ts:\d+/.test(res.text)) return 'stack trace in the answer';
  if (res.status < 400) return undefined;
  const e = (res.body as { error?: { code?: unknown; message?: unknown } })?.error;
  if (typeof e?.code !== 'string' || !/^[A-Z_]+$/.test(e.code)) return `no error code: ${res.text.slice(0, 120)}`;
  if (typeof e.message !== 'string' || !/[\u4e00-\u9fa5]/.test(e.message)) return `no Chinese message: ${e.message}`;
  return undefined;
}

describe('the whole API under hostile input', () => {
  it(
    `answers every request with a 2xx or a documented 4xx: never a 5xx, a hang or a stack trace (seed ${SEED})`,
    async () => {
      let sent = 0;
      const failures: string[] = [];
      for (const o of operations) {
        await fc.assert(
          fc.asyncProperty(request(o), async (r) => {
            const res = await send(o, r);
            sent++;
            const problem = judge(res);
            if (problem) failures.push(`${o.method.toUpperCase()} ${o.path} → ${res.status}: ${problem}`);
            return !problem;
          }),
          {
            seed: SEED,
            numRuns: RUNS,
            endOnFailure: true,
            verbose: 0,
            // A thrown request (a hang past the timeout, a dropped connection) is a failure too, reported briefly.
            reporter: (run) => {
              if (run.failed && run.errorInstance) {
                failures.push(`${o.method.toUpperCase()} ${o.path}: ${String(run.errorInstance).slice(0, 200)}`);
              }
            },
          },
        );
      }
      const serverErrors = failures.filter((f) => f.includes('server error')).length;
      process.stdout.write(
        `\n[fuzz] ${operations.length} operations, ${sent} requests (seed ${SEED}, ${RUNS} per operation): ` +
          `${serverErrors} answers of 5xx, ${failures.length - serverErrors} other problems\n`,
      );
      expect(failures.slice(0, 10)).toEqual([]);
      expect(sent).toBe(operations.length * RUNS);
    },
    Math.max(120_000, RUNS * 40 * 250),
  );
});
