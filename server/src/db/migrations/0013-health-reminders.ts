import { DataTypes, type QueryInterface } from 'sequelize';
import { id, ref, timestamps } from './columns';

/**
 * Reminders to measure (issue 16): per patient, a measurement type and a
 * Shanghai time of day. A save replaces a patient's reminders with new rows
 * (new ids), so a job scheduled for a replaced reminder finds nothing and
 * sends nothing.
 */
export async function up(qi: QueryInterface) {
  await qi.createTable('health_reminders', {
    id,
    patient_id: ref('patients'),
    type: { type: DataTypes.STRING(20), allowNull: false },
    time: { type: DataTypes.STRING(5), allowNull: false },
    enabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    ...timestamps,
  });
  await qi.addIndex('health_reminders', ['patient_id', 'type', 'time'], {
    name: 'health_reminders_patient_type_time',
    unique: true,
  });
}

export async function down(qi: QueryInterface) {
  await qi.dropTable('health_reminders');
}
