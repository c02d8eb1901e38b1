/**
 * Mainland resident ID numbers (GB 11643-1999): 6-digit region, 8-digit birth
 * date, 3-digit sequence (odd = male), 1 check character (ISO 7064 MOD 11-2).
 * Pure functions shared by the server and the mini-program.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export type IdCardProblem = 'format' | 'checksum' | 'birth_date' | 'future_birth_date';

export interface IdCardInfo {
  birthDate: string; // YYYY-MM-DD
  sex: 'male' | 'female';
}

export const ID_CARD_MESSAGES: Record<IdCardProblem, string> = {
  format: '身份证号应为18位，最后一位可以是数字或X',
  checksum: '身份证号校验位不正确，请核对',
  birth_date: '身份证号中的出生日期无效',
  future_birth_date: '身份证号中的出生日期晚于今天',
};

export function normalizeIdNumber(raw: string): string {
  return raw.trim().toUpperCase();
}

/** Checks an ID number; `today` is a YYYY-MM-DD date in Shanghai. */
export function checkIdNumber(
  raw: string,
  today: string,
): { ok: true; info: IdCardInfo } | { ok: false; problem: IdCardProblem } {
  const id = normalizeIdNumber(raw);
  if (!/^[1-9]\d{16}[\dX]$/.test(id)) return { ok: false, problem: 'format' };
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(id[i]), 0);
  if (CHECK_CHARS[sum % 11] !== id[17]) return { ok: false, problem: 'checksum' };
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return { ok: false, problem: 'birth_date' };
  }
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (birthDate > today) return { ok: false, problem: 'future_birth_date' };
  return { ok: true, info: { birthDate, sex: Number(id[16]) % 2 === 1 ? 'male' : 'female' } };
}

/** Whole years between a birth date and `today` (both YYYY-MM-DD). */
export function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

/** Builds a valid ID number from its first 17 digits (tests and demo data). */
export function withCheckChar(first17: string): string {
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(first17[i]), 0);
  return first17 + CHECK_CHARS[sum % 11];
}
