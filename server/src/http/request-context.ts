import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';
import type { Logger } from '../logger';

const VALID_ID = /^[\w-]{8,64}$/;

/**
 * Gives each request an id (kept from a valid `X-Request-Id` header) and a
 * child logger carrying it, then logs one line per request. The logged path
 * is the route pattern when one matched, so ids and tokens in URLs stay out.
 */
export function requestContext(logger: Logger) {
  return async (ctx: Context, next: Next) => {
    const incoming = ctx.get('X-Request-Id');
    const requestId = VALID_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.state.log = logger.child({ reqId: requestId });
    ctx.set('X-Request-Id', requestId);
    const started = performance.now();
    try {
      await next();
    } finally {
      const route = (ctx as { _matchedRoute?: string })._matchedRoute;
      ctx.state.log.info(
        {
          method: ctx.method,
          route: typeof route === 'string' ? route : ctx.path.startsWith('/api/') ? '(unmatched)' : 'static',
          status: ctx.status,
          ms: Math.round(performance.now() - started),
        },
        'request',
      );
    }
  };
}
