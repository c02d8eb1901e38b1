const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Base64 of an ASCII string; weapp has no btoa. */
function base64(ascii: string): string {
  let out = '';
  for (let i = 0; i < ascii.length; i += 3) {
    const [a, b, c] = [ascii.charCodeAt(i), ascii.charCodeAt(i + 1), ascii.charCodeAt(i + 2)];
    const n = (a << 16) | ((b || 0) << 8) | (c || 0);
    out += ALPHABET[(n >> 18) & 63] + ALPHABET[(n >> 12) & 63];
    out += Number.isNaN(b) ? '=' : ALPHABET[(n >> 6) & 63];
    out += Number.isNaN(c) ? '=' : ALPHABET[n & 63];
  }
  return out;
}

/** An SVG (ASCII only) as a data URI that an `<Image>` shows in weapp and H5 alike. */
export const svgDataUri = (svg: string) => `data:image/svg+xml;base64,${base64(svg)}`;

/** Text for inside the SVG: XML-escaped, non-ASCII as character references (the data URI is ASCII only). */
export function svgText(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else if (ch === '"') out += '&quot;';
    else if (c > 126 || c < 32) out += `&#x${c.toString(16)};`;
    else out += ch;
  }
  return out;
}
