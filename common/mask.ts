/** How personal data is shown once stored: enough to recognise, not enough to use. */

/** `110101199003071234` -> `110***********1234` */
export function maskIdNumber(id: string): string {
  return id.length < 8 ? '*'.repeat(id.length) : `${id.slice(0, 3)}${'*'.repeat(id.length - 7)}${id.slice(-4)}`;
}

/** `13812341234` -> `138****1234` */
export function maskPhone(phone: string): string {
  return phone.length < 7 ? '*'.repeat(phone.length) : `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

/** `张三` -> `张*`, `王建国` -> `王*国`, `欧阳娜娜` -> `欧***`: for views by anyone but the account holder. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return '*';
  if (chars.length === 3) return `${chars[0]}*${chars[2]}`;
  return chars[0] + '*'.repeat(chars.length - 1);
}

export const PHONE_PATTERN = /^1[3-9]\d{9}$/;
