import { DataTypes, type QueryInterface } from 'sequelize';
import { id, ref, timestamps } from './columns';

/**
 * The day of the visit (issue 13): an appointment's check-in (签到) and its
 * place in its clinic room's queue, the one-time "almost your turn" notice,
 * and the bills seen at hospitals (ids and codes only: the amounts stay at
 * the hospital and are read from it each time).
 */
export async function up(qi: QueryInterface) {
  await qi.addColumn('appointments', 'checked_in_at', { type: DataTypes.DATE, allowNull: true });
  await qi.addColumn('appointments', 'queue_number', { type: DataTypes.INTEGER, allowNull: true });
  await qi.addColumn('appointments', 'queue_room_code', { type: DataTypes.STRING(80), allowNull: true });
  await qi.addColumn('appointments', 'queue_room_name', { type: DataTypes.STRING(60), allowNull: true });
  await qi.addColumn('appointments', 'queue_near_at', { type: DataTypes.DATE, allowNull: true });

  await qi.createTable('bills', {
    id,
    patient_id: ref('patients'),
    hospital_id: ref('hospitals'),
    his_code: { type: DataTypes.STRING(80), allowNull: false },
    ...timestamps,
  });
  await qi.addIndex('bills', ['patient_id', 'hospital_id', 'his_code'], { unique: true, name: 'bills_his_code' });
}

export async function down(qi: QueryInterface) {
  await qi.dropTable('bills');
  for (const c of ['queue_near_at', 'queue_room_name', 'queue_room_code', 'queue_number', 'checked_in_at'])
    await qi.removeColumn('appointments', c);
}
