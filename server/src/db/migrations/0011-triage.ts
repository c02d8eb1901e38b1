import { DataTypes, type QueryInterface } from 'sequelize';
import { id, ref, timestamps } from './columns';

/** Human triage (人工分诊): tickets a patient opens and triage nurses work, and their conversation. */
export async function up(qi: QueryInterface) {
  await qi.createTable('triage_tickets', {
    id,
    user_id: ref('users'),
    patient_id: ref('patients', true),
    /** The hospital whose triage desk handles it; null for the platform's own desk. */
    hospital_id: ref('hospitals', true),
    /** Summary, text and callback phone are PiiCipher ciphertext bound to the row (health data, a phone). */
    summary_enc: { type: DataTypes.TEXT, allowNull: false },
    text_enc: { type: DataTypes.TEXT, allowNull: false },
    callback_phone_enc: { type: DataTypes.TEXT, allowNull: true },
    callback_phone_masked: { type: DataTypes.STRING(20), allowNull: true },
    /** The triage engine's reading of the text: emergency, urgent or routine; orders the queue. */
    urgency: { type: DataTypes.STRING(10), allowNull: false },
    urgency_rank: { type: DataTypes.INTEGER, allowNull: false },
    status: { type: DataTypes.STRING(10), allowNull: false },
    claimed_by: ref('staff_accounts', true),
    claimed_at: { type: DataTypes.DATE, allowNull: true },
    recommended_department: { type: DataTypes.STRING(30), allowNull: true },
    callback_requested: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    closed_at: { type: DataTypes.DATE, allowNull: true },
    ...timestamps,
  });
  await qi.addIndex('triage_tickets', ['user_id', 'created_at']);
  await qi.addIndex('triage_tickets', ['status', 'urgency_rank', 'created_at']);
  await qi.addIndex('triage_tickets', ['patient_id']);

  await qi.createTable('triage_messages', {
    id,
    ticket_id: ref('triage_tickets'),
    author: { type: DataTypes.STRING(10), allowNull: false },
    staff_id: ref('staff_accounts', true),
    /** text, recommendation, callback (a logged call), status (claimed, closed). */
    kind: { type: DataTypes.STRING(20), allowNull: false },
    body_enc: { type: DataTypes.TEXT, allowNull: false },
    ...timestamps,
  });
  await qi.addIndex('triage_messages', ['ticket_id', 'created_at']);
}

export async function down(qi: QueryInterface) {
  await qi.dropTable('triage_messages');
  await qi.dropTable('triage_tickets');
}
