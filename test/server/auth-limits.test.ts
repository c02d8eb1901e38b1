import { phoneNumber } from '../support/accounts';
import { startTestPlatform, type TestPlatform } from '../support/platform';

// A platform with tight limits. Sequelize models are bound per process, so a
// second platform gets its own test file.
describe('sign-in limits', () => {
  let strict: TestPlatform;
  beforeAll(async () => {
    strict = await startTestPlatform({
      env: { SMS_RESEND_INTERVAL_SEC: '0', RATE_LOGIN_PER_PHONE_PER_HOUR: '3', RATE_SMS_PER_IP_PER_HOUR: '15' },
    });
  });
  afterAll(() => strict.close());

  it('sends at most 10 codes a day to one phone', async () => {
    const phone = phoneNumber();
    for (let i = 0; i < 10; i++) {
      expect(
        (await strict.api.post('/api/v1/auth/sms-code').set('X-Forwarded-For', `10.1.0.${i}`).send({ phone })).status,
      ).toBe(202);
    }
    const res = await strict.api.post('/api/v1/auth/sms-code').set('X-Forwarded-For', '10.1.1.1').send({ phone });
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('SMS_DAILY_LIMIT');
  });

  it('limits sign-in attempts per phone strictly, from any address', async () => {
    const phone = phoneNumber();
    for (let i = 0; i < 3; i++) {
      await strict.api.post('/api/v1/auth/phone').set('X-Forwarded-For', `10.2.0.${i}`).send({ phone, code: '000000' });
    }
    const res = await strict.api
      .post('/api/v1/auth/phone')
      .set('X-Forwarded-For', '10.2.1.1')
      .send({ phone, code: '000000' });
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('RATE_LIMITED');
    expect(res.body.error.message).toMatch(/操作过于频繁/);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('limits code sending per address generously, without touching other addresses', async () => {
    const ip = '10.3.0.1';
    for (let i = 0; i < 15; i++) {
      await strict.api
        .post('/api/v1/auth/sms-code')
        .set('X-Forwarded-For', ip)
        .send({ phone: phoneNumber() })
        .expect(202);
    }
    expect(
      (await strict.api.post('/api/v1/auth/sms-code').set('X-Forwarded-For', ip).send({ phone: phoneNumber() })).status,
    ).toBe(429);
    expect(
      (await strict.api.post('/api/v1/auth/sms-code').set('X-Forwarded-For', '10.3.0.2').send({ phone: phoneNumber() }))
        .status,
    ).toBe(202);
  });
});
