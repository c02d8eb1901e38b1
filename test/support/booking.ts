import { shanghaiDate } from '../../server/src/lib/time';
import { addPatient, idNumber, signInWithConsent, type Session } from './accounts';
import type { TestPlatform } from './platform';

export interface SlotView {
  id: string;
  doctorId: string;
  date: string;
  period: 'am' | 'pm';
  status: string;
  remaining: number;
  capacity: number;
  feeFen: number;
  startAt: string;
}

/** Open future slots of the doctors of one hospital's first departments (by list order). */
export async function openSlots(p: TestPlatform, hospitalIndex = 0): Promise<SlotView[]> {
  const hospitals = (await p.api.get('/api/v1/hospitals?pageSize=100')).body.items;
  const deps = (await p.api.get(`/api/v1/hospitals/${hospitals[hospitalIndex].id}/departments?pageSize=100`)).body
    .items;
  const out: SlotView[] = [];
  for (const dep of deps.slice(0, 4)) {
    const docs = (await p.api.get(`/api/v1/departments/${dep.id}/doctors`)).body.items;
    for (const doc of docs) {
      const slots = (await p.api.get(`/api/v1/doctors/${doc.id}/slots`)).body.items as SlotView[];
      out.push(...slots.filter((s) => s.status === 'open' && s.date > shanghaiDate()));
    }
  }
  return out;
}

/** A signed-in account with consent and `n` verified patients (本人 first). */
export async function accountWithPatients(p: TestPlatform, n = 1): Promise<{ session: Session; patientIds: string[] }> {
  const session = await signInWithConsent(p);
  const patientIds: string[] = [];
  const relations = ['self', 'spouse', 'parent', 'parent', 'other'];
  for (let i = 0; i < n; i++) {
    const res = await addPatient(p, session, {
      idNumber: idNumber(`19${60 + i}0101`),
      relation: relations[i],
      name: `测试${'甲乙丙丁戊'[i]}`,
    });
    patientIds.push(res.body.id);
  }
  return { session, patientIds };
}

let keySeq = 0;
export const newKey = () => `key-${process.pid}-${Date.now()}-${++keySeq}`;

export function book(p: TestPlatform, s: Session, slotId: string, patientId: string, key = newKey()) {
  return p.api.post('/api/v1/appointments').set(s.auth).set('Idempotency-Key', key).send({ slotId, patientId });
}

/**
 * Hands out open slots of a different doctor each time, so the tests of one
 * file do not meet each other's bookings (one per patient, doctor and day).
 */
export function slotPicker(slots: SlotView[]): () => SlotView {
  let next = 0;
  return () => {
    const used = new Set(slots.slice(0, next).map((s) => s.doctorId));
    const i = slots.findIndex((s, k) => k >= next && !used.has(s.doctorId));
    if (i < 0) throw new Error('no fresh slot left: open more hospitals in this test file');
    next = i + 1;
    return slots[i];
  };
}
