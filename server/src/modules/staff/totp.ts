import { createHash, randomBytes } from 'node:crypto';
import { authenticator } from 'otplib';
import QRCode from 'qrcode';

/**
 * RFC 6238 codes (otplib): 6 digits, 30-second steps, one step of clock
 * drift either way. A code is accepted only for a step later than the last
 * accepted one (the caller keeps that step), so a code seen over a
 * shoulder or replayed within its window is refused.
 */
const totp = authenticator.clone({ window: 1 });
const STEP_MS = 30_000;
const ISSUER = '医联云健康控制台';

export const newTotpSecret = () => totp.generateSecret(20);

/** The time step a code belongs to, or null when it matches none in the window. */
export function matchStep(secret: string, code: string, now = Date.now()): number | null {
  const delta = authenticator.clone({ window: 1, epoch: now }).checkDelta(code, secret);
  return delta === null ? null : Math.floor(now / STEP_MS) + delta;
}

/** What an authenticator app scans: the otpauth URL as a QR code (SVG data URL). */
export async function enrolment(username: string, secret: string) {
  const otpauthUrl = totp.keyuri(username, ISSUER, secret);
  const svg = await QRCode.toString(otpauthUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return { secret, otpauthUrl, qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
}

const RECOVERY_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** Ten recovery codes of 80 random bits each (`xxxx-xxxx-xxxx-xxxx`): shown once, stored as hashes. */
export function newRecoveryCodes(n = 10): string[] {
  return Array.from({ length: n }, () => {
    const bytes = randomBytes(16);
    const chars = Array.from(bytes, (b) => RECOVERY_ALPHABET[b & 31]).join('');
    return chars.match(/.{4}/g)!.join('-');
  });
}

/** Codes carry 80 random bits, so a fast hash is enough; dashes and case do not matter. */
export const recoveryHash = (code: string) =>
  createHash('sha256')
    .update(`recovery:${code.toLowerCase().replace(/-/g, '')}`)
    .digest('hex');
