import { authenticator } from 'otplib';
import supertest from 'supertest';
import type { StaffRole } from '../../common/console/roles';
import { slotOf } from '../../server/src/privacy/cipher';
import { StaffAccount } from '../../server/src/modules/staff/models';
import { hashPassword } from '../../server/src/modules/staff/passwords';
import { insertStaff } from '../../server/src/modules/staff/service';
import type { TestPlatform } from './platform';

export const CONSOLE = '/api/console/v1';
export const TEST_PASSWORD = 'Test-Password-1234';

export interface TestStaff {
  id: string;
  username: string;
  password: string;
  role: StaffRole;
  /** The TOTP secret when enrolled. */
  secret?: string;
}

let serial = 0;

/** A staff account made directly (no one-time password to replace); admins get TOTP enrolled unless `totp: false`. */
export async function makeStaff(
  p: TestPlatform,
  role: StaffRole,
  hospitalIds: string[] = [],
  options: { totp?: boolean; mustChangePassword?: boolean } = {},
): Promise<TestStaff> {
  const username = `t${process.pid % 10000}.${role.slice(0, 5)}.${++serial}`.toLowerCase();
  const passwordHash = await hashPassword(TEST_PASSWORD);
  const account = await p.db.write((t) =>
    insertStaff(t, {
      username,
      displayName: `测试${serial}`,
      role,
      hospitalIds,
      passwordHash,
      mustChangePassword: options.mustChangePassword ?? false,
    }),
  );
  const staff: TestStaff = { id: account.id, username, password: TEST_PASSWORD, role };
  const wantsTotp = options.totp ?? (role === 'platform_admin' || role === 'hospital_admin');
  if (wantsTotp) {
    staff.secret = authenticator.generateSecret(20);
    await StaffAccount.update(
      {
        totpSecretEnc: p.services.cipher.encrypt(staff.secret, slotOf('staff_accounts', 'totp_secret_enc', account.id)),
        totpEnabledAt: new Date(),
      },
      { where: { id: account.id } },
    );
  }
  return staff;
}

/** The code of a secret `steps` time steps from now (0 = current). */
export const codeAt = (secret: string, steps = 0) =>
  authenticator.clone({ epoch: Date.now() + steps * 30_000 }).generate(secret);

/** The next code of a secret not yet used in this test run: each time step is accepted once. */
const nextStep = new Map<string, number>();
export function freshCode(secret: string): string {
  const step = nextStep.get(secret) ?? -1;
  if (step > 1) throw new Error('no unused TOTP step left in the window: use another account');
  nextStep.set(secret, step + 1);
  return codeAt(secret, step);
}

export interface ConsoleClient {
  agent: ReturnType<typeof supertest.agent>;
  csrf: string;
  get(path: string): supertest.Test;
  post(path: string, body?: object): supertest.Test;
  put(path: string, body?: object): supertest.Test;
}

export function clientOf(agent: ReturnType<typeof supertest.agent>, csrf: string): ConsoleClient {
  return {
    agent,
    csrf,
    get: (path) => agent.get(CONSOLE + path),
    post: (path, body = {}) =>
      agent
        .post(CONSOLE + path)
        .set('X-CSRF-Token', csrf)
        .send(body),
    put: (path, body = {}) =>
      agent
        .put(CONSOLE + path)
        .set('X-CSRF-Token', csrf)
        .send(body),
  };
}

/** Signs a staff member in through the API (password, then TOTP when enrolled). */
export async function consoleSignIn(p: TestPlatform, staff: TestStaff): Promise<ConsoleClient> {
  const agent = supertest.agent(p.app.callback());
  const login = await agent.post(`${CONSOLE}/auth/login`).send({ username: staff.username, password: staff.password });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
  let session = login.body;
  if (session.stage === 'totp') {
    const res = await agent
      .post(`${CONSOLE}/auth/totp`)
      .set('X-CSRF-Token', session.csrfToken)
      .send({ code: freshCode(staff.secret!) });
    if (res.status !== 200) throw new Error(`totp failed: ${res.status} ${JSON.stringify(res.body)}`);
    session = res.body;
  }
  return clientOf(agent, session.csrfToken);
}
