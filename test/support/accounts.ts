import axios from 'axios';
import { withCheckChar } from '../../common/id-card';
import type { TestPlatform } from './platform';

let serial = 0;
/** A checksum-valid ID number born on `birth` (YYYYMMDD), unique per call in a test run. */
export function idNumber(birth = '19900307', sex: 'male' | 'female' = 'male'): string {
  serial = (serial + 1) % 500;
  const seq = String(serial * 2 + (sex === 'male' ? 1 : 0)).padStart(3, '0');
  return withCheckChar(`310104${birth}${seq}`);
}

let phoneSerial = 0;
export function phoneNumber(): string {
  phoneSerial++;
  return `139${String(process.pid % 10000).padStart(4, '0')}${String(phoneSerial).padStart(4, '0')}`;
}

/** Reads the last SMS code sent to a phone from the SMS simulator. */
export async function lastSmsCode(p: TestPlatform, phone: string): Promise<string> {
  const { data } = await axios.get(`${p.sims.sms.url}/__sim/messages`, { params: { phone } });
  return data.items.at(-1).params.code;
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  userId: string;
  phone: string;
  auth: { Authorization: string };
}

/** Signs in by phone the way the H5 site does. */
export async function signIn(p: TestPlatform, phone = phoneNumber()): Promise<Session> {
  await p.api.post('/api/v1/auth/sms-code').send({ phone }).expect(202);
  const res = await p.api
    .post('/api/v1/auth/phone')
    .send({ phone, code: await lastSmsCode(p, phone) })
    .expect(200);
  return {
    accessToken: res.body.accessToken,
    refreshToken: res.body.refreshToken,
    userId: res.body.user.id,
    phone,
    auth: { Authorization: `Bearer ${res.body.accessToken}` },
  };
}

/** Consents to health-data processing under the current policy. */
export async function grantConsent(p: TestPlatform, s: Session): Promise<void> {
  await p.api
    .post('/api/v1/me/consents')
    .set(s.auth)
    .send({ kind: 'health_data', policyVersion: p.config.privacyPolicyVersion })
    .expect(201);
}

/** Signs in and consents to health-data processing under the current policy. */
export async function signInWithConsent(p: TestPlatform, phone?: string): Promise<Session> {
  const s = await signIn(p, phone);
  await grantConsent(p, s);
  return s;
}

export function addPatient(
  p: TestPlatform,
  s: Session,
  body: Partial<{ name: string; idNumber: string; phone: string; relation: string }> = {},
) {
  return p.api
    .post('/api/v1/patients')
    .set(s.auth)
    .send({ name: '张三', idNumber: idNumber(), phone: s.phone, relation: 'self', ...body });
}
