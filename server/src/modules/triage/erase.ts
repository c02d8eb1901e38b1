import type { Sql } from '../../db/sql';

/**
 * Erases human triage tickets with their conversations, in the caller's
 * transaction (patients/erase.ts): the tickets about an erased patient, or,
 * when a whole account goes, every ticket it opened. The audit log keeps who
 * did what to which ticket id, nothing of its content.
 */
export async function eraseTriage(sql: Sql, who: { userId: string; patientId?: string }) {
  const tickets = who.patientId
    ? 'SELECT id FROM triage_tickets WHERE patient_id = ? AND user_id = ?'
    : 'SELECT id FROM triage_tickets WHERE user_id = ?';
  const params = who.patientId ? [who.patientId, who.userId] : [who.userId];
  await sql.run(`DELETE FROM triage_messages WHERE ticket_id IN (${tickets})`, params);
  await sql.run(`DELETE FROM triage_tickets WHERE id IN (${tickets})`, params);
}
