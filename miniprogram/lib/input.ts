/** What each kind of field accepts; the pages filter typing through these. */

export const digitsOnly = (max: number) => (raw: string) => raw.replace(/\D/g, '').slice(0, max);

/** Resident ID: up to 17 digits, then a digit or X (a typed x becomes X). */
export function idNumberChars(raw: string): string {
  let out = '';
  for (const ch of raw.toUpperCase()) {
    if (out.length === 18) break;
    if (/\d/.test(ch) || (ch === 'X' && out.length === 17)) out += ch;
  }
  return out;
}

type InputKind = 'phone' | 'code' | 'idNumber';

/**
 * Keyboard and autofill per field. weapp: its own number / idcard keyboards.
 * H5: a text input with inputmode, so phones show a digit pad, desktop
 * browsers show no spinner, and nothing but the filter decides what stays.
 */
export function inputProps(kind: InputKind) {
  if (process.env.TARO_ENV === 'weapp') return { type: kind === 'idNumber' ? 'idcard' : 'number' } as const;
  const nativeProps =
    kind === 'idNumber'
      ? { autoComplete: 'off', autoCapitalize: 'characters', spellCheck: false }
      : { inputMode: 'numeric', pattern: '[0-9]*', autoComplete: kind === 'phone' ? 'tel' : 'one-time-code' };
  return { type: 'text', nativeProps } as const;
}
