import type { Sql } from '../../db/sql';

/**
 * Erases the reports of patients being erased (one, or all of an account), in
 * the caller's transaction (patients/erase.ts): their share links end (views
 * and all), and the stored copies of their reports and fetch records go. The
 * hospitals keep the originals; nothing of them stays with us.
 */
export async function eraseReports(sql: Sql, who: { userId: string; patientId?: string }) {
  const one = Boolean(who.patientId);
  const patients = one
    ? 'SELECT id FROM patients WHERE id = ? AND user_id = ?'
    : 'SELECT id FROM patients WHERE user_id = ?';
  const params = one ? [who.patientId!, who.userId] : [who.userId];
  const reports = `SELECT id FROM reports WHERE patient_id IN (${patients})`;
  const shares = `SELECT id FROM report_shares WHERE report_id IN (${reports})`;
  await sql.run(`DELETE FROM report_share_views WHERE share_id IN (${shares})`, params);
  await sql.run(`DELETE FROM report_shares WHERE report_id IN (${reports})`, params);
  await sql.run(`DELETE FROM reports WHERE patient_id IN (${patients})`, params);
  await sql.run(`DELETE FROM report_fetches WHERE patient_id IN (${patients})`, params);
}
