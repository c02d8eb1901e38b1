import { randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../../http/errors';

/**
 * Staff passwords: argon2id (OWASP's minimum profile: 19 MiB, 2 passes), in
 * @node-rs/argon2's prebuilt binary; hashing runs off the event loop.
 */
const OPTIONS = {
  algorithm: 2 as const /* Algorithm.Argon2id (a const enum) */,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

export const hashPassword = (password: string) => hash(password, OPTIONS);

/** Compared against when the username is unknown, so a miss costs the same time as a wrong password. */
let dummy: Promise<string> | undefined;

export async function verifyPassword(stored: string | undefined, password: string): Promise<boolean> {
  if (!stored) {
    dummy ??= hashPassword('not-a-real-password-0');
    await verify(await dummy, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}

/** The published passwords of the demo accounts (README): never accepted as anyone's own password. */
export const DEMO_PASSWORDS = {
  platform_admin: 'Demo-Platform-2026',
  hospital_admin: 'Demo-Hospital-2026',
  triage_nurse: 'Demo-Nurse-2026',
  expert: 'Demo-Expert-2026',
} as const;

export function refuseDemoPassword(password: string) {
  if ((Object.values(DEMO_PASSWORDS) as string[]).includes(password)) {
    throw new AppError(422, 'VALIDATION_FAILED', '请求参数有误：body.newPassword', {
      fields: [{ path: 'body.newPassword', message: '该密码为公开的演示密码，不能使用' }],
    });
  }
}

const ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A one-time password (create-admin, resets): 16 characters, letters and digits, no look-alikes. */
export function oneTimePassword(): string {
  for (;;) {
    const p = Array.from({ length: 16 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    if (/[A-Za-z]/.test(p) && /\d/.test(p)) return p;
  }
}
