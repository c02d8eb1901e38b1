import type { Db } from '../db';
import type { Logger } from '../logger';
import { slotOf, type PiiCipher } from './cipher';

/**
 * Every column that holds PiiCipher ciphertext, keyed by the row's `id`. A
 * module that stores encrypted personal data adds its columns here, so key
 * rotation reaches them.
 */
export const ENCRYPTED_COLUMNS: Array<{ table: string; column: string }> = [
  { table: 'users', column: 'phone_enc' },
  { table: 'users', column: 'wechat_session_key_enc' },
  { table: 'patients', column: 'id_number_enc' },
  { table: 'patients', column: 'phone_enc' },
  { table: 'hospitals', column: 'his_secret_enc' },
  { table: 'provider_tokens', column: 'token_enc' },
  { table: 'staff_accounts', column: 'totp_secret_enc' },
  { table: 'reports', column: 'title_enc' },
  { table: 'reports', column: 'content_enc' },
  { table: 'health_records', column: 'note_enc' },
  { table: 'health_profiles', column: 'data_enc' },
  { table: 'triage_tickets', column: 'summary_enc' },
  { table: 'triage_tickets', column: 'text_enc' },
  { table: 'triage_tickets', column: 'callback_phone_enc' },
  { table: 'triage_messages', column: 'body_enc' },
];

const BATCH = 200;

/**
 * Re-encrypts every value not yet under the current key in the current
 * format (PII_ENCRYPTION_KEYS lists the new key first, the old ones after).
 * Each update is conditional on the old ciphertext, so a value changed
 * meanwhile is left alone. Once it reports 0 remaining, old keys can be
 * removed from the configuration. Runs at every start and by `npm run pii:rotate`.
 */
export async function rotatePii(
  db: Db,
  cipher: PiiCipher,
  log?: Logger,
): Promise<{ rewritten: number; unreadable: number }> {
  let rewritten = 0;
  let unreadable = 0;
  const current = `v2.${cipher.currentKeyId}.%`;
  for (const { table, column } of ENCRYPTED_COLUMNS) {
    let after = '';
    for (;;) {
      const rows = await db.sql.all<{ id: string; value: string }>(
        `SELECT id, ${column} AS value FROM ${table}
         WHERE ${column} IS NOT NULL AND ${column} NOT LIKE ? AND id > ? ORDER BY id LIMIT ?`,
        [current, after, BATCH],
      );
      if (!rows.length) break;
      after = rows[rows.length - 1].id;
      await db.writeSql(async (sql) => {
        for (const row of rows) {
          const slot = slotOf(table, column, row.id);
          let plain: string;
          try {
            plain = cipher.decrypt(row.value, slot);
          } catch {
            // A key missing from the configuration, or a value that is not this row's: left for a person to look at.
            unreadable++;
            log?.error({ table, column, row: row.id }, 'encrypted value cannot be read: not re-encrypted');
            continue;
          }
          rewritten += await sql.run(`UPDATE ${table} SET ${column} = ? WHERE id = ? AND ${column} = ?`, [
            cipher.encrypt(plain, slot),
            row.id,
            row.value,
          ]);
        }
      });
    }
  }
  if (rewritten) log?.info({ rewritten, key: cipher.currentKeyId }, 'personal data re-encrypted under the current key');
  return { rewritten, unreadable };
}
