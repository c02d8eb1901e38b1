import { DataTypes, type QueryInterface } from 'sequelize';

const id = { type: DataTypes.STRING(32), primaryKey: true, allowNull: false };
const ref = (model: string, allowNull = false) => ({
  type: DataTypes.STRING(32),
  allowNull,
  references: { model, key: 'id' },
});
const timestamps = {
  created_at: { type: DataTypes.DATE, allowNull: false },
  updated_at: { type: DataTypes.DATE, allowNull: false },
};
const hash = (allowNull = false) => ({ type: DataTypes.STRING(64), allowNull });

export async function up(qi: QueryInterface) {
  await qi.createTable('users', {
    id,
    wechat_openid: { type: DataTypes.STRING(64), allowNull: true, unique: true },
    wechat_session_key_enc: { type: DataTypes.STRING(200), allowNull: true },
    phone_enc: { type: DataTypes.STRING(200), allowNull: true },
    phone_hash: { ...hash(true), unique: true },
    deleted_at: { type: DataTypes.DATE, allowNull: true },
    ...timestamps,
  });

  await qi.createTable('auth_sessions', {
    id,
    user_id: ref('users'),
    expires_at: { type: DataTypes.DATE, allowNull: false },
    revoked_at: { type: DataTypes.DATE, allowNull: true },
    revoke_reason: { type: DataTypes.STRING(40), allowNull: true },
    ...timestamps,
  });
  await qi.addIndex('auth_sessions', ['user_id']);

  await qi.createTable('refresh_tokens', {
    id,
    session_id: ref('auth_sessions'),
    token_hash: { ...hash(), unique: true },
    expires_at: { type: DataTypes.DATE, allowNull: false },
    used_at: { type: DataTypes.DATE, allowNull: true },
    ...timestamps,
  });

  await qi.createTable('sms_codes', {
    id,
    phone_hash: hash(),
    code_hash: hash(),
    expires_at: { type: DataTypes.DATE, allowNull: false },
    attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    consumed_at: { type: DataTypes.DATE, allowNull: true },
    ...timestamps,
  });
  await qi.addIndex('sms_codes', ['phone_hash', 'created_at']);

  await qi.createTable('consents', {
    id,
    user_id: ref('users'),
    kind: { type: DataTypes.STRING(40), allowNull: false },
    policy_version: { type: DataTypes.STRING(40), allowNull: false },
    granted_at: { type: DataTypes.DATE, allowNull: false },
    withdrawn_at: { type: DataTypes.DATE, allowNull: true },
    ...timestamps,
  });
  await qi.addIndex('consents', ['user_id', 'kind']);

  await qi.createTable('patients', {
    id,
    user_id: ref('users'),
    name: { type: DataTypes.STRING(40), allowNull: false },
    id_number_enc: { type: DataTypes.STRING(200), allowNull: true },
    id_number_hash: hash(true),
    id_number_masked: { type: DataTypes.STRING(20), allowNull: false },
    phone_enc: { type: DataTypes.STRING(200), allowNull: true },
    phone_masked: { type: DataTypes.STRING(20), allowNull: false },
    sex: { type: DataTypes.STRING(10), allowNull: false },
    birth_date: { type: DataTypes.STRING(10), allowNull: false },
    relation: { type: DataTypes.STRING(10), allowNull: false },
    guardian_patient_id: ref('patients', true),
    verification_status: { type: DataTypes.STRING(20), allowNull: false },
    verification_reason: { type: DataTypes.STRING(200), allowNull: true },
    verified_at: { type: DataTypes.DATE, allowNull: true },
    deleted_at: { type: DataTypes.DATE, allowNull: true },
    ...timestamps,
  });
  await qi.addIndex('patients', ['user_id']);
  // A person is 本人 on one account only, and appears once per account.
  await qi.addIndex('patients', ['id_number_hash'], {
    unique: true,
    name: 'patients_self_id_number_unique',
    where: { relation: 'self', deleted_at: null },
  });
  await qi.addIndex('patients', ['user_id', 'id_number_hash'], {
    unique: true,
    name: 'patients_user_id_number_unique',
    where: { deleted_at: null },
  });
  await qi.addIndex('patients', ['user_id'], {
    unique: true,
    name: 'patients_one_self_per_user',
    where: { relation: 'self', deleted_at: null },
  });
}

export async function down(qi: QueryInterface) {
  for (const table of ['patients', 'consents', 'sms_codes', 'refresh_tokens', 'auth_sessions', 'users']) {
    await qi.dropTable(table);
  }
}
