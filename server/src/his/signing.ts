import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Request and answer signatures between the platform and a hospital
 * (docs/his-interface.md, "Authentication"). Both sides hold a per-hospital
 * secret. A request carries `X-YL-Timestamp` (Unix seconds) and
 * `X-YL-Signature` = HMAC-SHA256(secret, METHOD \n path?query \n timestamp \n
 * sha256(body)); the answer carries `X-HIS-Timestamp` and `X-HIS-Signature` =
 * HMAC-SHA256(secret, status \n timestamp \n request signature \n
 * sha256(body)), which binds it to the request it answers.
 */
export const HEADERS = {
  requestTimestamp: 'x-yl-timestamp',
  requestSignature: 'x-yl-signature',
  answerTimestamp: 'x-his-timestamp',
  answerSignature: 'x-his-signature',
} as const;

const sha256 = (body: string) => createHash('sha256').update(body, 'utf8').digest('hex');
const hmac = (secret: string, text: string) => createHmac('sha256', secret).update(text, 'utf8').digest('hex');

export function signRequest(secret: string, method: string, pathAndQuery: string, timestamp: number, body: string) {
  return hmac(secret, [method.toUpperCase(), pathAndQuery, String(timestamp), sha256(body)].join('\n'));
}

export function signAnswer(secret: string, status: number, timestamp: number, requestSignature: string, body: string) {
  return hmac(secret, [String(status), String(timestamp), requestSignature, sha256(body)].join('\n'));
}

/** Constant-time comparison of two hex signatures. */
export function sameSignature(a: string | undefined, b: string): boolean {
  if (!a || a.length !== b.length || !/^[0-9a-f]+$/.test(a)) return false;
  return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}

/** Whether a signed timestamp is within `maxSkewSec` of now. */
export const freshTimestamp = (ts: number, maxSkewSec: number, now = Date.now()) =>
  Number.isInteger(ts) && Math.abs(now / 1000 - ts) <= maxSkewSec;

/** The demo hospitals' secrets, derived from one seed known to the platform and the simulator. */
export const demoHisSecret = (seed: string, hospitalCode: string) => hmac(seed, `his-secret:${hospitalCode}`);
