import { DataTypes, QueryTypes, type QueryInterface } from 'sequelize';

/**
 * Hardening of the spine (issue 9):
 * - patients keep only the birth year in clear (the birth date is inside the encrypted ID number);
 *   only a verified 本人 holds an ID number against other accounts; rejected patients are not active records;
 * - the outbox becomes the one job table for every outside call: generic aggregate, payload, dead letters;
 * - hospitals get their request-signing secret (encrypted) and a note of a suspicious schedule answer;
 * - doctors get the photo the hospital publishes; a waitlist entry that ends says why.
 */
export async function up(qi: QueryInterface) {
  const q = qi.sequelize;
  const now = new Date();

  await qi.addColumn('patients', 'birth_year', { type: DataTypes.INTEGER, allowNull: true });
  await q.query('UPDATE patients SET birth_year = CAST(SUBSTR(birth_date, 1, 4) AS INTEGER)');
  await q.query('ALTER TABLE patients DROP COLUMN birth_date');
  // A rejected real-name check leaves no active record (and no hold on the ID number).
  await q.query(
    `UPDATE patients SET deleted_at = :now, id_number_enc = NULL, id_number_hash = NULL, id_number_masked = '',
       phone_enc = NULL, phone_masked = '' WHERE verification_status = 'rejected' AND deleted_at IS NULL`,
    { replacements: { now }, type: QueryTypes.UPDATE },
  );
  await qi.removeIndex('patients', 'patients_self_id_number_unique');
  await qi.addIndex('patients', ['id_number_hash'], {
    unique: true,
    name: 'patients_verified_self_id_number_unique',
    where: { relation: 'self', verification_status: 'verified', deleted_at: null },
  });

  await qi.createTable('outbox_jobs', {
    id: { type: DataTypes.STRING(32), primaryKey: true, allowNull: false },
    kind: { type: DataTypes.STRING(60), allowNull: false },
    aggregate_id: { type: DataTypes.STRING(64), allowNull: false },
    payload: { type: DataTypes.TEXT, allowNull: true },
    attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    next_attempt_at: { type: DataTypes.DATE, allowNull: false },
    claimed_until: { type: DataTypes.DATE, allowNull: true },
    done_at: { type: DataTypes.DATE, allowNull: true },
    dead_at: { type: DataTypes.DATE, allowNull: true },
    last_error: { type: DataTypes.STRING(300), allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
    updated_at: { type: DataTypes.DATE, allowNull: false },
  });
  await q.query(
    `INSERT INTO outbox_jobs (id, kind, aggregate_id, attempts, next_attempt_at, claimed_until, done_at, last_error,
       created_at, updated_at)
     SELECT id, CASE kind WHEN 'confirm_booking' THEN 'his.confirm_booking' ELSE 'his.cancel_booking' END,
       appointment_id, attempts, next_attempt_at, claimed_until, done_at, last_error, created_at, updated_at FROM outbox`,
  );
  await qi.dropTable('outbox');
  await qi.renameTable('outbox_jobs', 'outbox');
  await qi.addIndex('outbox', ['done_at', 'dead_at', 'next_attempt_at'], { name: 'outbox_due' });
  await qi.addIndex('outbox', ['aggregate_id', 'created_at'], { name: 'outbox_aggregate_order' });

  await qi.addColumn('hospitals', 'his_secret_enc', { type: DataTypes.STRING(300), allowNull: true });
  await qi.addColumn('hospitals', 'schedule_anomaly', { type: DataTypes.STRING(300), allowNull: true });
  await qi.addColumn('hospitals', 'schedule_anomaly_at', { type: DataTypes.DATE, allowNull: true });
  await qi.addColumn('doctors', 'photo_url', { type: DataTypes.STRING(500), allowNull: true });
  await qi.addColumn('waitlist_entries', 'end_reason', { type: DataTypes.STRING(100), allowNull: true });
}

/** Restores the earlier shape; erased birth dates come back as 1 January of the birth year. */
export async function down(qi: QueryInterface) {
  const q = qi.sequelize;
  for (const [table, column] of [
    ['waitlist_entries', 'end_reason'],
    ['doctors', 'photo_url'],
    ['hospitals', 'schedule_anomaly_at'],
    ['hospitals', 'schedule_anomaly'],
    ['hospitals', 'his_secret_enc'],
  ]) {
    await q.query(`ALTER TABLE ${table} DROP COLUMN ${column}`);
  }

  await qi.createTable('outbox_old', {
    id: { type: DataTypes.STRING(32), primaryKey: true, allowNull: false },
    kind: { type: DataTypes.STRING(40), allowNull: false },
    appointment_id: { type: DataTypes.STRING(32), allowNull: false, references: { model: 'appointments', key: 'id' } },
    attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    next_attempt_at: { type: DataTypes.DATE, allowNull: false },
    claimed_until: { type: DataTypes.DATE, allowNull: true },
    done_at: { type: DataTypes.DATE, allowNull: true },
    last_error: { type: DataTypes.STRING(300), allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
    updated_at: { type: DataTypes.DATE, allowNull: false },
  });
  await q.query(
    `INSERT INTO outbox_old (id, kind, appointment_id, attempts, next_attempt_at, claimed_until, done_at, last_error,
       created_at, updated_at)
     SELECT id, CASE kind WHEN 'his.confirm_booking' THEN 'confirm_booking' ELSE 'cancel_booking' END, aggregate_id,
       attempts, next_attempt_at, claimed_until, done_at, last_error, created_at, updated_at FROM outbox
     WHERE kind IN ('his.confirm_booking', 'his.cancel_booking')`,
  );
  await qi.dropTable('outbox');
  await qi.renameTable('outbox_old', 'outbox');
  await qi.addIndex('outbox', ['done_at', 'next_attempt_at']);

  await qi.removeIndex('patients', 'patients_verified_self_id_number_unique');
  await qi.addIndex('patients', ['id_number_hash'], {
    unique: true,
    name: 'patients_self_id_number_unique',
    where: { relation: 'self', deleted_at: null },
  });
  await qi.addColumn('patients', 'birth_date', {
    type: DataTypes.STRING(10),
    allowNull: false,
    defaultValue: '1900-01-01',
  });
  await q.query(`UPDATE patients SET birth_date = CAST(birth_year AS TEXT) || '-01-01' WHERE birth_year IS NOT NULL`);
  await q.query('ALTER TABLE patients DROP COLUMN birth_year');
}
