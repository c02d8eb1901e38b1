import { existsSync } from 'node:fs';
import path from 'node:path';
import { constants } from 'node:zlib';
import type { Context, Next } from 'koa';
import compress from 'koa-compress';
import send from 'koa-send';

/** Webpack's content-hashed names (`vendors.5a919b9b.js`): a new build gives a new name. */
const HASHED = /\.[0-9a-f]{8,}\./;
const ASSET = /\.(js|css|png|jpe?g|svg|gif|webp|ico|woff2?|ttf|map|json|txt)$/;

/**
 * Compresses the H5 site and API answers of 1 KB or more: brotli for browsers
 * that take it (quality 5: about gzip -9 in size at a fraction of the CPU of
 * quality 11), gzip otherwise. Patients on slow 3G/4G get the bundle in a
 * third of the bytes.
 */
export function compressResponses() {
  return compress({
    threshold: 1024,
    encodingPreference: ['br', 'gzip', 'identity'],
    br: { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } },
    gzip: { level: 6 },
    deflate: false,
  });
}

/**
 * Serves the H5 build. Hashed assets are cached for a year and never
 * revalidated; index.html and unhashed files are revalidated on every use, so
 * a new release reaches patients at once. Any other GET that wants HTML gets
 * index.html, so the app's browser-mode routes and shared links open directly.
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
    if (ASSET.test(file)) {
      const cacheControl = HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache';
      try {
        await send(ctx, file, { root, setHeaders: (res) => res.setHeader('Cache-Control', cacheControl) });
      } catch {
        /* missing asset stays 404 */
      }
      return;
    }
    if (ctx.accepts('html')) {
      await send(ctx, 'index.html', { root, setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache') });
    }
  };
}
