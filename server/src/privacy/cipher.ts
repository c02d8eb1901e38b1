import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

export interface PiiKeys {
  keys: Array<{ id: string; secret: string }>;
  indexKey: string;
}

const derive = (secret: string, purpose: string) => Buffer.from(hkdfSync('sha256', secret, 'yilian-pii', purpose, 32));

/**
 * Where a ciphertext belongs: its table, column and row. It is bound into the
 * ciphertext as AES-GCM associated data, so a value copied to another row or
 * column fails to decrypt instead of being read as that row's.
 */
export interface PiiSlot {
  table: string;
  column: string;
  rowId: string;
}

export const slotOf = (table: string, column: string, rowId: string): PiiSlot => ({ table, column, rowId });
const aadOf = (s: PiiSlot) => Buffer.from(`${s.table}.${s.column}:${s.rowId}`, 'utf8');

/**
 * Field-level encryption for personal data (ID numbers, phones): AES-256-GCM
 * with a random 96-bit IV and the slot as associated data. Ciphertext is
 * `v2.<keyId>.<iv>.<tag>.<data>` (base64url), so old keys keep decrypting
 * after the current key rotates; `privacy/rotation.ts` re-encrypts under the
 * current key. `v1` values (before slots were bound) are still read, and
 * the rotation rewrites them as `v2`. A blind index (HMAC-SHA256) allows
 * equality lookup and uniqueness without storing the value.
 */
export class PiiCipher {
  private readonly keys: Map<string, Buffer>;
  readonly currentKeyId: string;
  private readonly indexKey: Buffer;

  constructor(config: PiiKeys) {
    if (!config.keys.length) throw new Error('at least one PII key is required');
    this.keys = new Map(config.keys.map((k) => [k.id, derive(k.secret, 'aes-256-gcm')]));
    this.currentKeyId = config.keys[0].id;
    this.indexKey = derive(config.indexKey, 'blind-index');
  }

  encrypt(plain: string, slot: PiiSlot): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    cipher.setAAD(aadOf(slot));
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url'));
    return ['v2', this.currentKeyId, ...parts].join('.');
  }

  decrypt(stored: string, slot: PiiSlot): string {
    const [version, keyId, iv, tag, data] = stored.split('.');
    const key = this.keys.get(keyId);
    if ((version !== 'v1' && version !== 'v2') || !key) throw new Error(`cannot decrypt: unknown key ${keyId}`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    if (version === 'v2') decipher.setAAD(aadOf(slot));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Deterministic keyed hash of a normalised value, scoped by purpose so indexes cannot be joined. */
  blindIndex(purpose: 'id_number' | 'phone' | 'sms_code' | 'share_access_code', value: string): string {
    return createHmac('sha256', this.indexKey).update(`${purpose}:${value}`).digest('hex');
  }
}
