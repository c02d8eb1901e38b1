import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

// One call into the CSPRNG per 4 KB instead of one per id: per-call overhead
// made id generation the largest cost of a booking (scripts/bench-booking.ts).
const pool = Buffer.alloc(4096);
let offset = pool.length;

/** `n` cryptographically random bytes from a pooled buffer (valid until the next call). */
export function randomPool(n: number): Buffer {
  if (offset + n > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  offset += n;
  return pool.subarray(offset - n, offset);
}

/** Opaque, unguessable id such as `hsp_5x2k9q...`; the prefix tells a reader the kind. */
export function newId(prefix: string, length = 16): string {
  const bytes = randomPool(length);
  let out = `${prefix}_`;
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i] & 31];
  return out;
}
