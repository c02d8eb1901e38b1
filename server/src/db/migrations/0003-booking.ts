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
const int = (defaultValue?: number) => ({
  type: DataTypes.INTEGER,
  allowNull: false,
  ...(defaultValue === undefined ? {} : { defaultValue }),
});

export async function up(qi: QueryInterface) {
  await qi.addColumn('hospitals', 'slots_synced_at', { type: DataTypes.DATE, allowNull: true });
  await qi.createTable('booking_rules', {
    hospital_id: { ...ref('hospitals'), primaryKey: true },
    window_days: int(),
    release_time: { type: DataTypes.STRING(5), allowNull: false },
    stop_time: { type: DataTypes.STRING(5), allowNull: false },
    cancel_cutoff_hours: int(),
    max_active: int(),
    no_show_limit: int(),
    no_show_window_days: int(),
    suspend_days: int(),
    ...timestamps,
  });

  await qi.createTable('slots', {
    id,
    hospital_id: ref('hospitals'),
    department_id: ref('departments'),
    doctor_id: ref('doctors'),
    his_code: { type: DataTypes.STRING(80), allowNull: false },
    date: { type: DataTypes.STRING(10), allowNull: false },
    period: { type: DataTypes.STRING(2), allowNull: false },
    start_at: { type: DataTypes.DATE, allowNull: false },
    end_at: { type: DataTypes.DATE, allowNull: false },
    level: { type: DataTypes.STRING(10), allowNull: false },
    fee_fen: int(),
    capacity: int(),
    booked: int(0),
    closed: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    ...timestamps,
  });
  await qi.addIndex('slots', ['hospital_id', 'his_code'], { unique: true });
  await qi.addIndex('slots', ['doctor_id', 'date']);
  await qi.addIndex('slots', ['department_id', 'date']);

  await qi.createTable('appointments', {
    id,
    user_id: ref('users'),
    patient_id: ref('patients'),
    slot_id: ref('slots'),
    doctor_id: ref('doctors'),
    hospital_id: ref('hospitals'),
    date: { type: DataTypes.STRING(10), allowNull: false },
    status: { type: DataTypes.STRING(20), allowNull: false },
    booking_code: { type: DataTypes.STRING(12), allowNull: false },
    fee_fen: int(),
    idempotency_key: { type: DataTypes.STRING(80), allowNull: true },
    request_hash: { type: DataTypes.STRING(64), allowNull: true },
    his_status: { type: DataTypes.STRING(20), allowNull: false },
    his_booking_id: { type: DataTypes.STRING(64), allowNull: true },
    cancel_reason: { type: DataTypes.STRING(200), allowNull: true },
    cancelled_at: { type: DataTypes.DATE, allowNull: true },
    from_waitlist: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    ...timestamps,
  });
  await qi.addIndex('appointments', ['user_id', 'status']);
  await qi.addIndex('appointments', ['slot_id']);
  await qi.addIndex('appointments', ['user_id', 'idempotency_key'], { unique: true, name: 'appointments_idempotency' });
  // One active booking per patient, doctor and day, whatever the concurrency.
  await qi.addIndex('appointments', ['patient_id', 'doctor_id', 'date'], {
    unique: true,
    name: 'appointments_one_active_per_doctor_day',
    where: { status: ['booked', 'checked_in'] },
  });

  await qi.createTable('waitlist_entries', {
    id,
    user_id: ref('users'),
    patient_id: ref('patients'),
    slot_id: ref('slots'),
    status: { type: DataTypes.STRING(20), allowNull: false },
    appointment_id: ref('appointments', true),
    ...timestamps,
  });
  await qi.addIndex('waitlist_entries', ['slot_id', 'status', 'created_at']);
  await qi.addIndex('waitlist_entries', ['patient_id', 'slot_id'], {
    unique: true,
    name: 'waitlist_one_per_patient_slot',
    where: { status: 'waiting' },
  });

  await qi.createTable('outbox', {
    id,
    kind: { type: DataTypes.STRING(40), allowNull: false },
    appointment_id: ref('appointments'),
    attempts: int(0),
    next_attempt_at: { type: DataTypes.DATE, allowNull: false },
    claimed_until: { type: DataTypes.DATE, allowNull: true },
    done_at: { type: DataTypes.DATE, allowNull: true },
    last_error: { type: DataTypes.STRING(300), allowNull: true },
    ...timestamps,
  });
  await qi.addIndex('outbox', ['done_at', 'next_attempt_at']);

  await qi.createTable('domain_events', {
    id,
    type: { type: DataTypes.STRING(60), allowNull: false },
    user_id: ref('users', true),
    aggregate_id: { type: DataTypes.STRING(32), allowNull: false },
    payload: { type: DataTypes.TEXT, allowNull: false },
    delivered_at: { type: DataTypes.DATE, allowNull: true },
    ...timestamps,
  });
  await qi.addIndex('domain_events', ['delivered_at', 'created_at']);
}

export async function down(qi: QueryInterface) {
  for (const t of ['domain_events', 'outbox', 'waitlist_entries', 'appointments', 'slots', 'booking_rules'])
    await qi.dropTable(t);
  // SQLite removes a column by rebuilding the table, which other tables' foreign keys would block.
  const sqlite = qi.sequelize.getDialect() === 'sqlite';
  if (sqlite) await qi.sequelize.query('PRAGMA foreign_keys = OFF');
  await qi.removeColumn('hospitals', 'slots_synced_at');
  if (sqlite) await qi.sequelize.query('PRAGMA foreign_keys = ON');
}
