import axios from 'axios';
import type { HisReport, HisReportItem } from '../../server/src/his/types';
import { Hospital } from '../../server/src/modules/hospitals/models';
import { addPatient, idNumber, signInWithConsent, type Session } from './accounts';
import type { TestPlatform } from './platform';

/** A signed-in account with consent and one verified patient whose ID number the test knows. */
export async function reportReader(
  p: TestPlatform,
  options: { birth?: string; sex?: 'male' | 'female'; name?: string } = {},
): Promise<{ session: Session; patientId: string; idNumber: string }> {
  const session = await signInWithConsent(p);
  const id = idNumber(options.birth ?? '19800101', options.sex ?? 'male');
  const res = await addPatient(p, session, { idNumber: id, name: options.name ?? '王建国', relation: 'self' });
  if (res.status !== 201) throw new Error(`patient not created: ${JSON.stringify(res.body)}`);
  return { session, patientId: res.body.id, idNumber: id };
}

/** Adds a dependant (e.g. a child) to an account that already has its 本人. */
export async function addDependant(
  p: TestPlatform,
  session: Session,
  options: { birth: string; sex: 'male' | 'female'; name?: string; relation?: string },
): Promise<{ patientId: string; idNumber: string }> {
  const id = idNumber(options.birth, options.sex);
  const res = await addPatient(p, session, {
    idNumber: id,
    name: options.name ?? '李小明',
    relation: options.relation ?? 'child',
  });
  if (res.status !== 201) throw new Error(`patient not created: ${JSON.stringify(res.body)}`);
  return { patientId: res.body.id, idNumber: id };
}

let serial = 0;

/** A released lab report with the given items, at a time we choose (default: now). */
export function labReport(items: HisReportItem[], patch: Partial<HisReport> = {}): HisReport {
  serial++;
  return {
    code: `T${process.pid}-${Date.now()}-${serial}`,
    type: 'lab',
    title: '生化检验',
    specimen: '血清',
    status: 'final',
    reportedAt: '2026-11-20T09:30:00+08:00',
    department: '内科',
    orderedBy: '陈明',
    items,
    ...patch,
  };
}

const sim = (p: TestPlatform) => axios.create({ baseURL: p.sims.his.url });

/** Puts reports into one simulated hospital's HIS for a patient. */
export async function injectReports(p: TestPlatform, hospitalCode: string, idNumber: string, items: HisReport[]) {
  await sim(p).post(`/__sim/hospitals/${hospitalCode}/reports`, { idNumber, items });
}

/** The hospital changes a report later: finalises, amends, or takes it back to preliminary. */
export async function changeReport(p: TestPlatform, hospitalCode: string, code: string, patch: Partial<HisReport>) {
  await sim(p).put(`/__sim/hospitals/${hospitalCode}/reports/${code}`, patch);
}

/** Runs `fn` with the simulator's demo reports off, for tests that count exact results. */
export async function withoutDemoReports<T>(p: TestPlatform, fn: () => Promise<T>): Promise<T> {
  await sim(p).put('/__sim/demo-reports', { enabled: false });
  try {
    return await fn();
  } finally {
    await sim(p).put('/__sim/demo-reports', { enabled: true });
  }
}

/** Makes our copy of a patient's reports stale, so the next look asks the hospitals again. */
export async function expireCopies(p: TestPlatform, patientId: string) {
  await p.db.writeSql((sql) =>
    sql.run('UPDATE report_fetches SET fetched_at = ? WHERE patient_id = ?', [new Date(0), patientId]),
  );
}

export async function hospitalByCode(code: string) {
  return (await Hospital.findOne({ where: { code } }))!;
}

/** The stored report id of a hospital report (by its code), through the list. */
export async function reportIdOf(p: TestPlatform, s: Session, patientId: string, hospitalId: string, title: string) {
  const res = await p.api
    .get('/api/v1/reports')
    .query({ patientId, hospitalId, pageSize: 100 })
    .set(s.auth)
    .expect(200);
  return res.body.items.find((r: { title: string }) => r.title === title)?.id as string | undefined;
}
