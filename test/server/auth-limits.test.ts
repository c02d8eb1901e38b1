import { lastSmsCode, phoneNumber } from '../support/accounts';
import { startTestPlatform, type TestPlatform } from '../support/platform';

// A platform with tight limits. Sequelize models are bound per process, so a
// second platform gets its own test file. The test platform trusts one proxy
// hop: X-Forwarded-For "<client>" is the address the proxy saw.
let strict: TestPlatform;
beforeAll(async () => {
  strict = await startTestPlatform({
    env: {
      SMS_RESEND_INTERVAL_SEC: '0',
      SMS_DAILY_LIMIT: '5',
      SMS_DAILY_LIMIT_PER_IP: '3',
      SMS_THROTTLED_INTERVAL_SEC: '300',
      RATE_SMS_PER_IP_PER_HOUR: '15',
      RATE_LOGIN_FAILURES_PER_PHONE_IP: '3',
      RATE_LOGIN_FAILURES_PER_PHONE: '6',
      RATE_LOGIN_FAILURES_PER_IP: '8',
      RATE_READ_PER_IP_PER_MINUTE: '5',
      RATE_REFRESH_PER_IP_PER_MINUTE: '3',
      RATE_WRITE_PER_IP_PER_MINUTE: '3',
    },
  });
});
afterAll(() => strict.close());

const sendCode = (phone: string, ip: string) =>
  strict.api.post('/api/v1/auth/sms-code').set('X-Forwarded-For', ip).send({ phone });
const signIn = (phone: string, code: string, ip: string) =>
  strict.api.post('/api/v1/auth/phone').set('X-Forwarded-For', ip).send({ phone, code });
const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
/** Moves a phone's codes back in time, as if `sec` seconds had passed. */
const age = (phone: string, sec: number) =>
  strict.db.writeSql((sql) =>
    sql.run('UPDATE sms_codes SET created_at = ? WHERE phone_hash = ?', [
      new Date(Date.now() - sec * 1000),
      strict.services.cipher.blindIndex('phone', phone),
    ]),
  );

describe('SMS codes', () => {
  it("a stranger's address runs out of codes for a phone; the owner's does not", async () => {
    const phone = phoneNumber();
    for (let i = 0; i < 3; i++) expect((await sendCode(phone, '10.1.0.1')).status).toBe(202);
    const refused = await sendCode(phone, '10.1.0.1');
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('SMS_DAILY_LIMIT');
    expect((await sendCode(phone, '10.1.9.9')).status).toBe(202);
  });

  it("past the phone's daily count, codes slow to one per few minutes instead of stopping for the day", async () => {
    const phone = phoneNumber();
    for (let i = 0; i < 5; i++) expect((await sendCode(phone, `10.1.1.${i}`)).status).toBe(202);
    const slowed = await sendCode(phone, '10.1.1.99');
    expect(slowed.status).toBe(429);
    expect(slowed.body.error.code).toBe('SMS_TOO_FREQUENT');
    expect(Number(slowed.headers['retry-after'])).toBeLessThanOrEqual(300);
    await age(phone, 301);
    expect((await sendCode(phone, '10.1.1.99')).status).toBe(202);
  });

  it('limits code sending per address generously, without touching other addresses', async () => {
    const ip = '10.3.0.1';
    for (let i = 0; i < 15; i++) expect((await sendCode(phoneNumber(), ip)).status).toBe(202);
    const refused = await sendCode(phoneNumber(), ip);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    expect((await sendCode(phoneNumber(), '10.3.0.2')).status).toBe(202);
  });
});

describe('sign-in attempts', () => {
  it('never counts successful sign-ins', async () => {
    const phone = phoneNumber();
    // More sign-ins from one address than every failure limit allows (3 per phone and address, 6 per phone).
    for (let i = 0; i < 8; i++) {
      // Used codes are cleared so the phone stays under its daily code count; codes come from other addresses.
      await strict.db.writeSql((sql) => sql.run('DELETE FROM sms_codes WHERE consumed_at IS NOT NULL'));
      await sendCode(phone, `10.2.0.${100 + i}`).expect(202);
      expect((await signIn(phone, await lastSmsCode(strict, phone), '10.2.0.1')).status).toBe(200);
    }
  });

  it("blocks a stranger's address after its wrong codes, while the owner still signs in", async () => {
    const phone = phoneNumber();
    await sendCode(phone, '10.2.1.9').expect(202);
    const code = await lastSmsCode(strict, phone);
    for (let i = 0; i < 3; i++) expect((await signIn(phone, '000000', '10.2.1.1')).status).toBe(401);
    const blocked = await signIn(phone, code, '10.2.1.1');
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('RATE_LIMITED');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // The owner, elsewhere, is not blocked (and the code is still good: 3 of its 5 tries used).
    expect((await signIn(phone, code, '10.2.1.9')).status).toBe(200);
  });

  it('blocks a phone attacked from many addresses for a few minutes at most', async () => {
    const phone = phoneNumber();
    await sendCode(phone, '10.2.2.9').expect(202);
    // Each code allows 5 tries; ask for new ones so the per-phone count (6) is what stops the attack.
    for (let i = 0; i < 6; i++) {
      if (i === 5) {
        await age(phone, 1);
        await sendCode(phone, '10.2.2.8').expect(202);
      }
      expect((await signIn(phone, wrongCode(await lastSmsCode(strict, phone)), `10.2.2.${i}`)).status).toBe(
        i === 4 ? 403 : 401,
      );
    }
    const blocked = await signIn(phone, await lastSmsCode(strict, phone), '10.2.2.9');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(300);
  });

  it('blocks an address that tries wrong codes on many phones', async () => {
    for (let i = 0; i < 8; i++) expect((await signIn(phoneNumber(), '000000', '10.2.3.1')).status).toBe(401);
    expect((await signIn(phoneNumber(), '000000', '10.2.3.1')).status).toBe(429);
    expect((await signIn(phoneNumber(), '000000', '10.2.3.2')).status).toBe(401);
  });
});

describe('client addresses behind one trusted proxy (TRUST_PROXY_HOPS=1)', () => {
  it('counts the address the proxy appended, whatever the client wrote to the left of it', async () => {
    const read = (spoof: string) => strict.api.get('/api/v1/hospitals').set('X-Forwarded-For', `${spoof}, 10.5.0.1`);
    for (let i = 0; i < 5; i++) expect((await read(`203.0.113.${i}`)).status).toBe(200);
    const limited = await read('203.0.113.77');
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect((await strict.api.get('/api/v1/hospitals').set('X-Forwarded-For', '10.5.0.2')).status).toBe(200);
  });
});

let addressSeq = 0;
describe('per-address limits on refresh and on patient writes', () => {
  it.each([
    [
      'token refresh',
      (ip: string) =>
        strict.api
          .post('/api/v1/auth/refresh')
          .set('X-Forwarded-For', ip)
          .send({ refreshToken: 'x'.repeat(43) }),
    ],
    ['cancellation', (ip: string) => strict.api.post('/api/v1/appointments/apt_x/cancel').set('X-Forwarded-For', ip)],
    ['leaving a waitlist', (ip: string) => strict.api.delete('/api/v1/waitlist/wlt_x').set('X-Forwarded-For', ip)],
  ])('limits %s per address before anything else runs', async (_what, call) => {
    const ip = `10.6.${++addressSeq}.1`;
    for (let i = 0; i < 3; i++) expect((await call(ip)).status).not.toBe(429);
    expect((await call(ip)).status).toBe(429);
    expect((await call(`${ip}0`)).status).not.toBe(429);
  });
});
