import axios from 'axios';
import { createSigner } from 'fast-jwt';
import { SmsCode } from '../../server/src/modules/accounts/models';
import { lastSmsCode, phoneNumber, signIn } from '../support/accounts';
import { startTestPlatform, type TestPlatform } from '../support/platform';

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(() => p.close());

const sendCode = (phone: string, ip = '10.0.0.1') =>
  p.api.post('/api/v1/auth/sms-code').set('X-Forwarded-For', ip).send({ phone });
const phoneLogin = (phone: string, code: string, ip = '10.0.0.1') =>
  p.api.post('/api/v1/auth/phone').set('X-Forwarded-For', ip).send({ phone, code });

describe('sign-in by phone and SMS code (H5)', () => {
  it('sends a 6-digit code through the gateway and signs in with it once', async () => {
    const phone = phoneNumber();
    const sent = await sendCode(phone);
    expect(sent.status).toBe(202);
    expect(sent.body).toEqual({ expiresIn: 300, resendAfter: 60 });
    const code = await lastSmsCode(p, phone);
    expect(code).toMatch(/^\d{6}$/);

    const res = await phoneLogin(phone, code);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      expiresIn: 900,
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
    });
    expect(res.body.user).toMatchObject({
      phone: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
      wechatBound: false,
      healthDataConsent: false,
    });

    const again = await phoneLogin(phone, code);
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('SMS_CODE_INVALID');
  });

  it('finds the same account on the next sign-in', async () => {
    const phone = phoneNumber();
    const a = await signIn(p, phone);
    await SmsCode.update({ createdAt: new Date(Date.now() - 61_000) }, { where: {} }); // past the resend interval
    const b = await signIn(p, phone);
    expect(b.userId).toBe(a.userId);
  });

  it('allows one code per phone per 60 seconds', async () => {
    const phone = phoneNumber();
    expect((await sendCode(phone)).status).toBe(202);
    const res = await sendCode(phone);
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('SMS_TOO_FREQUENT');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('refuses an expired code', async () => {
    const phone = phoneNumber();
    await sendCode(phone);
    const code = await lastSmsCode(p, phone);
    await SmsCode.update({ expiresAt: new Date(Date.now() - 1000) }, { where: {} });
    const res = await phoneLogin(phone, code);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('SMS_CODE_EXPIRED');
  });

  it('locks a code after five wrong tries, so the sixth fails even when right', async () => {
    const phone = phoneNumber();
    await sendCode(phone);
    const code = await lastSmsCode(p, phone);
    const wrong = code === '000000' ? '111111' : '000000';
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await phoneLogin(phone, wrong));
    expect(answers.slice(0, 4).map((r) => r.body.error.code)).toEqual(Array(4).fill('SMS_CODE_INVALID'));
    expect(answers[0].body.error.message).toBe('验证码错误，还可尝试4次');
    expect(answers[4].status).toBe(403);
    expect(answers[4].body.error.code).toBe('SMS_CODE_LOCKED');
    const sixth = await phoneLogin(phone, code);
    expect(sixth.status).toBe(403);
    expect(sixth.body.error.code).toBe('SMS_CODE_LOCKED');
  });

  it.each([
    [{ phone: '1234' }, 'body.phone'],
    [{ phone: '12345678901' }, 'body.phone'],
    [{ phone: '13800001111', extra: 1 }, 'body'],
  ])('validates %j', async (body, field) => {
    const res = await p.api.post('/api/v1/auth/sms-code').send(body);
    expect(res.status).toBe(422);
    expect(res.body.error.details.fields.map((f: { path: string }) => f.path)).toContain(field);
  });
});

describe('sign-in with WeChat (mini-program)', () => {
  const wechat = (code: string) => p.api.post('/api/v1/auth/wechat').send({ code });

  it('maps the same WeChat user to the same account and keeps session_key on the server', async () => {
    const a = await wechat('sim-alice');
    expect(a.status).toBe(200);
    expect(a.body.user).toMatchObject({ wechatBound: true, phone: null });
    expect(JSON.stringify(a.body)).not.toMatch(/session_key|sessionKey|openid/);
    const b = await wechat('sim-alice');
    expect(b.body.user.id).toBe(a.body.user.id);
    expect((await wechat('sim-bob')).body.user.id).not.toBe(a.body.user.id);
  });

  it('answers an invalid code with 401 WECHAT_CODE_INVALID and WeChat throttling with 429', async () => {
    const bad = await wechat('not-a-code');
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe('WECHAT_CODE_INVALID');
    await axios.put(`${p.sims.wechat.url}/__sim/codes/sim-throttled`, { errcode: 45011 });
    const limited = await wechat('sim-throttled');
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('WECHAT_RATE_LIMITED');
  });
});

describe('tokens', () => {
  const me = (token: string) => p.api.get('/api/v1/me').set('Authorization', `Bearer ${token}`);

  it('rotates the refresh token; reusing an old one ends the whole session', async () => {
    const s = await signIn(p);
    const first = await p.api.post('/api/v1/auth/refresh').send({ refreshToken: s.refreshToken });
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(s.refreshToken);
    expect((await me(first.body.accessToken)).status).toBe(200);

    const reuse = await p.api.post('/api/v1/auth/refresh').send({ refreshToken: s.refreshToken });
    expect(reuse.status).toBe(401);
    expect(reuse.body.error.code).toBe('REFRESH_TOKEN_REUSED');
    // The family is revoked: the newest refresh token and every access token stop working.
    expect((await p.api.post('/api/v1/auth/refresh').send({ refreshToken: first.body.refreshToken })).status).toBe(401);
    const after = await me(first.body.accessToken);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('SESSION_REVOKED');
  });

  it('logout revokes the session', async () => {
    const s = await signIn(p);
    await p.api.post('/api/v1/auth/logout').set(s.auth).expect(204);
    expect((await me(s.accessToken)).body.error.code).toBe('SESSION_REVOKED');
    expect((await p.api.post('/api/v1/auth/refresh').send({ refreshToken: s.refreshToken })).status).toBe(401);
  });

  it('rejects missing, tampered, foreign and expired tokens with 401', async () => {
    const s = await signIn(p);
    expect((await p.api.get('/api/v1/me')).body.error.code).toBe('UNAUTHENTICATED');
    expect((await p.api.get('/api/v1/me').set('Authorization', 'Basic abc')).body.error.code).toBe('UNAUTHENTICATED');

    const [h, body, sig] = s.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'usr_someoneelse' })).toString('base64url');
    const tampered = await me(`${h}.${forged}.${sig}`);
    expect(tampered.status).toBe(401);
    expect(tampered.body.error.code).toBe('TOKEN_INVALID');

    const foreign = createSigner({ key: 'another-secret-that-is-32-chars-long!!', iss: 'yilian', expiresIn: 600_000 })({
      sid: claims.sid,
      sub: claims.sub,
    });
    expect((await me(foreign)).body.error.code).toBe('TOKEN_INVALID');

    const expired = createSigner({ key: p.config.auth.jwtSecret, iss: 'yilian', expiresIn: 1 })({
      sid: claims.sid,
      sub: claims.sub,
      iat: Math.floor(Date.now() / 1000) - 3600,
    });
    const old = await me(expired);
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe('TOKEN_EXPIRED');

    const forever = createSigner({ key: p.config.auth.jwtSecret, iss: 'yilian' })({ sid: claims.sid, sub: claims.sub });
    expect((await me(forever)).body.error.code).toBe('TOKEN_INVALID');

    const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${body}.`;
    expect((await me(none)).status).toBe(401);
  });
});
