import { DataTypes, type QueryInterface } from 'sequelize';
import { id, ref, timestamps } from './columns';

/**
 * The staff console (issue 12): staff accounts separate from patients, their
 * hospital scopes, cookie sessions and recovery codes; the append-only audit
 * log; and the seats hospitals add to a slot (加号), kept across HIS syncs.
 */

export async function up(qi: QueryInterface) {
  await qi.createTable('staff_accounts', {
    id,
    username: { type: DataTypes.STRING(32), allowNull: false, unique: true },
    display_name: { type: DataTypes.STRING(40), allowNull: false },
    role: { type: DataTypes.STRING(20), allowNull: false },
    password_hash: { type: DataTypes.STRING(200), allowNull: false },
    must_change_password: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    totp_secret_enc: { type: DataTypes.STRING(300), allowNull: true },
    totp_enabled_at: { type: DataTypes.DATE, allowNull: true },
    totp_last_step: { type: DataTypes.BIGINT, allowNull: true },
    is_demo: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    disabled_at: { type: DataTypes.DATE, allowNull: true },
    last_login_at: { type: DataTypes.DATE, allowNull: true },
    ...timestamps,
  });
  await qi.createTable('staff_hospitals', {
    staff_id: { ...ref('staff_accounts'), primaryKey: true },
    hospital_id: { ...ref('hospitals'), primaryKey: true },
  });
  await qi.addIndex('staff_hospitals', ['hospital_id']);
  await qi.createTable('staff_sessions', {
    id,
    staff_id: ref('staff_accounts'),
    token_hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
    stage: { type: DataTypes.STRING(10), allowNull: false },
    mfa_at: { type: DataTypes.DATE, allowNull: true },
    last_seen_at: { type: DataTypes.DATE, allowNull: false },
    expires_at: { type: DataTypes.DATE, allowNull: false },
    revoked_at: { type: DataTypes.DATE, allowNull: true },
    ip: { type: DataTypes.STRING(64), allowNull: false },
    ...timestamps,
  });
  await qi.addIndex('staff_sessions', ['staff_id']);
  await qi.createTable('staff_recovery_codes', {
    id,
    staff_id: ref('staff_accounts'),
    code_hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
    used_at: { type: DataTypes.DATE, allowNull: true },
    ...timestamps,
  });
  await qi.addIndex('staff_recovery_codes', ['staff_id']);

  // Who did what to which record; never the record's data. No foreign keys: nothing cascades into it.
  await qi.createTable('audit_events', {
    id,
    created_at: { type: DataTypes.DATE, allowNull: false },
    staff_id: { type: DataTypes.STRING(32), allowNull: true },
    username: { type: DataTypes.STRING(32), allowNull: true },
    role: { type: DataTypes.STRING(20), allowNull: true },
    action: { type: DataTypes.STRING(60), allowNull: false },
    target_type: { type: DataTypes.STRING(30), allowNull: true },
    target_id: { type: DataTypes.STRING(64), allowNull: true },
    hospital_id: { type: DataTypes.STRING(32), allowNull: true },
    ip: { type: DataTypes.STRING(64), allowNull: true },
    request_id: { type: DataTypes.STRING(64), allowNull: true },
    details: { type: DataTypes.TEXT, allowNull: true },
  });
  await qi.addIndex('audit_events', ['created_at']);
  await qi.addIndex('audit_events', ['staff_id', 'created_at']);
  await qi.addIndex('audit_events', ['hospital_id', 'created_at']);
  await appendOnly(qi);

  await qi.addColumn('slots', 'added_capacity', { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 });
  await qi.addIndex('appointments', ['hospital_id', 'date']);
  await qi.addIndex('appointments', ['booking_code']);
}

/**
 * The audit table refuses UPDATE and DELETE (and TRUNCATE on PostgreSQL)
 * whoever asks, so not even a bug in the application can rewrite history.
 * In production the application's database role should also lack those
 * privileges (REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM <role>).
 */
async function appendOnly(qi: QueryInterface) {
  const q = qi.sequelize;
  if (q.getDialect() === 'postgres') {
    await q.query(`CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'audit_events is append-only'; END; $$ LANGUAGE plpgsql`);
    await q.query(`CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await q.query(`CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
    return;
  }
  for (const op of ['UPDATE', 'DELETE']) {
    await q.query(`CREATE TRIGGER audit_events_no_${op.toLowerCase()} BEFORE ${op} ON audit_events
      BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`);
  }
}

export async function down(qi: QueryInterface) {
  const q = qi.sequelize;
  await qi.removeIndex('appointments', ['booking_code']);
  await qi.removeIndex('appointments', ['hospital_id', 'date']);
  await q.query('ALTER TABLE slots DROP COLUMN added_capacity');
  await qi.dropTable('audit_events');
  if (q.getDialect() === 'postgres') await q.query('DROP FUNCTION IF EXISTS audit_events_append_only()');
  await qi.dropTable('staff_recovery_codes');
  await qi.dropTable('staff_sessions');
  await qi.dropTable('staff_hospitals');
  await qi.dropTable('staff_accounts');
}
