import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Context, Next } from 'koa';
import send from 'koa-send';

export interface SpaOptions {
  /** Where the app lives: `/` for the H5 site, `/console` for the console. */
  base: string;
  /** Paths below `base` that belong to another app. */
  exclude?: string[];
  /** Whether a file (relative to the build) has a content hash in its name, so it can be cached for good. */
  hashed: (file: string) => boolean;
}

/**
 * Serves a single-page app's build. Hashed assets are cached for a year; any
 * other GET below `base` that wants HTML gets index.html (no-cache), so the
 * app's browser-mode routes and shared links open directly.
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
    const isAsset = /\.(js|css|png|jpe?g|svg|gif|webp|ico|woff2?|ttf|map|json|txt)$/.test(file);
    if (isAsset) {
      try {
        await send(ctx, file, { root, immutable: options.hashed(file), maxage: 31_536_000_000 });
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

/** The H5 site at `/` (Taro names hashed files `name.<hex>.js`). */
export const serveH5 = (distDir: string) =>
  serveSpa(distDir, { base: '/', exclude: ['/console'], hashed: (f) => /\.[0-9a-f]{8,}\./.test(f) });

/** The staff console at `/console` (Vite puts hashed files under `assets/`). */
export const serveConsole = (distDir: string) =>
  serveSpa(distDir, { base: '/console', hashed: (f) => f.startsWith('assets/') });
