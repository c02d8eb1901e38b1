import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Context, Next } from 'koa';
import send from 'koa-send';

/**
 * Serves the H5 build. Hashed assets are cached for a year; any other GET
 * that wants HTML gets index.html, so the app's browser-mode routes and
 * shared links open directly.
 */
export function serveH5(distDir: string) {
  const root = path.resolve(distDir);
  return async (ctx: Context, next: Next) => {
    await next();
    if (ctx.body !== undefined || ctx.status !== 404) return;
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return;
    if (ctx.path.startsWith('/api/')) return;
    if (!existsSync(path.join(root, 'index.html'))) return;
    const file = ctx.path.slice(1);
    const isAsset = /\.(js|css|png|jpe?g|svg|gif|webp|ico|woff2?|ttf|map|json|txt)$/.test(file);
    if (isAsset) {
      try {
        await send(ctx, file, { root, immutable: /\.[0-9a-f]{8,}\./.test(file), maxage: 31_536_000_000 });
      } catch {
        /* missing asset stays 404 */
      }
      return;
    }
    if (ctx.accepts('html')) {
      ctx.set('Cache-Control', 'no-cache');
      await send(ctx, 'index.html', { root });
    }
  };
}
