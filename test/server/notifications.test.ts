import axios from 'axios';
import { Slot } from '../../server/src/modules/booking/models';
import { Doctor, Hospital } from '../../server/src/modules/hospitals/models';
import { shanghaiClock } from '../../server/src/lib/time';
import { asDate } from '../../server/src/db/sql';
import { maskName } from '../../common/mask';
import { addPatient, grantConsent, idNumber, phoneNumber, signIn, type Session } from '../support/accounts';
import { accountWithPatients, book, openSlots, type SlotView, slotPicker } from '../support/booking';
import { callsTo, settle, smsTo, wechatTo } from '../support/notify';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { expireCopies, injectReports, labReport, reportIdOf, reportReader, hospitalByCode } from '../support/reports';

/** A quiet window `from`-`to` hours around now (Shanghai clock), e.g. quiet(-1, 3) is in force now. */
const quiet = (from: number, to: number) => {
  const hhmm = (h: number) => shanghaiClock(new Date(Date.now() + h * 3600_000));
  return { start: hhmm(from), end: hhmm(to) };
};
/** Quiet hours far from now (the tests that need them in force set them). */
const AWAY = quiet(8, 10);
const setQuiet = (q: { start: string; end: string }) => {
  p.config.notify.quietStart = q.start;
  p.config.notify.quietEnd = q.end;
};

let p: TestPlatform;
let slots: SlotView[];
/** A fresh open slot of another doctor each time. */
let freshSlot: () => SlotView;
const sim = () => axios.create({ baseURL: p.sims.his.url });
const inbox = (s: Session, q = '') => p.api.get(`/api/v1/me/notifications${q}`).set(s.auth);
const deliveries = (notificationId: string) =>
  p.db.sql.all<{ channel: string; status: string; reason: string | null }>(
    'SELECT channel, status, reason FROM notification_deliveries WHERE notification_id = ? ORDER BY created_at',
    [notificationId],
  );

beforeAll(async () => {
  p = await startTestPlatform({
    env: {
      RATE_BOOKING_PER_ACCOUNT_PER_MINUTE: '1000',
      NOTIFY_DAILY_CAP_SMS: '3',
      OUTBOX_MAX_ATTEMPTS: '3',
      NOTIFY_QUIET_HOURS: `${AWAY.start}-${AWAY.end}`,
    },
  });
  slots = [...(await openSlots(p, 10)), ...(await openSlots(p, 11))];
  freshSlot = slotPicker(slots);
});
afterAll(() => p.close());

/** A WeChat user (openid) with a verified 本人 whose phone is `phone`. */
async function wechatUser(name: string) {
  const res = await p.api
    .post('/api/v1/auth/wechat')
    .send({ code: `sim-${name}` })
    .expect(200);
  const session = {
    accessToken: res.body.accessToken,
    auth: { Authorization: `Bearer ${res.body.accessToken}` },
  } as Session;
  await grantConsent(p, session);
  const phone = phoneNumber();
  const patient = (await addPatient(p, session, { name: '王建国', phone, idNumber: idNumber('19550505') })).body;
  const openid = (await p.db.sql.one<{ openid: string }>('SELECT wechat_openid AS openid FROM users WHERE id = ?', [
    res.body.user.id,
  ]))!.openid;
  return { session, patientId: patient.id as string, phone, openid, userId: res.body.user.id as string };
}

const templateId = (kind: string) => p.config.notify.templates[kind];
/** The user tapped 允许 once for this kind's template (WeChat's side of an authorisation). */
const allowAtWechat = (openid: string, kind: string) =>
  axios.put(`${p.sims.wechat.url}/__sim/subscriptions`, { openid, templateId: templateId(kind), count: 1 });

describe('booking notices on each channel', () => {
  it('sends a booking confirmation by SMS to a phone user, once, with only a masked name, and puts it in the inbox', async () => {
    const { session, patientIds } = await accountWithPatients(p);
    const apt = (await book(p, session, freshSlot().id, patientIds[0])).body;
    await settle(p);
    const sms = await smsTo(p, session.phone);
    expect(sms.filter((m) => m.template === 'booking_confirmed')).toHaveLength(1);
    expect(sms[0].params.name).toBe(maskName('测试甲'));
    const list = (await inbox(session)).body;
    expect(list).toMatchObject({ total: 1, unread: 1 });
    expect(list.items[0]).toMatchObject({
      kind: 'booking_confirmed',
      title: '预约成功',
      read: false,
      page: `/packages/booking/appointment/index?id=${apt.id}`,
    });
    expect(list.items[0].body).toContain(apt.bookingCode);
    expect(list.items[0].body).toContain(maskName('测试甲'));
    // Settling again sends nothing more.
    await settle(p);
    expect((await smsTo(p, session.phone)).filter((m) => m.template === 'booking_confirmed')).toHaveLength(1);
  });

  it('uses a WeChat subscribe message when the user allowed one, and uses the authorisation up', async () => {
    const u = await wechatUser('notify-a');
    await allowAtWechat(u.openid, 'booking_confirmed');
    await p.api
      .post('/api/v1/me/subscriptions')
      .set(u.session.auth)
      .send({ results: { [templateId('booking_confirmed')]: 'accept', [templateId('report_ready')]: 'reject' } })
      .expect(200, { granted: 1 });
    await book(p, u.session, freshSlot().id, u.patientId).expect(201);
    await settle(p);
    const sent = await wechatTo(p, u.openid);
    expect(sent).toHaveLength(1);
    expect(sent[0].template_id).toBe(templateId('booking_confirmed'));
    expect(sent[0].data.name2.value).toBe(maskName('王建国'));
    expect(await smsTo(p, u.phone)).toEqual([]);
    const left = await p.db.sql.one<{ granted: number }>(
      'SELECT granted FROM wechat_subscriptions WHERE user_id = ? AND template = ?',
      [u.userId, 'booking_confirmed'],
    );
    expect(Number(left!.granted)).toBe(0);
  });

  it('falls back to SMS when there is no authorisation left, and when WeChat says there is none (43101)', async () => {
    const u = await wechatUser('notify-b');
    await book(p, u.session, freshSlot().id, u.patientId).expect(201);
    await settle(p);
    // The user never allowed one: straight to SMS (to the patient's phone: a WeChat user has none on the account).
    expect((await smsTo(p, u.phone)).map((m) => m.template)).toEqual(['booking_confirmed']);

    // Recorded here but not at WeChat: 43101, then SMS.
    await p.api
      .post('/api/v1/me/subscriptions')
      .set(u.session.auth)
      .send({ results: { [templateId('booking_confirmed')]: 'accept' } })
      .expect(200);
    await book(p, u.session, freshSlot().id, u.patientId).expect(201);
    await settle(p);
    expect((await smsTo(p, u.phone)).map((m) => m.template)).toEqual(['booking_confirmed', 'booking_confirmed']);
    const [latest] = (await inbox(u.session)).body.items;
    expect(await deliveries(latest.id)).toEqual([
      { channel: 'wechat', status: 'failed', reason: 'NO_SUBSCRIPTION' },
      { channel: 'sms', status: 'sent', reason: null },
    ]);
    expect(await wechatTo(p, u.openid)).toEqual([]);
  });
});

describe('the hospital stops a session', () => {
  it('tells the patient with the reason; a same-day 停诊 is urgent and goes out on every channel, even in quiet hours', async () => {
    const { session, patientIds } = await accountWithPatients(p);
    // Voice on for schedule changes (an older patient without a smartphone).
    await p.api
      .put('/api/v1/me/notification-settings')
      .set(session.auth)
      .send({ topics: [{ topic: 'schedule_change', channels: { wechat: true, sms: true, voice: true } }] })
      .expect(200);
    const slot = freshSlot();
    const row = (await Slot.findByPk(slot.id))!;
    const apt = (await book(p, session, slot.id, patientIds[0])).body;
    await settle(p);
    // Make it a same-day visit, in quiet hours.
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    await Slot.update({ date: today }, { where: { id: slot.id } });
    await p.db.writeSql((sql) => sql.run('UPDATE appointments SET date = ? WHERE id = ?', [today, apt.id]));
    setQuiet(quiet(-1, 3));
    try {
      const h = (await Hospital.findByPk(row.hospitalId))!;
      const doctor = (await Doctor.findByPk(row.doctorId))!;
      await sim().put(`/__sim/hospitals/${h.code}/sessions/stop`, {
        doctorCode: doctor.hisCode,
        date: row.date,
        period: row.period,
        reason: '专家外出会诊',
      });
      await Hospital.update({ slotsSyncedAt: null }, { where: { id: h.id } });
      await p.api.get(`/api/v1/doctors/${row.doctorId}/slots`).expect(200);
      await settle(p);
    } finally {
      await sim().post('/__sim/reset');
      setQuiet(AWAY);
    }
    const [notice] = (await inbox(session)).body.items;
    expect(notice).toMatchObject({ kind: 'schedule_changed', urgent: true, title: '今日停诊通知' });
    expect(notice.body).toContain('医生停诊：专家外出会诊');
    expect((await smsTo(p, session.phone)).map((m) => m.template)).toEqual(['booking_confirmed', 'schedule_changed']);
    expect((await callsTo(p, session.phone)).map((c) => c.text)).toEqual([expect.stringContaining('请不要前往医院')]);
  });
});

describe('reports', () => {
  it('tells the patient a new report is out, and a critical value on every channel, without the test or its values', async () => {
    const { session, patientId, idNumber: id } = await reportReader(p);
    const code = 'SH031';
    const h = await hospitalByCode(code);
    await p.api.get('/api/v1/reports').query({ patientId }).set(session.auth).expect(200); // the history: no notices
    await settle(p);
    expect((await inbox(session)).body.total).toBe(0);

    const k = (value: string) => [
      { code: 'K', name: '钾', value, unit: 'mmol/L', referenceRange: { low: 3.5, high: 5.3 } },
    ];
    await injectReports(p, code, id, [
      labReport(k('4.1'), { title: '电解质' }),
      labReport(k('6.9'), { title: '急诊电解质' }),
    ]);
    await expireCopies(p, patientId);
    const normal = (await reportIdOf(p, session, patientId, h.id, '电解质'))!;
    const critical = (await reportIdOf(p, session, patientId, h.id, '急诊电解质'))!;
    await settle(p);
    const items = (await inbox(session)).body.items as Array<Record<string, unknown>>;
    expect(items).toHaveLength(2);
    expect(items.find((n) => n.kind === 'report_ready')).toMatchObject({
      title: '报告已出',
      urgent: false,
      page: `/packages/reports/detail/index?id=${normal}`,
    });
    const alarm = items.find((n) => n.kind === 'critical_value')!;
    expect(alarm).toMatchObject({
      title: '危急值提醒',
      urgent: true,
      page: `/packages/reports/detail/index?id=${critical}`,
    });
    expect(alarm.body).toContain(h.name);
    // Neither the inbox nor the SMS name the test or carry a value.
    for (const n of items) expect(`${n.body}`).not.toMatch(/电解质|钾|6\.9|4\.1/);
    const sms = await smsTo(p, session.phone);
    expect(sms.map((m) => m.template).sort()).toEqual(['critical_value', 'report_ready']);
    expect(JSON.stringify(sms)).not.toMatch(/电解质|钾|6\.9/);
  });
});

describe('quiet hours, preferences and the daily cap', () => {
  it('holds a non-urgent SMS until quiet hours end', async () => {
    const { session, patientIds } = await accountWithPatients(p);
    setQuiet(quiet(-1, 3));
    try {
      await book(p, session, freshSlot().id, patientIds[0]).expect(201);
      await settle(p);
      expect(await smsTo(p, session.phone)).toEqual([]);
      const job = await p.db.sql.one<{ next: unknown }>(
        `SELECT o.next_attempt_at AS "next" FROM outbox o JOIN notifications n ON n.id = o.aggregate_id
         WHERE n.user_id = ? AND o.kind = 'notify.deliver' AND o.done_at IS NULL`,
        [session.userId],
      );
      expect(shanghaiClock(asDate(job!.next))).toBe(p.config.notify.quietEnd);
    } finally {
      setQuiet(AWAY);
    }
    await settle(p);
    expect((await smsTo(p, session.phone)).map((m) => m.template)).toEqual(['booking_confirmed']);
  });

  it('follows the preferences, and refuses to switch an urgent notice off entirely', async () => {
    const { session, patientIds } = await accountWithPatients(p);
    const off = await p.api
      .put('/api/v1/me/notification-settings')
      .set(session.auth)
      .send({ topics: [{ topic: 'report', channels: { wechat: false, sms: false, voice: false } }] });
    expect(off.status).toBe(422);
    expect(off.body.error.code).toBe('URGENT_NOTICE_REQUIRED');
    await p.api
      .put('/api/v1/me/notification-settings')
      .set(session.auth)
      .send({ topics: [{ topic: 'booking', channels: { wechat: false, sms: false, voice: false } }] })
      .expect(200);
    const settings = (await p.api.get('/api/v1/me/notification-settings').set(session.auth)).body;
    expect(settings.topics.find((t: { topic: string }) => t.topic === 'booking').channels).toEqual({
      wechat: false,
      sms: false,
      voice: false,
    });
    await book(p, session, freshSlot().id, patientIds[0]).expect(201);
    await settle(p);
    expect(await smsTo(p, session.phone)).toEqual([]);
    expect((await inbox(session)).body.total).toBe(1); // the inbox always has it
  });

  it('caps SMS per user a day, and the notice stays in the inbox', async () => {
    const { session, patientIds } = await accountWithPatients(p, 2);
    for (let i = 0; i < 4; i++) await book(p, session, freshSlot().id, patientIds[i % 2]).expect(201);
    await settle(p);
    expect(await smsTo(p, session.phone)).toHaveLength(3);
    expect((await inbox(session)).body.total).toBe(4);
  });
});

describe('delivery guarantees', () => {
  it('retries when the SMS gateway fails, then dead-letters after the last attempt', async () => {
    const { session, patientIds } = await accountWithPatients(p);
    await axios.put(`${p.sims.sms.url}/__sim/faults`, { failNext: 2 });
    await book(p, session, freshSlot().id, patientIds[0]).expect(201);
    await settle(p);
    expect((await smsTo(p, session.phone)).map((m) => m.template)).toEqual(['booking_confirmed']);

    const other = await accountWithPatients(p);
    await axios.put(`${p.sims.sms.url}/__sim/faults`, { down: true });
    try {
      await book(p, other.session, freshSlot().id, other.patientIds[0]).expect(201);
      await settle(p);
    } finally {
      await axios.put(`${p.sims.sms.url}/__sim/faults`, {});
    }
    const dead = await p.services.outbox.deadLetters();
    expect(dead.some((d) => d.kind === 'notify.deliver' && d.lastError?.includes('sms transient'))).toBe(true);
    expect(await smsTo(p, other.session.phone)).toEqual([]);
  });

  it('sends once when the worker dies between the gateway accepting and our commit', async () => {
    const { session, patientIds } = await accountWithPatients(p);
    const smsClient = p.services.sms as unknown as { send: (...a: unknown[]) => Promise<unknown> };
    const real = smsClient.send.bind(smsClient);
    let crashes = 0;
    smsClient.send = async (...args: unknown[]) => {
      const accepted = await real(...args);
      if (crashes++ === 0) throw new Error('process killed before commit');
      return accepted;
    };
    try {
      await book(p, session, freshSlot().id, patientIds[0]).expect(201);
      await settle(p);
    } finally {
      smsClient.send = real;
    }
    expect(crashes).toBe(2);
    expect((await smsTo(p, session.phone)).map((m) => m.template)).toEqual(['booking_confirmed']);
  });
});

describe('visit reminder', () => {
  it('is a durable job due the evening before, sent only if the visit still stands', async () => {
    const { session, patientIds } = await accountWithPatients(p, 2);
    // Booking notices stay in the inbox here: with them this account would pass the file's daily SMS cap (3), and
    // which notice the cap stopped would depend on the order two deliveries run in on PostgreSQL.
    await p.api
      .put('/api/v1/me/notification-settings')
      .set(session.auth)
      .send({ topics: [{ topic: 'booking', channels: { wechat: false, sms: false, voice: false } }] })
      .expect(200);
    const kept = (await book(p, session, freshSlot().id, patientIds[0])).body;
    const dropped = (await book(p, session, freshSlot().id, patientIds[1])).body;
    await settle(p);
    const jobs = await p.db.sql.all<{ aggregateId: string; next: unknown }>(
      `SELECT aggregate_id AS "aggregateId", next_attempt_at AS "next" FROM outbox WHERE kind = 'notify.reminder'
       AND aggregate_id IN (?, ?) AND done_at IS NULL ORDER BY aggregate_id`,
      [`rem_${kept.id}`, `rem_${dropped.id}`],
    );
    expect(jobs).toHaveLength(2);
    await p.api.post(`/api/v1/appointments/${dropped.id}/cancel`).set(session.auth).expect(200);
    // The evening before arrives.
    await p.db.writeSql((sql) =>
      sql.run(`UPDATE outbox SET next_attempt_at = ? WHERE kind = 'notify.reminder' AND aggregate_id IN (?, ?)`, [
        new Date(Date.now() - 1000),
        `rem_${kept.id}`,
        `rem_${dropped.id}`,
      ]),
    );
    await settle(p);
    const kinds = (await inbox(session)).body.items.map((n: { kind: string }) => n.kind);
    expect(kinds.filter((k: string) => k === 'visit_reminder')).toHaveLength(1);
    expect((await smsTo(p, session.phone)).filter((m) => m.template === 'visit_reminder')).toHaveLength(1);
  });
});

describe('the inbox', () => {
  it('marks read one by one or all at once, counts unread, and never shows another user\u2019s', async () => {
    const { session, patientIds } = await accountWithPatients(p, 2);
    await book(p, session, freshSlot().id, patientIds[0]).expect(201);
    await book(p, session, freshSlot().id, patientIds[1]).expect(201);
    await settle(p);
    const items = (await inbox(session)).body.items;
    expect((await p.api.get('/api/v1/me/notifications/unread-count').set(session.auth)).body).toEqual({ unread: 2 });
    const stranger = await signIn(p);
    expect((await p.api.post(`/api/v1/me/notifications/${items[0].id}/read`).set(stranger.auth)).status).toBe(404);
    expect((await inbox(stranger)).body.total).toBe(0);
    await p.api.post(`/api/v1/me/notifications/${items[0].id}/read`).set(session.auth).expect(204);
    expect((await inbox(session, '?unread=true')).body).toMatchObject({ total: 1, unread: 1 });
    await p.api.post('/api/v1/me/notifications/read-all').set(session.auth).expect(204);
    expect((await p.api.get('/api/v1/me/notifications/unread-count').set(session.auth)).body).toEqual({ unread: 0 });
  });

  it('stores no personal data beyond the template fields', async () => {
    const rows = await p.db.sql.all<{ body: string; content: string }>('SELECT body, content FROM notifications');
    const jobs = await p.db.sql.all<{ payload: string | null }>(
      "SELECT payload FROM outbox WHERE kind LIKE 'notify.%'",
    );
    const text = JSON.stringify([rows, jobs]);
    expect(rows.length).toBeGreaterThan(5);
    expect(text).not.toMatch(/1[3-9]\d{9}/); // no phone number
    expect(text).not.toMatch(/\d{17}[\dX]/); // no ID number
    expect(text).not.toMatch(/测试[甲乙丙丁戊]|王建国/); // no full name
  });
});

describe('WeChat access token', () => {
  it('is fetched once for many sends, and renewed once when WeChat says it expired', async () => {
    const stats = async () => (await axios.get(`${p.sims.wechat.url}/__sim/stats`)).data.tokenRequests as number;
    const users = await Promise.all(['t1', 't2', 't3'].map((n) => wechatUser(`token-${n}`)));
    for (const u of users) {
      await allowAtWechat(u.openid, 'booking_confirmed');
      await p.api
        .post('/api/v1/me/subscriptions')
        .set(u.session.auth)
        .send({ results: { [templateId('booking_confirmed')]: 'accept' } });
    }
    const before = await stats();
    await axios.put(`${p.sims.wechat.url}/__sim/token`, { expireAll: true });
    await Promise.all(users.map((u) => book(p, u.session, freshSlot().id, u.patientId).expect(201)));
    await settle(p);
    for (const u of users) expect(await wechatTo(p, u.openid)).toHaveLength(1);
    expect((await stats()) - before).toBeLessThanOrEqual(1);
  });
});
