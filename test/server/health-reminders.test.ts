import axios from 'axios';
import { maskName } from '../../common/mask';
import { shanghaiClock } from '../../server/src/lib/time';
import { addPatient, grantConsent, signIn, signInWithConsent, type Session } from '../support/accounts';
import { settle, smsTo, wechatTo } from '../support/notify';
import { startTestPlatform, type TestPlatform } from '../support/platform';

/** Quiet hours far from now, so that SMS goes out at once. */
const away = (h: number) => shanghaiClock(new Date(Date.now() + h * 3600_000));

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform({ env: { NOTIFY_QUIET_HOURS: `${away(8)}-${away(10)}` } });
});
afterAll(() => p.close());

async function owner(): Promise<{ s: Session; patientId: string }> {
  const s = await signInWithConsent(p);
  const res = await addPatient(p, s, { name: '李秀英' }).expect(201);
  return { s, patientId: res.body.id };
}
const put = (s: Session, body: Record<string, unknown>) => p.api.put('/api/v1/health/reminders').set(s.auth).send(body);
const get = (s: Session, patientId: string) => p.api.get('/api/v1/health/reminders').query({ patientId }).set(s.auth);

interface JobRow {
  id: string;
  aggregateId: string;
  payload: string;
  done: unknown;
}
/** The reminder jobs of these reminder ids, oldest first. */
const jobsOf = (ids: string[]) =>
  p.db.sql.all<JobRow>(
    `SELECT id, aggregate_id AS "aggregateId", payload, done_at AS done FROM outbox WHERE kind = 'notify.reminder'
     AND aggregate_id IN (${ids.map(() => '?').join(', ')}) ORDER BY created_at, id`,
    ids.map((id) => `hrm_${id}`),
  );
/** The occurrence arrives: these reminders' open jobs become due (settle leaves reminders alone otherwise). */
const arrive = (ids: string[]) =>
  p.db.writeSql((sql) =>
    sql.run(
      `UPDATE outbox SET next_attempt_at = ? WHERE kind = 'notify.reminder' AND done_at IS NULL
       AND aggregate_id IN (${ids.map(() => '?').join(', ')})`,
      [new Date(Date.now() - 1000), ...ids.map((id) => `hrm_${id}`)],
    ),
  );
const notices = (s: Session) =>
  p.api
    .get('/api/v1/me/notifications')
    .set(s.auth)
    .then((r) =>
      (r.body.items as Array<{ kind: string; title: string; body: string; page: string }>).filter(
        (n) => n.kind === 'measure_reminder',
      ),
    );

describe('reminder settings', () => {
  it('saves and answers a patient\u2019s reminders; validates them with Chinese messages', async () => {
    const { s, patientId } = await owner();
    expect((await get(s, patientId).expect(200)).body).toEqual({ patientId, items: [], updatedAt: null });
    const saved = await put(s, {
      patientId,
      items: [
        { type: 'blood_glucose', time: '19:30', enabled: false },
        { type: 'blood_pressure', time: '08:00', enabled: true },
      ],
    }).expect(200);
    expect(saved.body.items).toEqual([
      { id: expect.any(String), type: 'blood_pressure', time: '08:00', enabled: true },
      { id: expect.any(String), type: 'blood_glucose', time: '19:30', enabled: false },
    ]);
    expect(saved.body.updatedAt).toMatch(/\+08:00$/);
    expect((await get(s, patientId).expect(200)).body).toEqual(saved.body);

    const bad = async (items: unknown[], path: string, message: RegExp) => {
      const res = await put(s, { patientId, items }).expect(422);
      const field = res.body.error.details.fields.find((f: { path: string }) => f.path === path);
      expect(field?.message).toMatch(message);
    };
    const bp = (time: string) => ({ type: 'blood_pressure', time, enabled: true });
    await bad([bp('24:00')], 'body.items.0.time', /HH:MM/);
    await bad([bp('8:00')], 'body.items.0.time', /HH:MM/);
    await bad([bp('08:00'), bp('08:00')], 'body.items.1', /重复/);
    await bad(
      ['07', '08', '09', '10', '11', '12', '13'].map((h) => bp(`${h}:00`)),
      'body.items',
      /最多/,
    );
    await bad([{ type: 'mood', time: '08:00', enabled: true }], 'body.items.0.type', /./);
    await put(s, { patientId, items: [{ ...bp('08:00'), note: 'x' }] }).expect(422);
    await put(s, { patientId, items: [], extra: 1 }).expect(422);
    // Nothing was changed by the refused saves.
    expect((await get(s, patientId).expect(200)).body).toEqual(saved.body);
  });

  it('is the owner\u2019s only (404 for another user\u2019s patient) and needs the health-data consent (403)', async () => {
    const { patientId } = await owner();
    const other = await signInWithConsent(p);
    await get(other, patientId).expect(404);
    await put(other, { patientId, items: [] }).expect(404);
    const noConsent = await signIn(p);
    expect((await get(noConsent, patientId).expect(403)).body.error.code).toBe('CONSENT_REQUIRED');
    const { s, patientId: mine } = await owner();
    await p.api.delete('/api/v1/me/consents/health_data').set(s.auth).expect(204);
    expect((await put(s, { patientId: mine, items: [] }).expect(403)).body.error.code).toBe('CONSENT_REQUIRED');
  });
});

describe('delivery', () => {
  it('sends a due reminder once, by SMS, without health values, and schedules the next day', async () => {
    const { s, patientId } = await owner();
    const saved = (
      await put(s, { patientId, items: [{ type: 'blood_pressure', time: '08:00', enabled: true }] }).expect(200)
    ).body;
    const id = saved.items[0].id as string;
    const [first] = await jobsOf([id]);
    const date = JSON.parse(first.payload).date as string;
    expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await settle(p);
    expect(await notices(s)).toEqual([]); // not yet due

    await arrive([id]);
    await settle(p);
    const inbox = await notices(s);
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ title: '该测量血压了', page: '/pages/health/index?type=blood_pressure' });
    expect(inbox[0].body).toContain(maskName('李秀英'));
    expect(inbox[0].body).not.toMatch(/\d{2,3}\/\d{2,3}|mmHg/);
    const sms = (await smsTo(p, s.phone)).filter((m) => m.template === 'measure_reminder');
    expect(sms).toHaveLength(1);
    expect(sms[0].params).toMatchObject({ name: maskName('李秀英'), measurement: '血压' });

    const jobs = await jobsOf([id]);
    expect(jobs).toHaveLength(2);
    expect(jobs[0].done).toBeTruthy();
    expect(jobs[1].done).toBeFalsy();
    const next = JSON.parse(jobs[1].payload).date as string;
    expect(new Date(`${next}T00:00:00Z`).getTime() - new Date(`${date}T00:00:00Z`).getTime()).toBe(86_400_000);
  });

  it('is exactly once per occurrence when the job runs again', async () => {
    const { s, patientId } = await owner();
    const id = (await put(s, { patientId, items: [{ type: 'weight', time: '07:00', enabled: true }] }).expect(200)).body
      .items[0].id as string;
    const [job] = await jobsOf([id]);
    const payload = JSON.parse(job.payload);
    // A worker that died after its commit: the same job is handled twice.
    for (let i = 0; i < 2; i++)
      await p.services.reminders.run({
        id: job.id,
        kind: 'notify.reminder',
        aggregateId: job.aggregateId,
        payload,
        attempts: i,
      });
    await settle(p);
    expect(await notices(s)).toHaveLength(1);
    expect((await smsTo(p, s.phone)).filter((m) => m.template === 'measure_reminder')).toHaveLength(1);
    expect((await jobsOf([id])).filter((j) => !j.done)).toHaveLength(2); // the original (not run by the runner) + the next day
  });

  it('sends by WeChat to a WeChat user who allowed it', async () => {
    const res = await p.api.post('/api/v1/auth/wechat').send({ code: 'sim-reminder-a' }).expect(200);
    const s = { auth: { Authorization: `Bearer ${res.body.accessToken}` } } as Session;
    await grantConsent(p, s);
    const patientId = (await addPatient(p, s, { name: '王建国', phone: '13800000000' }).expect(201)).body.id;
    const openid = (await p.db.sql.one<{ openid: string }>('SELECT wechat_openid AS openid FROM users WHERE id = ?', [
      res.body.user.id,
    ]))!.openid;
    const templateId = p.config.notify.templates.measure_reminder;
    await axios.put(`${p.sims.wechat.url}/__sim/subscriptions`, { openid, templateId, count: 1 });
    await p.api
      .post('/api/v1/me/subscriptions')
      .set(s.auth)
      .send({ results: { [templateId]: 'accept' } })
      .expect(200);
    const id = (await put(s, { patientId, items: [{ type: 'spo2', time: '21:00', enabled: true }] }).expect(200)).body
      .items[0].id as string;
    await arrive([id]);
    await settle(p);
    const sent = await wechatTo(p, openid);
    expect(sent).toHaveLength(1);
    expect(sent[0].template_id).toBe(templateId);
    expect(sent[0].data.thing1.value).toBe('该测量血氧了');
  });

  it('waits out quiet hours for SMS and follows the patient\u2019s channel settings, like any notice', async () => {
    const { s, patientId } = await owner();
    const saved = { ...p.config.notify };
    p.config.notify.quietStart = away(-1);
    p.config.notify.quietEnd = away(3);
    try {
      const id = (
        await put(s, { patientId, items: [{ type: 'heart_rate', time: '06:00', enabled: true }] }).expect(200)
      ).body.items[0].id as string;
      await arrive([id]);
      await settle(p);
      expect(await notices(s)).toHaveLength(1); // in the inbox at once
      expect((await smsTo(p, s.phone)).filter((m) => m.template === 'measure_reminder')).toEqual([]);
    } finally {
      p.config.notify.quietStart = saved.quietStart;
      p.config.notify.quietEnd = saved.quietEnd;
    }
    await settle(p);
    expect((await smsTo(p, s.phone)).filter((m) => m.template === 'measure_reminder')).toHaveLength(1);

    // SMS switched off for 测量提醒: the notice stays in the inbox only.
    const other = await owner();
    await p.api
      .put('/api/v1/me/notification-settings')
      .set(other.s.auth)
      .send({ topics: [{ topic: 'measure_reminder', channels: { wechat: false, sms: false, voice: false } }] })
      .expect(200);
    const id = (
      await put(other.s, { patientId: other.patientId, items: [{ type: 'weight', time: '06:00', enabled: true }] })
    ).body.items[0].id as string;
    await arrive([id]);
    await settle(p);
    expect(await notices(other.s)).toHaveLength(1);
    expect(await smsTo(p, other.s.phone)).toEqual([]);
  });

  it('does not send a reminder that was changed or disabled since its job was scheduled', async () => {
    const { s, patientId } = await owner();
    const before = (
      await put(s, {
        patientId,
        items: [
          { type: 'blood_pressure', time: '08:00', enabled: true },
          { type: 'heart_rate', time: '09:00', enabled: true },
        ],
      }).expect(200)
    ).body.items.map((r: { id: string }) => r.id) as string[];
    const after = (
      await put(s, {
        patientId,
        items: [
          { type: 'blood_pressure', time: '08:30', enabled: true },
          { type: 'heart_rate', time: '09:00', enabled: false },
        ],
      }).expect(200)
    ).body.items.map((r: { id: string }) => r.id) as string[];
    expect((await jobsOf(after)).length).toBe(1); // only the enabled one is scheduled
    await arrive([...before, ...after]);
    await settle(p);
    const inbox = await notices(s);
    expect(inbox.map((n) => n.title)).toEqual(['该测量血压了']);
    // The old reminders' jobs ended without a next day; the current one continues.
    expect((await jobsOf(before)).filter((j) => !j.done)).toEqual([]);
    expect((await jobsOf(after)).filter((j) => !j.done)).toHaveLength(1);
  });

  it('erasing the patient erases the reminders, and their jobs send nothing', async () => {
    const { s, patientId } = await owner();
    const id = (
      await put(s, { patientId, items: [{ type: 'body_temperature', time: '10:00', enabled: true }] }).expect(200)
    ).body.items[0].id as string;
    await p.api.delete(`/api/v1/patients/${patientId}`).set(s.auth).expect(204);
    const left = await p.db.sql.one<{ n: number }>('SELECT COUNT(*) AS n FROM health_reminders WHERE patient_id = ?', [
      patientId,
    ]);
    expect(Number(left!.n)).toBe(0);
    await arrive([id]);
    await settle(p);
    expect(await notices(s)).toEqual([]);
    expect((await jobsOf([id])).filter((j) => !j.done)).toEqual([]);
  });
});
