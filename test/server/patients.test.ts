import { existsSync, readFileSync } from 'node:fs';
import axios from 'axios';
import type supertest from 'supertest';
import { PiiCipher, slotOf } from '../../server/src/privacy/cipher';
import { rotatePii } from '../../server/src/privacy/rotation';
import { Patient } from '../../server/src/modules/patients/models';
import { User } from '../../server/src/modules/accounts/models';
import { addPatient, idNumber, signIn, signInWithConsent, type Session } from '../support/accounts';
import { startTestPlatform, type TestPlatform } from '../support/platform';

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(() => p.close());

const fields = (res: { body: { error: { details?: { fields?: Array<{ path: string; message: string }> } } } }) =>
  res.body.error.details?.fields ?? [];

describe('consent before sensitive data', () => {
  it('refuses to take an ID number before separate consent, then accepts it', async () => {
    const s = await signIn(p);
    const res = await addPatient(p, s);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('CONSENT_REQUIRED');

    const policy = (await p.api.get('/api/v1/privacy-policy')).body;
    expect(policy.version).toBe(p.config.privacyPolicyVersion);
    const outdated = await p.api
      .post('/api/v1/me/consents')
      .set(s.auth)
      .send({ kind: 'health_data', policyVersion: '2020-01-01' });
    expect(outdated.status).toBe(409);
    expect(outdated.body.error.code).toBe('POLICY_OUTDATED');
    await p.api
      .post('/api/v1/me/consents')
      .set(s.auth)
      .send({ kind: 'health_data', policyVersion: policy.version })
      .expect(201);
    expect((await p.api.get('/api/v1/me').set(s.auth)).body.healthDataConsent).toBe(true);
    expect((await addPatient(p, s)).status).toBe(201);
  });

  it('stops sensitive actions once consent is withdrawn, and keeps the record', async () => {
    const s = await signInWithConsent(p);
    await addPatient(p, s).expect(201);
    await p.api.delete('/api/v1/me/consents/health_data').set(s.auth).expect(204);
    const res = await addPatient(p, s, { relation: 'spouse', name: '李四' });
    expect(res.body.error.code).toBe('CONSENT_REQUIRED');
    const consents = (await p.api.get('/api/v1/me/consents').set(s.auth)).body.items;
    expect(consents).toEqual([
      expect.objectContaining({ kind: 'health_data', withdrawnAt: expect.stringMatching(/\+08:00$/) }),
    ]);
  });
});

describe('adding patients', () => {
  let s: Session;
  beforeAll(async () => {
    s = await signInWithConsent(p);
  });

  it('requires 本人 first', async () => {
    const res = await addPatient(p, s, { relation: 'parent' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('FIRST_MUST_BE_SELF');
  });

  it('adds 本人, verified at once, with masked ID and phone and derived sex and age', async () => {
    const id = idNumber('19900307', 'female');
    const res = await addPatient(p, s, { name: '王芳', idNumber: id });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: '王芳',
      idNumber: `${id.slice(0, 3)}***********${id.slice(-4)}`,
      phone: `${s.phone.slice(0, 3)}****${s.phone.slice(-4)}`,
      sex: 'female',
      relation: 'self',
      isMinor: false,
      guardianPatientId: null,
      verification: { status: 'verified', reason: null },
      canBook: true,
    });
    expect(res.body.age).toBeGreaterThanOrEqual(36);
    expect(JSON.stringify(res.body)).not.toContain(id);
    expect(JSON.stringify(res.body)).not.toContain(s.phone);
    expect(res.body).not.toHaveProperty('birthDate');
  });

  it('refuses a second 本人 on the same account', async () => {
    const res = await addPatient(p, s, { name: '王二' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('SELF_EXISTS');
  });

  it('adds a child under 14 as a minor under the guardianship of 本人', async () => {
    const self = (await p.api.get('/api/v1/patients').set(s.auth)).body.items[0];
    const res = await addPatient(p, s, { name: '王小宝', idNumber: idNumber('20200601'), relation: 'child' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ isMinor: true, guardianPatientId: self.id, relation: 'child', canBook: true });
    expect(res.body.age).toBeLessThan(14);
  });

  it('refuses the same person twice on one account', async () => {
    const id = idNumber('19600101');
    await addPatient(p, s, { name: '王父', idNumber: id, relation: 'parent' }).expect(201);
    const res = await addPatient(p, s, { name: '王父', idNumber: id, relation: 'other' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('PATIENT_EXISTS');
  });

  it('refuses a sixth patient', async () => {
    await addPatient(p, s, { name: '王母', idNumber: idNumber('19620101', 'female'), relation: 'parent' }).expect(201);
    await addPatient(p, s, { name: '李明', idNumber: idNumber('19890101'), relation: 'spouse' }).expect(201);
    expect((await p.api.get('/api/v1/patients').set(s.auth)).body.total).toBe(5);
    const res = await addPatient(p, s, { name: '王六', idNumber: idNumber('19950101'), relation: 'other' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('TOO_MANY_PATIENTS');
    expect(res.body.error.message).toBe('每个账号最多添加5位就诊人');
  });

  it.each([
    ['a bad checksum', { idNumber: '110105194912310021' }, 'body.idNumber', '校验位不正确'],
    ['a future birth date', { idNumber: '' }, 'body.idNumber', '晚于今天'],
    ['a 17-digit ID', { idNumber: '11010519491231002' }, 'body.idNumber', '18位'],
    ['a bad phone', { phone: '12345' }, 'body.phone', '手机号'],
    ['a one-letter name', { name: 'A' }, 'body.name', '姓名'],
    ['an unknown relation', { relation: 'friend' }, 'body.relation', ''],
    ['an unknown field', { isAdmin: true }, 'body', ''],
  ])('rejects %s with 422 and a Chinese message', async (_what, patch, field, text) => {
    const fresh = await signInWithConsent(p);
    const body = { ...patch } as Record<string, unknown>;
    if (body.idNumber === '') body.idNumber = idNumber(`${new Date().getFullYear() + 1}0101`);
    const res = await addPatient(p, fresh, body);
    expect(res.status).toBe(422);
    const problem = fields(res).find((f) => f.path === field);
    expect(problem).toBeDefined();
    expect(problem!.message).toContain(text);
  });

  it('refuses 本人 under 14', async () => {
    const fresh = await signInWithConsent(p);
    const res = await addPatient(p, fresh, { idNumber: idNumber('20150101') });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('SELF_UNDER_14');
  });
});

describe('one 本人 per person', () => {
  it('lets an ID number be 本人 on one account only, but a relative on many', async () => {
    const id = idNumber('19700505');
    const a = await signInWithConsent(p);
    const b = await signInWithConsent(p);
    await addPatient(p, a, { idNumber: id }).expect(201);
    const res = await addPatient(p, b, { idNumber: id });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('ID_ALREADY_SELF');
    await addPatient(p, b, { name: '赵六' }).expect(201);
    await addPatient(p, b, { idNumber: id, relation: 'parent' }).expect(201);
  });
});

describe('real-name verification', () => {
  it('keeps no record of a rejected check, and says why', async () => {
    const s = await signInWithConsent(p);
    const id = idNumber('19850101');
    await axios.put(`${p.sims.identity.url}/__sim/rejections/${id}`, { reason: '姓名与身份证号不一致' });
    const res = await addPatient(p, s, { idNumber: id });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      code: 'IDENTITY_REJECTED',
      message: expect.stringContaining('姓名与身份证号不一致'),
    });
    expect((await p.api.get('/api/v1/patients').set(s.auth)).body.total).toBe(0);
    expect(await Patient.count({ where: { userId: s.userId } })).toBe(0);
    await axios.post(`${p.sims.identity.url}/__sim/reset`);
    await addPatient(p, s, { idNumber: id }).expect(201);
  });

  it('does not make a change that fails the check; the verified record stays as it was', async () => {
    const s = await signInWithConsent(p);
    const id = idNumber('19850202');
    const self = (await addPatient(p, s, { idNumber: id, name: '张三' })).body;
    await axios.put(`${p.sims.identity.url}/__sim/rejections/${id}`, { reason: '姓名与身份证号不一致' });
    try {
      const res = await p.api.patch(`/api/v1/patients/${self.id}`).set(s.auth).send({ name: '张叁' });
      expect(res.body.error.code).toBe('IDENTITY_REJECTED');
      expect((await p.api.get(`/api/v1/patients/${self.id}`).set(s.auth)).body).toMatchObject({
        name: '张三',
        verification: { status: 'verified' },
      });
    } finally {
      await axios.post(`${p.sims.identity.url}/__sim/reset`);
    }
  });

  it('leaves a patient pending when the provider is down, and verifies again on request', async () => {
    const s = await signInWithConsent(p);
    await p.sims.identity.close();
    try {
      const res = await addPatient(p, s);
      expect(res.status).toBe(201);
      expect(res.body.verification.status).toBe('pending');
    } finally {
      p.sims.identity = await (
        await import('../../server/sim/identity/server')
      ).startIdentitySimulator('test-identity-key', p.sims.identity.port);
    }
    const list = (await p.api.get('/api/v1/patients').set(s.auth)).body.items;
    const again = await p.api.post(`/api/v1/patients/${list[0].id}/verify`).set(s.auth);
    expect(again.body.verification.status).toBe('verified');
  });

  it('removes a pending patient whose check comes back rejected', async () => {
    const s = await signInWithConsent(p);
    const id = idNumber('19850303');
    await identityDown(true);
    const pending = (await addPatient(p, s, { idNumber: id })).body;
    await identityDown(false);
    await axios.put(`${p.sims.identity.url}/__sim/rejections/${id}`, { reason: '姓名与身份证号不一致' });
    try {
      const res = await p.api.post(`/api/v1/patients/${pending.id}/verify`).set(s.auth);
      expect(res.body.error.code).toBe('IDENTITY_REJECTED');
      expect((await p.api.get(`/api/v1/patients/${pending.id}`).set(s.auth)).status).toBe(404);
    } finally {
      await axios.post(`${p.sims.identity.url}/__sim/reset`);
    }
  });
});

const identityDown = (down: boolean) => axios.put(`${p.sims.identity.url}/__sim/faults`, { down });

describe("nobody can squat on a stranger's ID number", () => {
  it('a stranger with the wrong name keeps nothing, and the owner registers as 本人', async () => {
    const id = idNumber('19660606');
    const stranger = await signInWithConsent(p);
    await axios.put(`${p.sims.identity.url}/__sim/rejections/${id}`, { reason: '姓名与身份证号不一致' });
    const squat = await addPatient(p, stranger, { idNumber: id, name: '冒名' });
    expect(squat.body.error.code).toBe('IDENTITY_REJECTED');
    await axios.post(`${p.sims.identity.url}/__sim/reset`);
    const owner = await signInWithConsent(p);
    expect((await addPatient(p, owner, { idNumber: id, name: '真名' })).body.verification.status).toBe('verified');
  });

  it('an unverified claim holds nothing: the verified owner wins and the pending claim is released', async () => {
    const id = idNumber('19670707');
    const stranger = await signInWithConsent(p);
    await identityDown(true);
    const pending = await addPatient(p, stranger, { idNumber: id });
    await identityDown(false);
    expect(pending.status).toBe(201);
    expect(pending.body.verification.status).toBe('pending');

    const owner = await signInWithConsent(p);
    const mine = await addPatient(p, owner, { idNumber: id });
    expect(mine.status).toBe(201);
    expect(mine.body.verification.status).toBe('verified');
    expect((await p.api.get(`/api/v1/patients/${pending.body.id}`).set(stranger.auth)).status).toBe(404);
    const released = (await Patient.findByPk(pending.body.id))!;
    expect(released).toMatchObject({ idNumberHash: null, idNumberEnc: null, verificationStatus: 'rejected' });
    expect(released.deletedAt).not.toBeNull();
  });

  it('never tells an unverified caller that an ID number is registered elsewhere', async () => {
    const id = idNumber('19680808');
    const owner = await signInWithConsent(p);
    await addPatient(p, owner, { idNumber: id }).expect(201);
    const stranger = await signInWithConsent(p);
    // Provider down: the claim is kept pending, not refused with "registered elsewhere".
    await identityDown(true);
    const pending = await addPatient(p, stranger, { idNumber: id });
    await identityDown(false);
    expect(pending.status).toBe(201);
    expect(JSON.stringify(pending.body)).not.toMatch(/其他账号/);
    // Wrong name: rejected for the name, with no word about another account.
    await axios.put(`${p.sims.identity.url}/__sim/rejections/${id}`, { reason: '姓名与身份证号不一致' });
    try {
      const wrong = await addPatient(p, await signInWithConsent(p), { idNumber: id, name: '冒名' });
      expect(wrong.body.error.code).toBe('IDENTITY_REJECTED');
      expect(wrong.body.error.message).not.toMatch(/其他账号/);
    } finally {
      await axios.post(`${p.sims.identity.url}/__sim/reset`);
    }
    // Verifying the pending claim later: now the caller has passed the check, and is told.
    const again = await p.api.post(`/api/v1/patients/${pending.body.id}/verify`).set(stranger.auth);
    expect(again.body.error.code).toBe('ID_ALREADY_SELF');
  });
});

describe('changing and removing patients', () => {
  it('keeps 本人 fixed, and removes 本人 only last', async () => {
    const s = await signInWithConsent(p);
    const self = (await addPatient(p, s)).body;
    const kid = (await addPatient(p, s, { name: '张小', idNumber: idNumber('20190101'), relation: 'child' })).body;
    const rel = await p.api.patch(`/api/v1/patients/${self.id}`).set(s.auth).send({ relation: 'other' });
    expect(rel.body.error.code).toBe('RELATION_SELF_FIXED');
    const empty = await p.api.patch(`/api/v1/patients/${self.id}`).set(s.auth).send({});
    expect(empty.status).toBe(422);

    expect((await p.api.delete(`/api/v1/patients/${self.id}`).set(s.auth)).body.error.code).toBe('SELF_HAS_DEPENDANTS');
    await p.api.delete(`/api/v1/patients/${kid.id}`).set(s.auth).expect(204);
    expect((await p.api.get(`/api/v1/patients/${kid.id}`).set(s.auth)).status).toBe(404);
    const erased = (await Patient.findByPk(kid.id))!;
    expect(erased.idNumberEnc).toBeNull();
    expect(erased.phoneEnc).toBeNull();
    await p.api.delete(`/api/v1/patients/${self.id}`).set(s.auth).expect(204);
  });
});

describe('ownership', () => {
  it("answers 404 for another user's patient on every route", async () => {
    const owner = await signInWithConsent(p);
    const other = await signInWithConsent(p);
    const theirs = (await addPatient(p, owner)).body;
    const url = `/api/v1/patients/${theirs.id}`;
    for (const res of [
      await p.api.get(url).set(other.auth),
      await p.api.patch(url).set(other.auth).send({ name: '黑客' }),
      await p.api.post(`${url}/verify`).set(other.auth),
      await p.api.delete(url).set(other.auth),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    expect((await p.api.get('/api/v1/patients').set(other.auth)).body.items).toEqual([]);
    expect((await p.api.get(url).set(owner.auth)).body.name).toBe('张三');
  });

  it('requires sign-in for every signed-in route of the API document', async () => {
    const doc = (await p.api.get('/api/openapi.json')).body as {
      paths: Record<string, Record<string, { security: Array<Record<string, unknown>> }>>;
    };
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.security.some((s) => 'bearerAuth' in s))
        .map(([method, op]) => ({ method, url: path.replace(/\{\w+\}/g, 'x'), op })),
    );
    expect(operations.map((o) => `${o.method} ${o.url}`)).toEqual(
      expect.arrayContaining(['patch /api/v1/patients/x', 'post /api/v1/patients/x/verify']),
    );
    for (const { method, url } of operations) {
      const res = await (p.api as unknown as Record<string, (u: string) => supertest.Test>)[method](url).send({});
      expect([method, url, res.status]).toEqual([method, url, 401]);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    }
  });
});

describe('encryption at rest', () => {
  it('stores no ID number or phone in plain text', async () => {
    const s = await signInWithConsent(p);
    const id = idNumber('19771212');
    const created = (await addPatient(p, s, { idNumber: id })).body;
    const row = (await Patient.findByPk(created.id))!;
    expect(row.idNumberEnc).toMatch(/^v2\.k1\./);
    expect(row.idNumberHash).toMatch(/^[0-9a-f]{64}$/);

    const [rows] = await p.db.sequelize.query('SELECT * FROM patients');
    const [users] = await p.db.sequelize.query('SELECT * FROM users');
    const dump = JSON.stringify([rows, users]);
    expect(dump).not.toContain(id);
    expect(dump).not.toContain(s.phone);
    // Nothing in clear narrows the ID number beyond the display mask and the birth year.
    expect(dump).not.toContain('1977-12-12');
    expect(dump).not.toContain('19771212');
    expect(Object.keys((rows as object[])[0])).not.toContain('birth_date');

    if (p.db.dialect === 'sqlite') {
      const file = p.databaseUrl.replace(/^sqlite:/, '');
      const bytes = [file, `${file}-wal`]
        .filter(existsSync)
        .map((f) => readFileSync(f).toString('latin1'))
        .join('');
      expect(bytes.length).toBeGreaterThan(0);
      expect(bytes).toContain(created.id); // the scan does see row data
      expect(bytes).not.toContain(id);
      expect(bytes).not.toContain(s.phone);
    }
  });
});

describe('account deletion', () => {
  it('erases personal data, ends every session, and frees the ID number', async () => {
    const s = await signInWithConsent(p);
    const id = idNumber('19800808');
    const self = (await addPatient(p, s, { idNumber: id })).body;
    await p.api.delete('/api/v1/me').set(s.auth).expect(204);

    expect((await p.api.get('/api/v1/me').set(s.auth)).status).toBe(401);
    expect((await p.api.post('/api/v1/auth/refresh').send({ refreshToken: s.refreshToken })).status).toBe(401);
    const user = (await User.findByPk(s.userId))!;
    expect(user).toMatchObject({ phoneEnc: null, phoneHash: null, wechatOpenid: null });
    expect(user.deletedAt).not.toBeNull();
    const patient = (await Patient.findByPk(self.id))!;
    expect(patient).toMatchObject({ name: '已删除', idNumberEnc: null, idNumberHash: null, phoneEnc: null });
    expect(patient.birthYear).toBe(1980);

    // The same phone signs up afresh, and the ID number can be 本人 again.
    const again = await signInWithConsent(p, s.phone);
    expect(again.userId).not.toBe(s.userId);
    await addPatient(p, again, { idNumber: id }).expect(201);
  });
});

describe('ciphertexts bound to their rows', () => {
  it('refuses a ciphertext copied to another row or column', async () => {
    const s = await signInWithConsent(p);
    const a = (await addPatient(p, s)).body;
    const b = (await addPatient(p, s, { name: '李四', idNumber: idNumber('19600202'), relation: 'parent' })).body;
    const rowA = (await Patient.findByPk(a.id))!;
    const cipher = p.services.cipher;
    expect(cipher.decrypt(rowA.idNumberEnc!, slotOf('patients', 'id_number_enc', a.id))).toHaveLength(18);
    expect(() => cipher.decrypt(rowA.idNumberEnc!, slotOf('patients', 'id_number_enc', b.id))).toThrow();
    expect(() => cipher.decrypt(rowA.idNumberEnc!, slotOf('patients', 'phone_enc', a.id))).toThrow();
    await Patient.update({ idNumberEnc: rowA.idNumberEnc }, { where: { id: b.id } });
    await expect(p.services.patients.get(s.userId, b.id)).rejects.toThrow();
  });

  it('rotates keys: every value moves to the new key, and the old key can then be removed', async () => {
    const s = await signInWithConsent(p);
    const created = (await addPatient(p, s, { name: '周五', idNumber: idNumber('19750505') })).body;
    const oldKey = p.config.pii.keys[0];
    const newKey = { id: 'k9', secret: 'a-brand-new-key-of-at-least-32-characters' };
    const rotated = new PiiCipher({ keys: [newKey, oldKey], indexKey: p.config.pii.indexKey });
    const { rewritten, unreadable } = await rotatePii(p.db, rotated);
    expect(rewritten).toBeGreaterThan(0);
    // The one value the test above copied to the wrong row is reported, not rewritten, and stops nothing.
    expect(unreadable).toBe(1);
    const leftover = await p.db.sql.all(
      `SELECT id FROM patients WHERE id_number_enc IS NOT NULL AND id_number_enc NOT LIKE 'v2.k9.%'
       UNION ALL SELECT id FROM users WHERE phone_enc IS NOT NULL AND phone_enc NOT LIKE 'v2.k9.%'`,
    );
    expect(leftover).toHaveLength(1);
    expect((await rotatePii(p.db, rotated)).rewritten).toBe(0);
    const onlyNew = new PiiCipher({ keys: [newKey], indexKey: p.config.pii.indexKey });
    const row = (await Patient.findByPk(created.id))!;
    expect(onlyNew.decrypt(row.idNumberEnc!, slotOf('patients', 'id_number_enc', row.id))).toHaveLength(18);
    expect(() => p.services.cipher.decrypt(row.idNumberEnc!, slotOf('patients', 'id_number_enc', row.id))).toThrow(
      /unknown key k9/,
    );
    // Back to the platform's own key for the rest of this file.
    await rotatePii(p.db, new PiiCipher({ keys: [oldKey, newKey], indexKey: p.config.pii.indexKey }));
  });
});
