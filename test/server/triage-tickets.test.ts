import { ENCRYPTED_COLUMNS, rotatePii } from '../../server/src/privacy/rotation';
import { addPatient, signIn, signInWithConsent, type Session } from '../support/accounts';
import { consoleSignIn, makeStaff, type ConsoleClient } from '../support/console';
import { startTestPlatform, type TestPlatform } from '../support/platform';

let p: TestPlatform;
let hospitals: Array<{ id: string; name: string }>;
let nurseA: ConsoleClient;
let nurseA2: ConsoleClient;
let nurseB: ConsoleClient;
let admin: ConsoleClient;
let expert: ConsoleClient;
let hospitalAdmin: ConsoleClient;

beforeAll(async () => {
  p = await startTestPlatform({ env: { TRIAGE_UNCLAIMED_FLAG_MIN: '10' } });
  hospitals = (await p.api.get('/api/v1/hospitals')).body.items;
  const [a, b] = hospitals;
  nurseA = await consoleSignIn(p, await makeStaff(p, 'triage_nurse', [a.id]));
  nurseA2 = await consoleSignIn(p, await makeStaff(p, 'triage_nurse', [a.id]));
  nurseB = await consoleSignIn(p, await makeStaff(p, 'triage_nurse', [b.id]));
  admin = await consoleSignIn(p, await makeStaff(p, 'platform_admin'));
  expert = await consoleSignIn(p, await makeStaff(p, 'expert', [a.id]));
  hospitalAdmin = await consoleSignIn(p, await makeStaff(p, 'hospital_admin', [a.id]));
});
afterAll(() => p.close());

const open = (s: Session, body: object) => p.api.post('/api/v1/triage/tickets').set(s.auth).send(body);
const ticketBody = (patch: object = {}) => ({
  hospitalId: hospitals[0].id,
  summary: '孩子反复咳嗽',
  text: '咳嗽一周了，晚上更厉害，不发烧',
  ...patch,
});
/** Backdates a ticket, as if it had been waiting `minutes`. */
const backdate = (id: string, minutes: number) =>
  p.db.sql
    .one('SELECT 1 AS x FROM triage_tickets WHERE id = ?', [id])
    .then(() =>
      p.db.writeSql((sql) =>
        sql.run('UPDATE triage_tickets SET created_at = ? WHERE id = ?', [new Date(Date.now() - minutes * 60_000), id]),
      ),
    );

describe('patient tickets', () => {
  it('needs the health-data consent, valid input and the caller’s own patient and a real hospital', async () => {
    const bare = await signIn(p);
    const noConsent = await open(bare, ticketBody());
    expect([noConsent.status, noConsent.body.error.code]).toEqual([403, 'CONSENT_REQUIRED']);
    const s = await signInWithConsent(p);
    const bad = await open(s, ticketBody({ summary: '', callbackPhone: '12345' }));
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.fields.map((f: { path: string }) => f.path).sort()).toEqual([
      'body.callbackPhone',
      'body.summary',
    ]);
    const other = await signInWithConsent(p);
    const theirs = (await addPatient(p, other, { name: '李四' }).expect(201)).body.id;
    expect((await open(s, ticketBody({ patientId: theirs }))).status).toBe(404);
    expect((await open(s, ticketBody({ hospitalId: 'hsp_nope' }))).status).toBe(404);
  });

  it('opens a ticket with the engine’s urgency, the phone encrypted and masked, and only the owner sees it', async () => {
    const s = await signInWithConsent(p);
    const patientId = (await addPatient(p, s, { name: '王芳' }).expect(201)).body.id;
    const res = await open(s, ticketBody({ patientId, text: '胸口疼，出了一身冷汗', callbackPhone: '13912345678' }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      patientId,
      urgency: 'emergency',
      status: 'open',
      callbackPhone: '139****5678',
      text: '胸口疼，出了一身冷汗',
      messages: [],
    });
    const raw = await p.db.sql.one<Record<string, string>>('SELECT * FROM triage_tickets WHERE id = ?', [res.body.id]);
    expect(JSON.stringify(raw)).not.toMatch(/13912345678|胸口疼|孩子反复咳嗽/);

    const list = await p.api.get('/api/v1/triage/tickets').set(s.auth);
    expect(list.body).toMatchObject({ total: 1, items: [{ id: res.body.id, summary: '孩子反复咳嗽' }] });
    const stranger = await signInWithConsent(p);
    expect((await p.api.get(`/api/v1/triage/tickets/${res.body.id}`).set(stranger.auth)).status).toBe(404);
    expect(
      (await p.api.post(`/api/v1/triage/tickets/${res.body.id}/messages`).set(stranger.auth).send({ text: 'hi' }))
        .status,
    ).toBe(404);
    expect((await p.api.get('/api/v1/triage/tickets').set(stranger.auth)).body.total).toBe(0);
  });
});

describe('the 分诊工作台 life cycle', () => {
  it('claims, replies, recommends, calls back and closes, audited, with a notice to the patient on replies', async () => {
    const s = await signInWithConsent(p);
    const t = (await open(s, ticketBody({ callbackPhone: '13800001111' })).expect(201)).body;

    // Only the roles listed: experts and hospital admins are refused.
    expect((await expert.get('/triage/tickets')).status).toBe(403);
    expect((await hospitalAdmin.post(`/triage/tickets/${t.id}/claim`)).status).toBe(403);
    // Another hospital's nurse cannot see it at all.
    expect((await nurseB.get(`/triage/tickets/${t.id}`)).status).toBe(404);
    expect((await nurseB.post(`/triage/tickets/${t.id}/claim`)).status).toBe(404);
    // Acting before claiming is refused.
    const early = await nurseA.post(`/triage/tickets/${t.id}/messages`, { text: '您好' });
    expect([early.status, early.body.error.code]).toEqual([409, 'CLAIM_FIRST']);

    const claimed = await nurseA.post(`/triage/tickets/${t.id}/claim`);
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ status: 'claimed', claimedBy: expect.any(String), overdue: false });
    const twice = await nurseA2.post(`/triage/tickets/${t.id}/claim`);
    expect([twice.status, twice.body.error.code]).toEqual([409, 'ALREADY_CLAIMED']);
    expect((await nurseA2.post(`/triage/tickets/${t.id}/messages`, { text: '我来' })).body.error.code).toBe(
      'CLAIM_FIRST',
    );

    await nurseA.post(`/triage/tickets/${t.id}/messages`, { text: '请问咳嗽有痰吗？' }).expect(200);
    const patientView = (await p.api.get(`/api/v1/triage/tickets/${t.id}`).set(s.auth)).body;
    expect(patientView.messages.map((m: { author: string; body: string }) => [m.author, m.body])).toEqual([
      ['staff', '分诊护士已接单，正在查看您的问题'],
      ['staff', '请问咳嗽有痰吗？'],
    ]);
    await p.api.post(`/api/v1/triage/tickets/${t.id}/messages`).set(s.auth).send({ text: '有黄痰' }).expect(201);

    const bad = await nurseA.post(`/triage/tickets/${t.id}/recommendation`, { department: '火星科' });
    expect([bad.status, bad.body.error.code]).toEqual([422, 'UNKNOWN_DEPARTMENT']);
    await nurseA.post(`/triage/tickets/${t.id}/recommendation`, { department: '呼吸内科', note: '建议近日就诊' });
    expect((await p.api.get(`/api/v1/triage/tickets/${t.id}`).set(s.auth)).body.recommendedDepartment).toBe('呼吸内科');

    const requested = await nurseA.post(`/triage/tickets/${t.id}/callback`, { action: 'request' });
    expect(requested.body.callbackRequested).toBe(true);
    const phone = await nurseA.post(`/triage/tickets/${t.id}/phone`);
    expect(phone.body).toEqual({ phone: '13800001111' });
    const logged = await nurseA.post(`/triage/tickets/${t.id}/callback`, { action: 'log', outcome: 'no_answer' });
    expect(logged.body.callbackRequested).toBe(false);
    expect(logged.body.messages.at(-1)).toMatchObject({ kind: 'callback', body: '电话回访：未接听' });

    const closed = await nurseA.post(`/triage/tickets/${t.id}/close`, { note: '已建议就诊' });
    expect(closed.body.status).toBe('closed');
    const late = await p.api.post(`/api/v1/triage/tickets/${t.id}/messages`).set(s.auth).send({ text: '还有问题' });
    expect([late.status, late.body.error.code]).toEqual([409, 'TICKET_CLOSED']);

    // Who did what, when: one audit row per action, none with the content.
    const audit = await p.db.sql.all<{ action: string; details: string | null }>(
      "SELECT action, details FROM audit_events WHERE target_type = 'triage_ticket' AND target_id = ? ORDER BY created_at, id",
      [t.id],
    );
    expect(audit.map((a) => a.action)).toEqual([
      'triage.claim',
      'triage.reply',
      'triage.recommend',
      'triage.callback_request',
      'triage.phone_reveal',
      'triage.callback_log',
      'triage.close',
    ]);
    expect(JSON.stringify(audit)).not.toMatch(/13800001111|黄痰|有痰吗/);

    // The replies become notices through the notifications module.
    await p.services.dispatcher.dispatchOnce();
    const inbox = (await p.api.get('/api/v1/me/notifications').set(s.auth)).body.items as Array<{
      kind: string;
      body: string;
    }>;
    const notices = inbox.filter((n) => n.kind === 'triage_reply');
    expect(notices.length).toBe(3); // the reply, the recommendation and the close
    expect(notices[0].body).toContain('人工分诊有新回复');
  });

  it('queues by urgency, then waiting time, within the caller’s scope; flags unclaimed tickets waiting too long', async () => {
    const s = await signInWithConsent(p);
    const routine = (await open(s, ticketBody({ summary: '常规', text: '脸上长痘' })).expect(201)).body;
    const urgent = (await open(s, ticketBody({ summary: '紧急', text: '突然说不出话，嘴歪了' })).expect(201)).body;
    const older = (await open(s, ticketBody({ summary: '较早', text: '腰疼' })).expect(201)).body;
    const platformDesk = (await open(s, ticketBody({ hospitalId: undefined, text: '头疼' })).expect(201)).body;
    const otherHospital = (await open(s, ticketBody({ hospitalId: hospitals[1].id })).expect(201)).body;
    await backdate(older.id, 30);
    await backdate(routine.id, 5);

    const queue = (await nurseA2.get('/triage/tickets').query({ pageSize: 100 })).body;
    const ids = queue.items.map((t: { id: string }) => t.id);
    expect(ids).toEqual(expect.arrayContaining([routine.id, urgent.id, older.id]));
    expect(ids).not.toContain(platformDesk.id);
    expect(ids).not.toContain(otherHospital.id);
    const order = [urgent.id, older.id, routine.id].map((id) => ids.indexOf(id));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const byId = new Map(queue.items.map((t: { id: string; overdue: boolean }) => [t.id, t]));
    expect(byId.get(older.id)).toMatchObject({ overdue: true, waitingMinutes: expect.any(Number) });
    expect(byId.get(routine.id)).toMatchObject({ overdue: false });
    expect(queue.overdueMinutes).toBe(10);

    const everything = (await admin.get('/triage/tickets').query({ pageSize: 100 })).body.items.map(
      (t: { id: string }) => t.id,
    );
    expect(everything).toEqual(expect.arrayContaining([platformDesk.id, otherHospital.id, urgent.id]));
    expect((await nurseA.get(`/triage/tickets/${platformDesk.id}`)).status).toBe(404);
  });
});

describe('personal data', () => {
  it('is erased with the patient, and its encrypted columns are in key rotation', async () => {
    const s = await signInWithConsent(p);
    const patientId = (await addPatient(p, s, { name: '赵六' }).expect(201)).body.id;
    const t = (await open(s, ticketBody({ patientId, callbackPhone: '13700002222' })).expect(201)).body;
    await nurseA.post(`/triage/tickets/${t.id}/claim`).expect(200);
    await nurseA.post(`/triage/tickets/${t.id}/messages`, { text: '您好' }).expect(200);

    for (const column of ['summary_enc', 'text_enc', 'callback_phone_enc'])
      expect(ENCRYPTED_COLUMNS).toContainEqual({ table: 'triage_tickets', column });
    expect(ENCRYPTED_COLUMNS).toContainEqual({ table: 'triage_messages', column: 'body_enc' });
    expect((await rotatePii(p.db, p.services.cipher)).unreadable).toBe(0);

    await p.api.delete(`/api/v1/patients/${patientId}`).set(s.auth).expect(204);
    expect((await p.api.get(`/api/v1/triage/tickets/${t.id}`).set(s.auth)).status).toBe(404);
    const left = await p.db.sql.all('SELECT id FROM triage_messages WHERE ticket_id = ?', [t.id]);
    expect(left).toEqual([]);
    expect((await nurseA.get(`/triage/tickets/${t.id}`)).status).toBe(404);
  });
});
