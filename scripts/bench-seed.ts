import { withCheckChar } from '../common/id-card';
import { maskIdNumber, maskPhone } from '../common/mask';
import type { Db } from '../server/src/db';
import { newId } from '../server/src/lib/ids';
import { AuthSession, Consent, User } from '../server/src/modules/accounts/models';
import { Patient } from '../server/src/modules/patients/models';
import { slotOf, type PiiCipher } from '../server/src/privacy/cipher';

export interface SeededPatient {
  userId: string;
  sessionId: string;
  patientId: string;
}

/**
 * Benchmarks' crowd: `count` phone accounts, each with a live session, the
 * current health-data consent and one verified 本人, written in batches (the
 * way the API would leave them, without the API's cost).
 */
export async function seedVerifiedPatients(
  db: Db,
  cipher: PiiCipher,
  o: { count: number; policyVersion: string; phoneBase: number; name: string; batch?: number },
): Promise<SeededPatient[]> {
  const out: SeededPatient[] = [];
  const batch = o.batch ?? 1000;
  for (let start = 0; start < o.count; start += batch) {
    const users: object[] = [];
    const sessions: object[] = [];
    const consents: object[] = [];
    const patients: object[] = [];
    for (let i = start; i < Math.min(o.count, start + batch); i++) {
      const userId = newId('usr');
      const sessionId = newId('ses');
      const patientId = newId('pat');
      const phone = `13${String(o.phoneBase + i).slice(-9)}`;
      // Valid and distinct ID numbers (the HIS simulator keys demo reports by them), birth dates spread over 50 years.
      const birth = `${1950 + (i % 50)}${String((i % 12) + 1).padStart(2, '0')}${String((Math.floor(i / 12) % 28) + 1).padStart(2, '0')}`;
      const id = withCheckChar(`310104${birth}${String(Math.floor(i / 336) % 1000).padStart(3, '0')}`);
      users.push({
        id: userId,
        phoneHash: cipher.blindIndex('phone', phone),
        phoneEnc: cipher.encrypt(phone, slotOf('users', 'phone_enc', userId)),
      });
      sessions.push({ id: sessionId, userId, expiresAt: new Date(Date.now() + 86_400_000) });
      consents.push({
        id: newId('cns'),
        userId,
        kind: 'health_data',
        policyVersion: o.policyVersion,
        grantedAt: new Date(),
      });
      patients.push({
        id: patientId,
        userId,
        name: o.name,
        idNumberEnc: cipher.encrypt(id, slotOf('patients', 'id_number_enc', patientId)),
        idNumberHash: cipher.blindIndex('id_number', id),
        idNumberMasked: maskIdNumber(id),
        phoneEnc: cipher.encrypt(phone, slotOf('patients', 'phone_enc', patientId)),
        phoneMasked: maskPhone(phone),
        sex: Number(id[16]) % 2 ? 'male' : 'female',
        birthYear: Number(birth.slice(0, 4)),
        relation: 'self',
        verificationStatus: 'verified',
      });
      out.push({ userId, sessionId, patientId });
    }
    await db.write(async (transaction) => {
      await User.bulkCreate(users as never[], { transaction });
      await AuthSession.bulkCreate(sessions as never[], { transaction });
      await Consent.bulkCreate(consents as never[], { transaction });
      await Patient.bulkCreate(patients as never[], { transaction });
    });
  }
  return out;
}
