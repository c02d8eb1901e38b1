import { existsSync } from 'node:fs';
import path from 'node:path';
import { constants } from 'node:zlib';
import type { Context, Next } from 'koa';
import compress from 'koa-compress';
import send from 'koa-send';

const ASSET = /\.(js|css|png|jpe?g|svg|gif|webp|ico|woff2?|ttf|map|json|txt)$/;

/**
 * Compresses the H5 site, the console and API answers of 1 KB or more: brotli
 * for browsers that take it (quality 5: about gzip -9 in size at a fraction
 * of the CPU of quality 11), gzip otherwise. Patients on slow 3G/4G get the
 * bundle in a third of the bytes.
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

export interface SpaOptions {
  /** Where the app lives: `/` for the H5 site, `/console` for the console. */
  base: string;
  /** Paths below `base` that belong to another app. */
  exclude?: string[];
  /** Whether a file (relative to the build) has a content hash in its name, so it can be cached for good. */
  hashed: (file: string) => boolean;
}

/**
 * Serves a single-page app's build. Hashed assets are cached for a year and
 * never revalidated; index.html and unhashed files are revalidated on every
 * use, so a new release reaches users at once. Any other GET below `base`
 * that wants HTML gets index.html, so the app's browser-mode routes and
 * shared links open directly.
 */
export function serveSpa(distDir: string, options: SpaOptions) {
  const root = path.resolve(distDir);
  const base = options.base.replace(/\/$/, '');
  const mine = (p: string) =>
    (p === base || p.startsWith(`${base}/`) || base === '') &&
    !(options.exclude ?? []).some((x) => p === x || p.startsWith(`${x}/`));
  return async (ctx: Context, next: Next) => {
    await next();
    if (ctx.body !== undefined || ctx.status !== 404) return;
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return;
    if (ctx.path.startsWith('/api/') || !mine(ctx.path)) return;
    if (!existsSync(path.join(root, 'index.html'))) return;
    const file = ctx.path.slice(base.length + 1);
    if (ASSET.test(file)) {
      const cacheControl = options.hashed(file) ? 'public, max-age=31536000, immutable' : 'no-cache';
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

/** The H5 site at `/` (Taro names hashed files `name.<hex>.js`). */
export const serveH5 = (distDir: string) =>
  serveSpa(distDir, { base: '/', exclude: ['/console'], hashed: (f) => /\.[0-9a-f]{8,}\./.test(f) });

/** The staff console at `/console` (Vite puts hashed files under `assets/`). */
export const serveConsole = (distDir: string) =>
  serveSpa(distDir, { base: '/console', hashed: (f) => f.startsWith('assets/') });
