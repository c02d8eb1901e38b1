import { DataTypes, type QueryInterface } from 'sequelize';
import { id, ref, timestamps } from './columns';

/** Notifications: the inbox, what was sent on which channel, preferences, WeChat authorisations, provider tokens. */
export async function up(qi: QueryInterface) {
  await qi.createTable('notifications', {
    id,
    user_id: ref('users'),
    patient_id: ref('patients', true),
    dedup_key: { type: DataTypes.STRING(80), allowNull: false, unique: true },
    kind: { type: DataTypes.STRING(40), allowNull: false },
    topic: { type: DataTypes.STRING(30), allowNull: false },
    urgent: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    title: { type: DataTypes.STRING(60), allowNull: false },
    body: { type: DataTypes.STRING(400), allowNull: false },
    page: { type: DataTypes.STRING(200), allowNull: true },
    /** What each channel says (WeChat data, SMS variables, voice text): template fields only. */
    content: { type: DataTypes.TEXT, allowNull: false },
    read_at: { type: DataTypes.DATE, allowNull: true },
    ...timestamps,
  });
  await qi.addIndex('notifications', ['user_id', 'created_at']);
  await qi.addIndex('notifications', ['user_id', 'read_at']);

  await qi.createTable('notification_deliveries', {
    id,
    notification_id: ref('notifications'),
    channel: { type: DataTypes.STRING(10), allowNull: false },
    status: { type: DataTypes.STRING(10), allowNull: false },
    reason: { type: DataTypes.STRING(100), allowNull: true },
    provider_ref: { type: DataTypes.STRING(100), allowNull: true },
    ...timestamps,
  });
  await qi.addIndex('notification_deliveries', ['notification_id', 'channel'], {
    unique: true,
    name: 'notification_deliveries_once',
  });
  await qi.addIndex('notification_deliveries', ['channel', 'status', 'created_at']);

  await qi.createTable('notification_settings', {
    id,
    user_id: ref('users'),
    topic: { type: DataTypes.STRING(30), allowNull: false },
    channel: { type: DataTypes.STRING(10), allowNull: false },
    enabled: { type: DataTypes.BOOLEAN, allowNull: false },
    ...timestamps,
  });
  await qi.addIndex('notification_settings', ['user_id', 'topic', 'channel'], {
    unique: true,
    name: 'notification_settings_one',
  });

  await qi.createTable('wechat_subscriptions', {
    id,
    user_id: ref('users'),
    template: { type: DataTypes.STRING(40), allowNull: false },
    granted: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    ...timestamps,
  });
  await qi.addIndex('wechat_subscriptions', ['user_id', 'template'], {
    unique: true,
    name: 'wechat_subscriptions_one',
  });

  await qi.createTable('provider_tokens', {
    id: { type: DataTypes.STRING(40), primaryKey: true, allowNull: false },
    token_enc: { type: DataTypes.STRING(600), allowNull: true },
    expires_at: { type: DataTypes.DATE, allowNull: false },
    refreshing_until: { type: DataTypes.DATE, allowNull: true },
  });
}

export async function down(qi: QueryInterface) {
  for (const t of [
    'provider_tokens',
    'wechat_subscriptions',
    'notification_settings',
    'notification_deliveries',
    'notifications',
  ]) {
    await qi.dropTable(t);
  }
}
