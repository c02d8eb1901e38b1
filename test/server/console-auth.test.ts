import supertest from 'supertest';
import { AuditEvent } from '../../server/src/modules/audit/models';
import { StaffAccount, StaffSession } from '../../server/src/modules/staff/models';
import { RateLimits } from '../../server/src/http/rate-limit';
import { DEMO_STAFF, seedDemoStaff } from '../../server/src/modules/staff/demo';
import { DEMO_PASSWORDS } from '../../server/src/modules/staff/passwords';
import { StaffSignIn } from '../../server/src/modules/staff/sign-in';
import { CONSOLE, TEST_PASSWORD, clientOf, codeAt, consoleSignIn, makeStaff } from '../support/console';
import { startTestPlatform, type TestPlatform } from '../support/platform';

let p: TestPlatform;
let hospitalId: string;
beforeAll(async () => {
  p = await startTestPlatform({ env: { CONSOLE_LOCKOUT_FAILURES: '3', CONSOLE_LOCKOUT_FAILURES_PER_IP: '8' } });
  hospitalId = (await p.api.get('/api/v1/hospitals')).body.items[0].id;
});
afterAll(() => p.close());

const agent = () => supertest.agent(p.app.callback());
const login = (a: ReturnType<typeof agent>, username: string, password = TEST_PASSWORD, ip = '10.0.0.1') =>
  a.post(`${CONSOLE}/auth/login`).set('X-Forwarded-For', ip).send({ username, password });

describe('console sign-in', () => {
  it('sets an HttpOnly, SameSite=Strict session cookie scoped to the console API, and no Secure flag in development', async () => {
    const nurse = await makeStaff(p, 'triage_nurse', [hospitalId]);
    const res = await login(agent(), nurse.username);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ stage: 'active', staff: { username: nurse.username, role: 'triage_nurse' } });
    const cookie = res.headers['set-cookie'][0];
    expect(cookie).toMatch(/^yl_console=[\w-]{43}; Path=\/api\/console; HttpOnly; SameSite=Strict$/);
  });

  it('answers the same for an unknown name and a wrong password, and audits the failure', async () => {
    const nurse = await makeStaff(p, 'triage_nurse', [hospitalId]);
    const wrong = await login(agent(), nurse.username, 'Wrong-password-1', '10.0.1.1');
    const unknown = await login(agent(), 'nobody.here', 'Wrong-password-1', '10.0.1.1');
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.body.error).toEqual(unknown.body.error);
    expect(wrong.body.error.code).toBe('LOGIN_FAILED');
    expect(await AuditEvent.count({ where: { staffId: nurse.id, action: 'auth.login_failed' } })).toBe(1);
  });

  it('locks an account after repeated failures, from any address, even for the right password', async () => {
    const nurse = await makeStaff(p, 'triage_nurse', [hospitalId]);
    for (let i = 0; i < 3; i++) {
      expect((await login(agent(), nurse.username, 'Wrong-password-1', `10.0.2.${i}`)).status).toBe(401);
    }
    const locked = await login(agent(), nurse.username, TEST_PASSWORD, '10.0.2.9');
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('LOGIN_LOCKED');
    expect(locked.headers['retry-after']).toBeDefined();
    // Another account from the same addresses is not affected.
    const other = await makeStaff(p, 'expert', [hospitalId]);
    expect((await login(agent(), other.username, TEST_PASSWORD, '10.0.2.9')).status).toBe(200);
  });

  it('locks an address that tries many accounts', async () => {
    for (let i = 0; i < 8; i++) {
      expect((await login(agent(), `someone.${i}`, 'Wrong-password-1', '10.0.3.1')).status).toBe(401);
    }
    const nurse = await makeStaff(p, 'triage_nurse', [hospitalId]);
    expect((await login(agent(), nurse.username, TEST_PASSWORD, '10.0.3.1')).body.error.code).toBe('LOGIN_LOCKED');
    expect((await login(agent(), nurse.username, TEST_PASSWORD, '10.0.3.2')).status).toBe(200);
  });
});

describe('TOTP', () => {
  it('requires enrolment for an admin without TOTP: QR code, a first code, ten recovery codes', async () => {
    const admin = await makeStaff(p, 'hospital_admin', [hospitalId], { totp: false });
    const a = agent();
    const first = await login(a, admin.username);
    expect(first.body.stage).toBe('enrol');
    // Nothing else works before enrolment.
    expect((await a.get(`${CONSOLE}/dashboard`)).body.error.code).toBe('SIGN_IN_INCOMPLETE');
    const started = await a.post(`${CONSOLE}/auth/totp/enrolment`).set('X-CSRF-Token', first.body.csrfToken);
    expect(started.status).toBe(200);
    expect(started.body.qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(started.body.otpauthUrl).toContain(`secret=${started.body.secret}`);
    const bad = await a
      .post(`${CONSOLE}/auth/totp/enrolment/confirm`)
      .set('X-CSRF-Token', first.body.csrfToken)
      .send({ code: codeAt(started.body.secret, 5) });
    expect(bad.body.error.code).toBe('TOTP_INVALID');
    const done = await a
      .post(`${CONSOLE}/auth/totp/enrolment/confirm`)
      .set('X-CSRF-Token', first.body.csrfToken)
      .send({ code: codeAt(started.body.secret) });
    expect(done.status).toBe(200);
    expect(done.body.stage).toBe('active');
    expect(done.body.recoveryCodes).toHaveLength(10);
    expect(done.body.csrfToken).not.toBe(first.body.csrfToken);
    expect((await clientOf(a, done.body.csrfToken).get('/dashboard')).status).toBe(200);

    // Next sign-in: the TOTP step; a recovery code works once.
    const b = agent();
    const again = await login(b, admin.username);
    expect(again.body.stage).toBe('totp');
    const rc = done.body.recoveryCodes[0];
    const used = await b
      .post(`${CONSOLE}/auth/totp`)
      .set('X-CSRF-Token', again.body.csrfToken)
      .send({ recoveryCode: rc });
    expect(used.body.stage).toBe('active');
    const c = agent();
    const third = await login(c, admin.username);
    const reused = await c
      .post(`${CONSOLE}/auth/totp`)
      .set('X-CSRF-Token', third.body.csrfToken)
      .send({ recoveryCode: rc });
    expect(reused.body.error.code).toBe('RECOVERY_CODE_INVALID');
  });

  it('refuses a wrong code and a replayed code within its window', async () => {
    const admin = await makeStaff(p, 'platform_admin');
    const a = agent();
    const s1 = (await login(a, admin.username)).body;
    const wrong = await a
      .post(`${CONSOLE}/auth/totp`)
      .set('X-CSRF-Token', s1.csrfToken)
      .send({ code: '000000' === codeAt(admin.secret!) ? '111111' : '000000' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('TOTP_INVALID');
    const code = codeAt(admin.secret!);
    const ok = await a.post(`${CONSOLE}/auth/totp`).set('X-CSRF-Token', s1.csrfToken).send({ code });
    expect(ok.body.stage).toBe('active');
    // A completed sign-in is recorded and clears the account's failure count.
    expect((await StaffAccount.findByPk(admin.id))!.lastLoginAt).toBeInstanceOf(Date);
    const b = agent();
    const s2 = (await login(b, admin.username)).body;
    const replay = await b.post(`${CONSOLE}/auth/totp`).set('X-CSRF-Token', s2.csrfToken).send({ code });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('TOTP_REPLAYED');
    // The next step's code is still good.
    const next = await b
      .post(`${CONSOLE}/auth/totp`)
      .set('X-CSRF-Token', s2.csrfToken)
      .send({ code: codeAt(admin.secret!, 1) });
    expect(next.body.stage).toBe('active');
  });
});

describe('session protection', () => {
  it('refuses a state-changing call without the CSRF token, or with another session’s', async () => {
    const admin = await makeStaff(p, 'hospital_admin', [hospitalId]);
    const c = await consoleSignIn(p, admin);
    const rules = (await c.get(`/hospitals/${hospitalId}`)).body.rules;
    const none = await c.agent.put(`${CONSOLE}/hospitals/${hospitalId}/rules`).send(rules);
    expect(none.status).toBe(403);
    expect(none.body.error.code).toBe('CSRF_INVALID');
    const other = await consoleSignIn(p, await makeStaff(p, 'triage_nurse', [hospitalId]));
    const foreign = await c.agent
      .put(`${CONSOLE}/hospitals/${hospitalId}/rules`)
      .set('X-CSRF-Token', other.csrf)
      .send(rules);
    expect(foreign.body.error.code).toBe('CSRF_INVALID');
    expect((await c.put(`/hospitals/${hospitalId}/rules`, rules)).status).toBe(200);
  });

  it('ends a session left idle past the timeout', async () => {
    const nurse = await makeStaff(p, 'triage_nurse', [hospitalId]);
    const c = await consoleSignIn(p, nurse);
    expect((await c.get('/auth/session')).status).toBe(200);
    await StaffSession.update(
      { lastSeenAt: new Date(Date.now() - p.config.console.idleMs - 1000) },
      { where: { staffId: nurse.id } },
    );
    const res = await c.get('/auth/session');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('SESSION_EXPIRED');
    expect((await c.get('/auth/session')).body.error.code).toBe('SESSION_REVOKED');
  });

  it('ends a session at its absolute lifetime however busy', async () => {
    const nurse = await makeStaff(p, 'triage_nurse', [hospitalId]);
    const c = await consoleSignIn(p, nurse);
    await StaffSession.update({ expiresAt: new Date(Date.now() - 1000) }, { where: { staffId: nurse.id } });
    expect((await c.get('/auth/session')).body.error.code).toBe('SESSION_EXPIRED');
  });

  it('ends the session on logout', async () => {
    const nurse = await makeStaff(p, 'triage_nurse', [hospitalId]);
    const c = await consoleSignIn(p, nurse);
    expect((await c.post('/auth/logout')).status).toBe(204);
    expect((await c.get('/auth/session')).status).toBe(401);
  });

  it('makes a one-time password be replaced before anything else, refusing the demo passwords', async () => {
    const nurse = await makeStaff(p, 'triage_nurse', [hospitalId], { mustChangePassword: true });
    const a = agent();
    const s = (await login(a, nurse.username)).body;
    expect(s.stage).toBe('password');
    const c = clientOf(a, s.csrfToken);
    expect((await c.get('/appointments')).status).toBe(401);
    const demo = await c.post('/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'Demo-Nurse-2026' });
    expect(demo.status).toBe(422);
    const weak = await c.post('/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'short' });
    expect(weak.body.error.details.fields[0]).toMatchObject({ path: 'body.newPassword', message: '密码至少10位' });
    const ok = await c.post('/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'A-new-password-99' });
    expect(ok.body.stage).toBe('active');
  });
});

describe('demo accounts', () => {
  it('creates one account per role with the documented passwords; production refuses them', async () => {
    expect(await seedDemoStaff(p.db)).toBe(4);
    expect(await seedDemoStaff(p.db)).toBe(0);
    for (const demo of DEMO_STAFF) {
      const res = await login(agent(), demo.username, DEMO_PASSWORDS[demo.role], '10.0.9.1');
      expect(res.status).toBe(200);
      expect(res.body.staff.role).toBe(demo.role);
      expect(res.body.stage).toBe(demo.role.endsWith('admin') ? 'enrol' : 'active');
    }
    const production = new StaffSignIn({
      db: p.db,
      cipher: p.services.cipher,
      sessions: p.services.staff.sessions,
      limits: new RateLimits({
        consoleLoginPerIp: { points: 100, durationSec: 60 },
        consoleFailPerAccount: { points: 5, durationSec: 900, blockSec: 900 },
        consoleFailPerIp: { points: 50, durationSec: 3600, blockSec: 3600 },
      }),
      production: true,
    });
    const actor = { staffId: null, username: null, role: null, ip: '10.0.9.2', requestId: 'test-demo-refused' };
    await expect(production.login('nurse.demo', DEMO_PASSWORDS.triage_nurse, actor)).rejects.toMatchObject({
      status: 403,
      code: 'DEMO_ACCOUNT_REFUSED',
    });
  });
});
