import type { Router } from '@koa/router';
import type { Context } from 'koa';
import { z, type ZodType } from 'zod';
import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { validationError } from './errors';
import type { Limiter } from './rate-limit';
import { errorResponseSchema } from './schemas';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call a route. There is no default: each route says who it is for.
 * `user` routes run only with a valid access token and get the caller as `user`.
 */
export type Access = 'public' | 'user';

/** The signed-in caller, as established by the authenticator. */
export interface Caller {
  id: string;
  sessionId: string;
}

export interface RouteInput<P, Q, B, A extends Access = Access> {
  headers: Record<string, string>;
  params: P;
  query: Q;
  body: B;
  user: A extends 'user' ? Caller : undefined;
  ctx: Context;
}

export type Authenticator = (ctx: Context) => Promise<Caller>;

/** Limits keyed by the client address that routes can name. */
export type IpLimit = 'readPerIp' | 'refreshPerIp' | 'writePerIp' | 'sharedViewPerIp';

export interface MountOptions {
  authenticate?: Authenticator;
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

/** Registers routes on the router and their operations in the OpenAPI registry. */
export function mountRoutes(
  router: Router,
  registry: OpenAPIRegistry,
  prefix: string,
  routes: RouteSpec[],
  { authenticate = rejectAll, limiter }: MountOptions = {},
) {
  for (const spec of routes) {
    if (spec.access !== 'public' && spec.access !== 'user') {
      throw new Error(`route ${spec.operationId} declares no supported access`);
    }
    const limit = limitOf(spec);
    if (limit && !limiter) throw new Error(`route ${spec.operationId} needs a limiter for ${limit}`);
    router[spec.method](spec.path, async (ctx) => {
      if (limit) await limiter!.consume(limit, ctx.ip);
      const user = spec.access === 'user' ? await authenticate(ctx) : undefined;
      ctx.state.user = user;
      const params = parse(spec.params, ctx.params, 'params');
      const query = parse(spec.query, ctx.query, 'query');
      const body = parse(spec.body, (ctx.request as { body?: unknown }).body ?? {}, 'body');
      const headers = (parse(spec.headers, ctx.headers, 'headers') ?? {}) as Record<string, string>;
      const result = await spec.handler({ headers, params, query, body, user: user as never, ctx });
      ctx.status = spec.status ?? 200;
      ctx.body = result;
    });
    registry.registerPath(toOpenApi(prefix, spec));
  }
}

function toOpenApi(prefix: string, spec: RouteSpec): RouteConfig {
  const errors = [
    ...new Set([
      ...(spec.errors ?? []),
      ...(spec.access === 'user' ? [401] : []),
      ...(limitOf(spec) ? [429] : []),
      ...(spec.params || spec.query || spec.body || spec.headers ? [422] : []),
    ]),
  ].sort();
  return {
    // Public operations say so explicitly: generated clients must not send a token.
    security: spec.access === 'user' ? [{ bearerAuth: [] }] : [],
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
          : { description: 'OK', content: { 'application/json': { schema: spec.response } } },
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
