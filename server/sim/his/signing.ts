import type { Context, Next } from 'koa';
import { HEADERS, freshTimestamp, sameSignature, signAnswer, signRequest } from '../../src/his/signing';

/**
 * The hospital's side of request signing (docs/his-interface.md): refuses a
 * request without a valid, fresh signature (401 BAD_SIGNATURE), and signs
 * every answer, bound to the request's signature. `override` lets a test
 * replace the answer (a misconfigured hospital), which is still signed.
 */
export async function verifyAndSign(ctx: Context, next: Next, secret: string, override: () => boolean) {
  const ts = Number(ctx.get(HEADERS.requestTimestamp));
  const given = ctx.get(HEADERS.requestSignature);
  const body = (ctx.request as { rawBody?: string }).rawBody ?? '';
  const expected = signRequest(secret, ctx.method, ctx.originalUrl, ts, body);
  if (!freshTimestamp(ts, 300) || !sameSignature(given, expected)) {
    ctx.status = 401;
    ctx.body = { code: 'BAD_SIGNATURE', message: 'request signature missing, stale or wrong' };
  } else if (!override()) {
    await next();
  }
  const text = ctx.body === undefined || ctx.body === null ? '' : JSON.stringify(ctx.body);
  const answerTs = Math.floor(Date.now() / 1000);
  ctx.set(HEADERS.answerTimestamp, String(answerTs));
  ctx.set(HEADERS.answerSignature, signAnswer(secret, ctx.status, answerTs, given, text));
  if (text) {
    ctx.type = 'application/json';
    ctx.body = text;
  }
}
