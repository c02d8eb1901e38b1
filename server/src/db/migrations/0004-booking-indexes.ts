import type { QueryInterface } from 'sequelize';

/** Lookups of the booking hot path that had no index: a patient's no-shows (suspension rule). */
export async function up(qi: QueryInterface) {
  await qi.addIndex('appointments', ['patient_id', 'status', 'updated_at'], { name: 'appointments_patient_status' });
}

export async function down(qi: QueryInterface) {
  await qi.removeIndex('appointments', 'appointments_patient_status');
}
