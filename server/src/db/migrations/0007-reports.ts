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
const int = (defaultValue: number) => ({ type: DataTypes.INTEGER, allowNull: false, defaultValue });
const date = (allowNull = true) => ({ type: DataTypes.DATE, allowNull });

/**
 * Reports (issue 11): the hospitals' released reports as we last fetched them
 * (title and content encrypted), when each patient's reports were last fetched
 * from each hospital, share links (only the token's hash) and their views.
 */
export async function up(qi: QueryInterface) {
  await qi.createTable('reports', {
    id,
    patient_id: ref('patients'),
    hospital_id: ref('hospitals'),
    his_code: { type: DataTypes.STRING(80), allowNull: false },
    type: { type: DataTypes.STRING(10), allowNull: false },
    status: { type: DataTypes.STRING(20), allowNull: false },
    reported_at: date(false),
    title_enc: { type: DataTypes.TEXT, allowNull: false },
    content_enc: { type: DataTypes.TEXT, allowNull: false },
    abnormal_count: int(0),
    critical_count: int(0),
    ...timestamps,
  });
  await qi.addIndex('reports', ['patient_id', 'hospital_id', 'his_code'], { unique: true, name: 'reports_his_code' });
  await qi.addIndex('reports', ['patient_id', 'reported_at'], { name: 'reports_patient_time' });

  await qi.createTable('report_fetches', {
    patient_id: { ...ref('patients'), primaryKey: true },
    hospital_id: { ...ref('hospitals'), primaryKey: true },
    fetched_at: date(),
    failed_at: date(),
    ...timestamps,
  });

  await qi.createTable('report_shares', {
    id,
    report_id: ref('reports'),
    user_id: ref('users'),
    token_hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
    access_code_hash: { type: DataTypes.STRING(64), allowNull: true },
    expires_at: date(false),
    revoked_at: date(),
    failed_attempts: int(0),
    locked_until: date(),
    view_count: int(0),
    last_viewed_at: date(),
    ...timestamps,
  });
  await qi.addIndex('report_shares', ['report_id'], { name: 'report_shares_report' });
  await qi.addIndex('report_shares', ['user_id', 'created_at'], { name: 'report_shares_user' });

  await qi.createTable('report_share_views', {
    id,
    share_id: ref('report_shares'),
    viewed_at: date(false),
    ip_prefix: { type: DataTypes.STRING(50), allowNull: false },
    browser: { type: DataTypes.STRING(20), allowNull: false },
  });
  await qi.addIndex('report_share_views', ['share_id', 'viewed_at'], { name: 'report_share_views_share' });
}

export async function down(qi: QueryInterface) {
  for (const t of ['report_share_views', 'report_shares', 'report_fetches', 'reports']) await qi.dropTable(t);
}
