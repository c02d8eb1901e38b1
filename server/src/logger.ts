import pino from 'pino';

/**
 * Logs never hold personal data (names, ID numbers, phones), credentials or
 * clinical result values. pino's path-based `redact` reaches fixed depths
 * only, so every line is walked instead: sensitive keys are censored at any
 * depth, in error objects too, and strings that look like an ID number or a
 * mobile number are masked wherever they appear (an error message, a SQL
 * text). Error codes (`ECONNREFUSED`, `23505`, `SLOT_FULL`) stay visible.
 */
const CENSOR = '[redacted]';

const SENSITIVE_KEYS = new Set(
  [
    'name',
    'patientName',
    'fullName',
    'realName',
    'idNumber',
    'id_number',
    'idCard',
    'phone',
    'mobile',
    'callbackPhone',
    'password',
    'token',
    'accessToken',
    'refreshToken',
    'accessCode',
    'x-access-code',
    'secret',
    'session_key',
    'sessionKey',
    'authorization',
    'cookie',
    'set-cookie',
    'value',
    'values',
    'result',
    'items',
    'findings',
    'impression',
    // Bound SQL parameters, and the values a database echoes back.
    'parameters',
    'bind',
    'replacements',
    'detail',
    'fields',
  ].map((k) => k.toLowerCase()),
);

const ID_NUMBER = /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g;
const MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/g;
/** SQL string literals: statements logged or echoed in errors carry their values inline. */
const SQL_LITERAL = /'(?:[^']|'')*'/g;

/** Masks ID numbers and mobile numbers inside free text. */
export function scrubText(text: string): string {
  return text.replace(ID_NUMBER, '[id-number]').replace(MOBILE, '[phone]');
}

/** A SQL statement without its inline values. */
export function scrubSql(sql: string): string {
  return scrubText(sql.replace(SQL_LITERAL, "'?'"));
}

function scrub(value: unknown, key: string, depth: number, seen: WeakSet<object>): unknown {
  const k = key.toLowerCase();
  // An SMS code is digits; an error code (ECONNREFUSED, 23505, SLOT_FULL) is not six-plus digits.
  if (k === 'code' && typeof value === 'string' && /^\d{6,}$/.test(value)) return CENSOR;
  if (SENSITIVE_KEYS.has(k) && value !== null && value !== undefined) return CENSOR;
  if (k === 'sql' && typeof value === 'string') return scrubSql(value);
  if (typeof value === 'string') return scrubText(value);
  if (typeof value !== 'object' || value === null) return value;
  // pino's formatter runs before its serializers: errors are serialized here, at any depth.
  if (value instanceof Error) value = serializeError(value);
  if (seen.has(value as object) || depth > 10) return '[...]';
  seen.add(value as object);
  if (Array.isArray(value)) return value.map((v) => scrub(v, '', depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [child, v] of Object.entries(value as object)) out[child] = scrub(v, child, depth + 1, seen);
  return out;
}

/** Deep-redacts one log object (exported for tests and for anything logged outside pino). */
export function redact<T>(obj: T): T {
  return scrub(obj, '', 0, new WeakSet()) as T;
}

/** pino's error serializer, keeping `code` and dropping what echoes the query (SQL, parameters, driver detail). */
function serializeError(err: unknown) {
  // pino's serialized error keeps type, message and stack behind toJSON: take the plain form.
  const plain = JSON.parse(JSON.stringify(pino.stdSerializers.err(err as Error))) as Record<string, unknown>;
  const raw = err as { code?: unknown; original?: { code?: unknown }; parent?: { code?: unknown } };
  const code = raw?.code ?? raw?.original?.code ?? raw?.parent?.code;
  delete plain.original;
  delete plain.parent;
  delete plain.sql;
  delete plain.errors;
  return code === undefined ? plain : { ...plain, code };
}

export type Logger = pino.Logger;

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'yilian' },
      // Errors are serialized (and scrubbed) by the formatter; pino's default would serialize them again.
      serializers: { err: (e: unknown) => e, error: (e: unknown) => e },
      formatters: { log: (obj) => redact(obj) },
      hooks: {
        // The message string is not part of the object above: scrub it too.
        logMethod(args: unknown[], method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? scrubText(a) : a)) as never);
        },
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
