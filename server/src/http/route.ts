import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { z, type ZodType } from 'zod';
import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { SessionStage, StaffRole } from '../../../common/console/roles';
import { AppError, validationError } from './errors';
import type { Limiter } from './rate-limit';
import { errorResponseSchema } from './schemas';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call a route. There is no default: each route says who it is for.
 * `user` routes run only with a valid access token and get the caller as `user`.
 * `staff` routes (the console) run only with a console session cookie, for the
 * `roles` they list, and get the caller as `staff`.
 */
export type Access = 'public' | 'user' | 'staff';

/** The signed-in caller, as established by the authenticator. */
export interface Caller {
  id: string;
  sessionId: string;
}

/** A signed-in staff member, as established by the staff guard. */
export interface StaffCaller {
  id: string;
  username: string;
  role: StaffRole;
  /** The hospitals in scope; `all` for platform admins. */
  hospitals: string[] | 'all';
  sessionId: string;
  stage: SessionStage;
}

/** What an id in a staff route's input names: its hospital decides whether the caller may see it. */
export type ScopeKind = 'hospital' | 'department' | 'doctor' | 'slot' | 'appointment' | 'staff' | 'triage_ticket';

/** Where a staff route takes an id whose hospital must be in the caller's scope, e.g. `params.id`. */
export interface ScopeRef {
  kind: ScopeKind;
  at: `${'params' | 'query' | 'body'}.${string}`;
}

export interface RouteInput<P, Q, B, A extends Access = Access> {
  headers: Record<string, string>;
  params: P;
  query: Q;
  body: B;
  user: A extends 'user' ? Caller : undefined;
  staff: A extends 'staff' ? StaffCaller : undefined;
  ctx: Context;
}

export type Authenticator = (ctx: Context) => Promise<Caller>;

/**
 * The console's door (modules/staff/access.ts): `authenticate` reads the
 * session cookie (401), refuses a session still short of the allowed stages,
 * and checks the CSRF token of every state-changing request (403);
 * `authorize` is the one role and hospital-scope check (403 for a role the
 * route does not list, 404 for an id outside the caller's hospitals).
 */
export interface StaffGuard {
  authenticate(ctx: Context, stages: readonly SessionStage[]): Promise<StaffCaller>;
  authorize(
    staff: StaffCaller,
    roles: readonly StaffRole[],
    targets: Array<{ kind: ScopeKind; id: string }>,
  ): Promise<void>;
}

/** Limits keyed by the client address that routes can name. */
export type IpLimit = 'readPerIp' | 'refreshPerIp' | 'writePerIp' | 'sharedViewPerIp';

export interface MountOptions {
  authenticate?: Authenticator;
  staff?: StaffGuard;
  limiter?: Limiter<IpLimit>;
}

/** The limit a route runs under: its own, or `readPerIp` for public reads. */
const limitOf = (spec: RouteSpec): IpLimit | undefined =>
  spec.rateLimit === false
    ? undefined
    : (spec.rateLimit ?? (spec.access === 'public' && spec.method === 'get' ? 'readPerIp' : undefined));

/**
 * A route declared as data: the same zod schemas validate the request and
 * produce the OpenAPI document, so the two cannot drift apart.
 */
export interface RouteSpec<
  P extends ZodType = ZodType,
  Q extends ZodType = ZodType,
  B extends ZodType = ZodType,
  R extends ZodType = ZodType,
  A extends Access = Access,
> {
  method: Method;
  /** Koa-style path below the API prefix, e.g. `/hospitals/:id`. */
  path: string;
  operationId: string;
  summary: string;
  tags: string[];
  access: A;
  /** Staff routes: the roles that may call it (required); anyone else gets 403. */
  roles?: readonly StaffRole[];
  /** Staff routes: the sign-in stages it serves; only fully signed-in sessions (`active`) by default. */
  stages?: readonly SessionStage[];
  /** Staff routes: ids of hospital data in the input, checked against the caller's hospitals (404 outside). */
  scope?: ScopeRef[];
  /** A response that is not JSON, e.g. `text/csv`: the handler returns the body as a string. */
  produces?: string;
  params?: P;
  query?: Q;
  body?: B;
  /** Request headers to validate (lower-case names), e.g. `idempotency-key`. */
  headers?: ZodType;
  response: R;
  status?: number;
  /** Error statuses this route may answer with, for the API document. */
  errors?: number[];
  /**
   * Per-address limit (a named limiter) counted before anything else runs.
   * Public reads default to `readPerIp`; `false` turns it off.
   */
  rateLimit?: IpLimit | false;
  handler: (input: RouteInput<z.output<P>, z.output<Q>, z.output<B>, A>) => Promise<z.input<R>>;
}

export function defineRoute<
  P extends ZodType,
  Q extends ZodType,
  B extends ZodType,
  R extends ZodType,
  A extends Access,
>(spec: RouteSpec<P, Q, B, R, A>): RouteSpec {
  return spec as unknown as RouteSpec;
}

/**
 * The path of a string holding a NUL character, if any: no database stores
 * one (PostgreSQL refuses it in text, SQLite through Sequelize fails), so it
 * is refused at the edge for every route, whatever its schema says.
 */
function nulAt(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (typeof value !== 'object' || value === null || depth > 20) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const found = (key.includes('\u0000') && `${path}.${key}`) || nulAt(child, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function refuseNul(inputs: Record<string, unknown>) {
  for (const [where, value] of Object.entries(inputs)) {
    const path = nulAt(value, where);
    if (path) {
      throw new AppError(422, 'VALIDATION_FAILED', `请求参数有误：${path}`, {
        fields: [{ path, message: '包含无效字符' }],
      });
    }
  }
}

function parse<T extends ZodType>(schema: T | undefined, value: unknown, where: string) {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, where);
  return result.data;
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed request',
  401: 'Not signed in or token invalid',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict with the current state',
  422: 'Validation failed',
  423: 'Locked for a while',
  429: 'Rate limited',
  503: 'A hospital system is unavailable',
};

const rejectAll: Authenticator = async () => {
  throw new Error('no authenticator configured');
};

/** The raw value at `params.id`, `query.hospitalId` or `body.doctorId`, when it is a non-empty string. */
function rawAt(ctx: Context, at: ScopeRef['at']): string | undefined {
  const [where, key] = at.split('.') as ['params' | 'query' | 'body', string];
  const source =
    where === 'params' ? ctx.params : where === 'query' ? ctx.query : (ctx.request as { body?: unknown }).body;
  const value = (source as Record<string, unknown> | undefined)?.[key];
  return typeof value === 'string' && value ? value : undefined;
}

/** Staff routes must list their roles and, unless platform-only, declare the scope of every path parameter. */
function checkStaffSpec(spec: RouteSpec) {
  if (!spec.roles?.length) throw new Error(`staff route ${spec.operationId} lists no roles`);
  // Platform-only routes see every hospital; any other role must have each id checked.
  if (spec.roles.every((r) => r === 'platform_admin')) return;
  const declared = new Set((spec.scope ?? []).map((s) => s.at));
  for (const [, name] of spec.path.matchAll(/:(\w+)/g)) {
    if (!declared.has(`params.${name}`)) throw new Error(`staff route ${spec.operationId}: no scope for :${name}`);
  }
}

/** Registers routes on the router and their operations in the OpenAPI registry. */
export function mountRoutes(
  router: Router,
  registry: OpenAPIRegistry,
  prefix: string,
  routes: RouteSpec[],
  { authenticate = rejectAll, staff: guard, limiter }: MountOptions = {},
) {
  for (const spec of routes) {
    if (spec.access !== 'public' && spec.access !== 'user' && spec.access !== 'staff') {
      throw new Error(`route ${spec.operationId} declares no supported access`);
    }
    if (spec.access === 'staff') {
      if (!guard) throw new Error(`staff route ${spec.operationId} needs a staff guard`);
      checkStaffSpec(spec);
    }
    const limit = limitOf(spec);
    if (limit && !limiter) throw new Error(`route ${spec.operationId} needs a limiter for ${limit}`);
    router[spec.method](spec.path, async (ctx) => {
      if (limit) await limiter!.consume(limit, ctx.ip);
      const user = spec.access === 'user' ? await authenticate(ctx) : undefined;
      ctx.state.user = user;
      const rawBody = (ctx.request as { body?: unknown }).body;
      refuseNul({ params: ctx.params, query: ctx.query, body: rawBody });
      let staff: StaffCaller | undefined;
      if (spec.access === 'staff') {
        staff = await guard!.authenticate(ctx, spec.stages ?? ['active']);
        ctx.state.staff = staff;
        // Role and scope come before validation: nothing about data out of reach is revealed.
        const targets = (spec.scope ?? []).flatMap((ref) => {
          const id = rawAt(ctx, ref.at);
          return id ? [{ kind: ref.kind, id }] : [];
        });
        await guard!.authorize(staff, spec.roles!, targets);
      }
      const params = parse(spec.params, ctx.params, 'params');
      const query = parse(spec.query, ctx.query, 'query');
      const body = parse(spec.body, rawBody ?? {}, 'body');
      const headers = (parse(spec.headers, ctx.headers, 'headers') ?? {}) as Record<string, string>;
      const result = await spec.handler({
        headers,
        params,
        query,
        body,
        user: user as never,
        staff: staff as never,
        ctx,
      });
      ctx.status = spec.status ?? 200;
      if (spec.produces) ctx.type = spec.produces;
      ctx.body = result;
      // A handler that set an ETag gets conditional GETs: 304 when the client's copy is current.
      if (ctx.status === 200 && ctx.response.get('ETag') && ctx.fresh) {
        ctx.status = 304;
        ctx.body = null;
      }
    });
    registry.registerPath(toOpenApi(prefix, spec));
  }
}

function toOpenApi(prefix: string, spec: RouteSpec): RouteConfig {
  const errors = [
    ...new Set([
      ...(spec.errors ?? []),
      ...(spec.access !== 'public' ? [401] : []),
      ...(spec.access === 'staff' ? [403] : []),
      ...(limitOf(spec) ? [429] : []),
      ...(spec.params || spec.query || spec.body || spec.headers ? [422] : []),
    ]),
  ].sort();
  return {
    // Public operations say so explicitly: generated clients must not send a token.
    security: securityOf(spec),
    method: spec.method,
    path: prefix + spec.path.replace(/:(\w+)/g, '{$1}'),
    operationId: spec.operationId,
    summary: spec.summary,
    tags: spec.tags,
    request: {
      params: spec.params as never,
      query: spec.query as never,
      headers: spec.headers as never,
      body: spec.body ? { content: { 'application/json': { schema: spec.body } } } : undefined,
    },
    responses: {
      [spec.status ?? 200]:
        spec.status === 204
          ? { description: 'No content' }
          : { description: 'OK', content: { [spec.produces ?? 'application/json']: { schema: spec.response } } },
      ...Object.fromEntries(
        errors.map((status) => [
          status,
          {
            description: ERROR_DESCRIPTIONS[status] ?? 'Error',
            content: { 'application/json': { schema: errorResponseSchema } },
          },
        ]),
      ),
    },
  };
}

/** Console calls carry the session cookie, and state-changing ones the CSRF header too. */
function securityOf(spec: RouteSpec): RouteConfig['security'] {
  if (spec.access === 'user') return [{ bearerAuth: [] }];
  if (spec.access !== 'staff') return [];
  return spec.method === 'get' ? [{ consoleSession: [] }] : [{ consoleSession: [], consoleCsrf: [] }];
}
