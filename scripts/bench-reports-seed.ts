/** Verified patients with consent and signed access tokens, for scripts/bench-reports.ts. */
import { withCheckChar } from '../common/id-card';
import { maskIdNumber, maskPhone } from '../common/mask';
import { newId } from '../server/src/lib/ids';
import { slotOf, type PiiCipher } from '../server/src/privacy/cipher';

export interface Reader {
  token: string;
  patientId: string;
}

/** `n` readers, each an account with one verified 本人 whose ID number is valid and distinct. */
export async function seedReaders(n: number, cipher: PiiCipher, sign: (p: object) => string, policy: string) {
  const readers: Reader[] = [];
  const rows = { users: [] as object[], sessions: [] as object[], consents: [] as object[], patients: [] as object[] };
  for (let i = 0; i < n; i++) {
    const userId = newId('usr');
    const sessionId = newId('ses');
    const patientId = newId('pat');
    const phone = `13${String(200000000 + i).slice(-9)}`;
    const birth = `${1950 + (i % 50)}${String((i % 12) + 1).padStart(2, '0')}${String((Math.floor(i / 12) % 28) + 1).padStart(2, '0')}`;
    const id = withCheckChar(`310104${birth}${String(i % 1000).padStart(3, '0')}`);
    rows.users.push({
      id: userId,
      phoneHash: cipher.blindIndex('phone', phone),
      phoneEnc: cipher.encrypt(phone, slotOf('users', 'phone_enc', userId)),
    });
    rows.sessions.push({ id: sessionId, userId, expiresAt: new Date(Date.now() + 86_400_000) });
    rows.consents.push({ id: newId('cns'), userId, kind: 'health_data', policyVersion: policy, grantedAt: new Date() });
    rows.patients.push({
      id: patientId,
      userId,
      name: '王建国',
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
    readers.push({ token: sign({ sid: sessionId, sub: userId }), patientId });
  }
  return { readers, rows };
}
