import axios from 'axios';
import { withCheckChar } from '../../common/id-card';
import { hisBills, hisQueue, hisReports } from '../../server/src/his/schemas';
import { generateHospitals, HOSPITAL_COUNT } from '../../server/sim/his/catalog';
import { demoHospitalsOf } from '../../server/sim/his/demo-reports';
import { startSimulators, type Simulators } from '../../server/sim';
import { signedHis } from '../support/his';
import { TEST_SIMULATORS, TEST_SMS_KEY, TEST_WECHAT } from '../support/platform';

let sims: Simulators;
beforeAll(async () => {
  sims = await startSimulators(TEST_SIMULATORS);
});
afterAll(() => sims.close());

describe('HIS simulator catalog', () => {
  const hospitals = generateHospitals();

  it('has 38 distinct fictitious hospitals across Shanghai districts, the same every time', () => {
    expect(hospitals).toHaveLength(HOSPITAL_COUNT);
    expect(new Set(hospitals.map((h) => h.profile.name)).size).toBe(38);
    expect(new Set(hospitals.map((h) => h.profile.district)).size).toBe(16);
    expect(generateHospitals()).toEqual(hospitals);
  });

  it('gives each hospital 8-20 departments and each department 2-8 titled doctors', () => {
    for (const h of hospitals) {
      expect(h.departments.length).toBeGreaterThanOrEqual(8);
      expect(h.departments.length).toBeLessThanOrEqual(20);
      for (const d of h.departments) {
        const n = h.doctors.filter((doc) => doc.departmentCode === d.code).length;
        expect(n).toBeGreaterThanOrEqual(2);
        expect(n).toBeLessThanOrEqual(8);
      }
      for (const doc of h.doctors) {
        expect(['chief_physician', 'associate_chief_physician', 'attending_physician']).toContain(doc.title);
      }
    }
  });
});

describe('HIS simulator control API', () => {
  it('injects bills per patient, and sets, freezes and speeds up a clinic room queue', async () => {
    const his = signedHis(sims.his.url);
    const bill = {
      code: 'B1',
      visitCode: 'V1',
      visitDate: '2026-12-01',
      department: '内科',
      status: 'paid',
      totalFen: 1200,
      insuranceFen: 0,
      selfPayFen: 1200,
      items: [{ category: '挂号费', name: '诊查费', quantity: 1, unitPriceFen: 1200, amountFen: 1200 }],
    };
    await his.post('/__sim/hospitals/SH001/bills', { idNumber: 'P1', items: [bill] });
    const bills = (await his.post('/h/SH001/bills/query', { idNumber: 'P1' })).data;
    expect(hisBills.safeParse(bills).success).toBe(true);
    expect(bills.items[0].totalFen).toBe(1200);
    const room = `R${(await his.get('/h/SH001/doctors')).data.items[0].code}`;
    const first = (await his.get(`/h/SH001/queues/${room}`)).data;
    expect(hisQueue.safeParse(first).success).toBe(true);
    expect(first.room.name).toMatch(/诊室$/);
    // Frozen at 12: the answer stays put. Exact numbers: answered as given.
    await his.put(`/__sim/hospitals/SH001/queues/${room}`, { calling: 12, speed: 0 });
    expect((await his.get(`/h/SH001/queues/${room}`)).data.calling).toBe(12);
    await his.put(`/__sim/hospitals/SH001/queues/${room}`, { calling: 20, waiting: [21, 23] });
    expect((await his.get(`/h/SH001/queues/${room}`)).data).toMatchObject({ calling: 20, waiting: [21, 23] });
    // 1-second consultations with 60 simulated seconds gone by: the queue moves through every waiting number.
    await his.put(`/__sim/hospitals/SH001/queues/${room}`, { calling: 1, waiting: [] });
    await his.put(`/__sim/hospitals/SH001/queues/${room}`, { speed: 1, durationsSec: [1], advanceSec: 60 });
    const moved = (await his.get(`/h/SH001/queues/${room}`)).data;
    expect(moved.waiting).toEqual([]);
    expect((await his.get('/__sim/queue-reads')).data.byRoom[`SH001/${room}`]).toBe(4);
    await his.post('/__sim/reset');
    expect((await his.post('/h/SH001/bills/query', { idNumber: 'P1' })).data.items).toEqual([]);
  });

  it('gives every valid ID number deterministic demo reports at two hospitals, some abnormal', async () => {
    const his = signedHis(sims.his.url);
    const id = withCheckChar('31010419800101001');
    const [home, other] = demoHospitalsOf(id);
    expect(home).not.toBe(other);
    const reports = (await his.post(`/h/${home}/reports/query`, { idNumber: id })).data.items;
    expect((await his.post(`/h/${home}/reports/query`, { idNumber: id })).data.items).toEqual(reports);
    expect(hisReports.safeParse({ items: reports }).success).toBe(true);
    expect(reports.map((r: { title: string }) => r.title)).toEqual([
      '血常规',
      '肝功能',
      '肾功能',
      '血脂四项',
      '空腹血糖',
      '尿常规',
      '胸部X线检查',
      '糖化血红蛋白',
    ]);
    expect(reports.filter((r: { status: string }) => r.status === 'preliminary')).toHaveLength(1);
    const flagged = reports.flatMap((r: { items?: Array<{ hospitalFlag?: string; value: string }> }) =>
      (r.items ?? []).filter((i) => i.hospitalFlag || i.value === '+'),
    );
    expect(flagged.length).toBeGreaterThanOrEqual(2);
    const elsewhere = (await his.post(`/h/${other}/reports/query`, { idNumber: id })).data.items;
    expect(elsewhere.map((r: { title: string }) => r.title)).toEqual(['血常规', '血脂四项']);
    expect(elsewhere[0].items[0].referenceRange).toBeUndefined();
    expect((await his.post('/h/SH001/reports/query', { idNumber: 'not-an-id' })).data.items).toEqual([]);
    const dated = await his.post(`/h/${home}/reports/query`, { idNumber: id, from: '2020-01-01', to: '2020-12-31' });
    expect(dated.data.items).toEqual([]);
  });

  it('injects reports with exact items and changes their status later', async () => {
    const his = signedHis(sims.his.url);
    const report = {
      code: 'R-1',
      type: 'lab',
      title: '电解质',
      status: 'preliminary',
      reportedAt: '2026-11-20T09:00:00+08:00',
      department: '内科',
      orderedBy: '陈明',
      items: [{ code: 'K', name: '钾', value: '4.0', unit: 'mmol/L' }],
    };
    await his.post('/__sim/hospitals/SH002/reports', { idNumber: 'P1', items: [report] });
    expect((await his.post('/h/SH002/reports/query', { idNumber: 'P1' })).data.items).toEqual([report]);
    await his.put('/__sim/hospitals/SH002/reports/R-1', { status: 'final' });
    expect((await his.post('/h/SH002/reports/query', { idNumber: 'P1' })).data.items[0].status).toBe('final');
    await his.put('/__sim/demo-reports', { enabled: false });
    const id = withCheckChar('31010419800101001');
    expect((await his.post(`/h/${demoHospitalsOf(id)[0]}/reports/query`, { idNumber: id })).data.items).toEqual([]);
    await his.post('/__sim/reset');
    expect((await his.post('/h/SH002/reports/query', { idNumber: 'P1' })).data.items).toEqual([]);
    expect((await his.post(`/h/${demoHospitalsOf(id)[0]}/reports/query`, { idNumber: id })).data.items).toHaveLength(8);
  });

  it('adds latency to one hospital only', async () => {
    const his = signedHis(sims.his.url);
    await his.put('/__sim/hospitals/SH010/faults', { latencyMs: 3000 });
    const finished: string[] = [];
    const slow = his.get('/h/SH010/profile').then(() => finished.push('SH010'));
    await his.get('/h/SH011/profile').then(() => finished.push('SH011'));
    expect(finished).toEqual(['SH011']);
    await slow;
    expect(finished).toEqual(['SH011', 'SH010']);
    await his.post('/__sim/reset');
  });
});

describe('WeChat simulator', () => {
  const wx = () => axios.create({ baseURL: sims.wechat.url });
  const session = (code: string, secret = TEST_WECHAT.secret) =>
    wx().get('/sns/jscode2session', {
      params: { appid: TEST_WECHAT.appId, secret, js_code: code, grant_type: 'authorization_code' },
    });

  it('maps sim-<name> to a stable openid with a session key', async () => {
    const a = (await session('sim-alice')).data;
    const b = (await session('sim-alice')).data;
    const c = (await session('sim-bob')).data;
    expect(a.openid).toBe(b.openid);
    expect(a.openid).not.toBe(c.openid);
    expect(a.session_key).toEqual(expect.any(String));
  });

  it('answers 40029 for an invalid code, 40125 for a wrong secret, and a forced errcode on demand', async () => {
    expect((await session('garbage')).data.errcode).toBe(40029);
    expect((await session('sim-alice', 'wrong')).data.errcode).toBe(40125);
    await wx().put('/__sim/codes/sim-busy', { errcode: 45011 });
    expect((await session('sim-busy')).data.errcode).toBe(45011);
  });

  it('sends subscribe messages like WeChat: valid token, known openid, valid data, one authorisation per send', async () => {
    const token = (
      await wx().get('/cgi-bin/token', {
        params: { grant_type: 'client_credential', appid: TEST_WECHAT.appId, secret: TEST_WECHAT.secret },
      })
    ).data.access_token;
    const send = (data: object, openid = 'o123') =>
      wx().post(`/cgi-bin/message/subscribe/send?access_token=${token}`, { touser: openid, template_id: 'tpl', data });
    const ok = { thing1: { value: '预约成功' } };
    expect((await send(ok)).data.errcode).toBe(40003); // an openid WeChat never issued
    await wx().put('/__sim/subscriptions', { openid: 'o123', templateId: 'tpl', count: 1 });
    expect((await send({ thing1: { value: '这是一段超过二十个字的说明文字会被微信拒绝的' } })).data.errcode).toBe(
      47003,
    );
    expect((await send(ok)).data.errcode).toBe(0);
    expect((await send(ok)).data.errcode).toBe(43101); // the one authorisation is used up
    expect((await wx().post('/cgi-bin/message/subscribe/send?access_token=bad', {})).data.errcode).toBe(40001);
    const recorded = (await wx().get('/__sim/subscribe-messages')).data.items;
    expect(recorded).toEqual([expect.objectContaining({ touser: 'o123', template_id: 'tpl' })]);
  });
});

describe('SMS simulator', () => {
  it('records messages sent with the API key and lists them by phone', async () => {
    const sms = axios.create({ baseURL: sims.sms.url, validateStatus: () => true });
    const auth = { Authorization: `Bearer ${TEST_SMS_KEY}` };
    const ok = await sms.post(
      '/v1/messages',
      { phone: '13800001111', template: 'login_code', params: { code: '123456' } },
      { headers: auth },
    );
    expect(ok.status).toBe(202);
    expect((await sms.post('/v1/messages', { phone: '13800001111', template: 'x' })).status).toBe(401);
    expect((await sms.post('/v1/messages', { phone: '123', template: 'x' }, { headers: auth })).status).toBe(400);
    const list = (await sms.get('/__sim/messages', { params: { phone: '13800001111' } })).data.items;
    expect(list).toEqual([expect.objectContaining({ template: 'login_code', params: { code: '123456' } })]);
  });
});
