import { ReportShare, ReportShareView } from '../../server/src/modules/reports/models';
import { signInWithConsent, type Session } from '../support/accounts';
import { loggedContent, startTestPlatform, type TestPlatform } from '../support/platform';
import { addDependant, hospitalByCode, injectReports, labReport, reportIdOf, reportReader } from '../support/reports';

const logLines: string[] = [];
let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform({
    env: { RATE_SHARED_VIEW_PER_IP_PER_MINUTE: '30', PUBLIC_BASE_URL: 'https://h5.example.com' },
    logStream: { write: (line) => void logLines.push(line) },
  });
});
afterAll(() => p.close());

const WECHAT_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile MicroMessenger/8.0.47';
let address = 0;
/** A viewer at an address of its own (rate limits count per address). */
const viewer = () => `198.51.100.${++address}`;

const view = (token: string, ip: string, code?: string) => {
  const req = p.api.get(`/api/v1/shared/${token}`).set('X-Forwarded-For', ip).set('User-Agent', WECHAT_UA);
  return code === undefined ? req : req.set('X-Access-Code', code);
};

/** An account with a verified patient and one report of theirs at SH036. */
async function ownerWithReport(name = '王建国') {
  const r = await reportReader(p, { name });
  const h = await hospitalByCode('SH036');
  await injectReports(p, 'SH036', r.idNumber, [
    labReport(
      [{ code: 'ALT', name: '丙氨酸氨基转移酶', value: '88', unit: 'U/L', referenceRange: { low: 9, high: 50 } }],
      {
        title: '肝功能复查',
      },
    ),
  ]);
  const reportId = (await reportIdOf(p, r.session, r.patientId, h.id, '肝功能复查'))!;
  return { ...r, reportId };
}

const createShare = (s: Session, reportId: string, body: object = {}) =>
  p.api.post(`/api/v1/reports/${reportId}/shares`).set(s.auth).send(body);

describe('sharing a report with family', () => {
  it('creates a link whose token is random, shown once and stored only as a hash', async () => {
    const { session, reportId } = await ownerWithReport();
    const before = Date.now();
    const res = await createShare(session, reportId);
    expect(res.status).toBe(201);
    const { id, token, url, expiresAt, hasAccessCode } = res.body;
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/); // 24 random bytes: 192 bits
    expect(url).toBe(`https://h5.example.com/pages/shared/index#t=${token}`);
    expect(hasAccessCode).toBe(false);
    const hours = (new Date(expiresAt).getTime() - before) / 3_600_000;
    expect(hours).toBeGreaterThan(71.9);
    expect(hours).toBeLessThan(72.1);
    const row = (await ReportShare.findByPk(id))!;
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row.toJSON())).not.toContain(token);
    expect(id).not.toBe(token);
    const second = await createShare(session, reportId);
    expect(second.body.token).not.toBe(token);
  });

  it('shows the report without sign-in, masked, and records each view for the owner', async () => {
    const { session, reportId, idNumber } = await ownerWithReport();
    const { id, token } = (await createShare(session, reportId)).body;
    const ip = viewer();
    const res = await view(token, ip);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.patient).toEqual({ name: '王*国', sex: 'male', age: 46 });
    expect(res.body).toMatchObject({
      title: '肝功能复查',
      hospital: { name: expect.any(String) },
      disclaimer: expect.any(String),
    });
    expect(res.body.items[0]).toMatchObject({ code: 'ALT', flag: 'H' });
    const text = JSON.stringify(res.body);
    for (const secret of [idNumber, session.phone, reportId, '王建国']) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/idNumber|phone|patientId/);
    await view(token, ip);

    const shares = await p.api.get(`/api/v1/reports/${reportId}/shares`).set(session.auth);
    const mine = shares.body.items.find((x: { id: string }) => x.id === id);
    expect(mine).toMatchObject({ status: 'active', viewCount: 2, lastViewedAt: expect.stringMatching(/\+08:00$/) });
    expect(mine.recentViews).toEqual([
      { viewedAt: expect.any(String), ip: `198.51.100.0/24`, browser: 'wechat' },
      { viewedAt: expect.any(String), ip: `198.51.100.0/24`, browser: 'wechat' },
    ]);
    const all = await p.api.get('/api/v1/shares').set(session.auth);
    expect(all.body).toMatchObject({ total: 1, items: [expect.objectContaining({ id, reportTitle: '肝功能复查' })] });
    expect(await ReportShareView.count({ where: { shareId: id } })).toBe(2);
  });

  it('asks for the access code, counts wrong ones and locks the share after five for 15 minutes', async () => {
    const { session, reportId } = await ownerWithReport();
    const res = await createShare(session, reportId, { accessCode: '2468', expiresInHours: 24 });
    expect(res.body.hasAccessCode).toBe(true);
    const { id, token } = res.body;
    const ip = viewer();
    expect((await view(token, ip)).body.error.code).toBe('ACCESS_CODE_REQUIRED');
    expect((await view(token, ip)).status).toBe(401);
    const wrong = await view(token, ip, '1111');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatchObject({ code: 'ACCESS_CODE_WRONG', details: { attemptsLeft: 4 } });
    expect((await view(token, ip, '2468')).status).toBe(200); // a right code starts the count again
    for (let i = 1; i <= 4; i++) expect((await view(token, ip, '0000')).body.error.code).toBe('ACCESS_CODE_WRONG');
    const fifth = await view(token, ip, '0000');
    expect(fifth.status).toBe(423);
    expect(fifth.body.error).toMatchObject({ code: 'SHARE_LOCKED', details: { retryAfter: expect.any(Number) } });
    expect(fifth.body.error.details.retryAfter).toBeGreaterThan(14 * 60);
    expect((await view(token, viewer(), '2468')).status).toBe(423); // locked for everyone, the right code too
    const listed = (await p.api.get(`/api/v1/reports/${reportId}/shares`).set(session.auth)).body.items;
    expect(listed.find((x: { id: string }) => x.id === id).status).toBe('locked');

    await ReportShare.update({ lockedUntil: new Date(Date.now() - 1000) }, { where: { id } });
    expect((await view(token, viewer(), '2468')).status).toBe(200);
    expect((await view(token, viewer(), '12ab')).status).toBe(422);
  });

  it('answers expired, revoked and unknown links alike (404 SHARE_UNAVAILABLE), in the same time', async () => {
    const { session, reportId } = await ownerWithReport();
    const expired = (await createShare(session, reportId, { expiresInHours: 1 })).body;
    await ReportShare.update({ expiresAt: new Date(Date.now() - 1000) }, { where: { id: expired.id } });
    const revoked = (await createShare(session, reportId)).body;
    expect((await p.api.delete(`/api/v1/shares/${revoked.id}`).set(session.auth)).status).toBe(204);
    expect((await p.api.delete(`/api/v1/shares/${revoked.id}`).set(session.auth)).status).toBe(204);
    const unknown = 'A'.repeat(32);

    const answers = await Promise.all(
      [expired.token, revoked.token, unknown, 'short'].map(async (t) => (await view(t, viewer())).body),
    );
    for (const a of answers) expect(a).toEqual({ error: { code: 'SHARE_UNAVAILABLE', message: '链接已失效' } });

    // Interleaved, so the machine's own load falls on all three alike.
    const tokens = [expired.token, revoked.token, unknown];
    const ms: number[][] = [[], [], []];
    for (let round = 0; round < 30; round++) {
      for (const i of [0, 1, 2].sort(() => Math.random() - 0.5)) {
        const t = performance.now();
        await view(tokens[i], `192.0.2.${round}`).expect(404);
        ms[i].push(performance.now() - t);
      }
    }
    const medians = ms.map((m) => m.sort((a, b) => a - b)[15]);
    expect(Math.max(...medians) - Math.min(...medians)).toBeLessThan(Math.max(3, Math.min(...medians) / 2));

    const statuses = (await p.api.get(`/api/v1/reports/${reportId}/shares`).set(session.auth)).body.items.map(
      (x: { status: string }) => x.status,
    );
    expect(statuses.sort()).toEqual(['expired', 'revoked']);
  });

  it('keeps shares to their owner: another user’s report or share is not found', async () => {
    const owner = await ownerWithReport();
    const share = (await createShare(owner.session, owner.reportId)).body;
    const stranger = await signInWithConsent(p);
    expect((await createShare(stranger, owner.reportId)).status).toBe(404);
    expect((await p.api.get(`/api/v1/reports/${owner.reportId}/shares`).set(stranger.auth)).status).toBe(404);
    expect((await p.api.delete(`/api/v1/shares/${share.id}`).set(stranger.auth)).status).toBe(404);
    expect((await p.api.get('/api/v1/shares').set(stranger.auth)).body.total).toBe(0);
    expect((await view(share.token, viewer())).status).toBe(200);
  });

  it('validates what it is given', async () => {
    const { session, reportId } = await ownerWithReport();
    for (const body of [
      { expiresInHours: 721 },
      { expiresInHours: 0 },
      { accessCode: '123' },
      { accessCode: 'abcd' },
      { x: 1 },
    ]) {
      const res = await createShare(session, reportId, body);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    const month = await createShare(session, reportId, { expiresInHours: 720, accessCode: '123456' });
    expect(month.status).toBe(201);
  });

  it('ends every share of a deleted patient and of a deleted account', async () => {
    const owner = await ownerWithReport();
    const child = await addDependant(p, owner.session, { birth: '20180601', sex: 'female', name: '王小红' });
    const h = await hospitalByCode('SH037');
    await injectReports(p, 'SH037', child.idNumber, [
      labReport([{ code: 'WBC', name: '白细胞计数', value: '11.0', unit: '10^9/L' }], { title: '血常规' }),
    ]);
    const childReport = (await reportIdOf(p, owner.session, child.patientId, h.id, '血常规'))!;
    const childShare = (await createShare(owner.session, childReport)).body;
    const shared = await view(childShare.token, viewer());
    expect(shared.body.patient).toEqual({ name: '王*红', sex: 'female', age: 8 });
    // 11.0 is within an 8-year-old's interval (an adult's would be high).
    expect(shared.body.items[0]).toMatchObject({ flag: 'N', referenceRange: { citation: 'WS/T 779-2021' } });

    expect((await p.api.delete(`/api/v1/patients/${child.patientId}`).set(owner.session.auth)).status).toBe(204);
    expect((await view(childShare.token, viewer())).body.error.code).toBe('SHARE_UNAVAILABLE');
    expect((await p.api.get(`/api/v1/reports/${childReport}`).set(owner.session.auth)).status).toBe(404);

    const selfShare = (await createShare(owner.session, owner.reportId)).body;
    expect((await view(selfShare.token, viewer())).status).toBe(200);
    expect((await p.api.delete('/api/v1/me').set(owner.session.auth)).status).toBe(204);
    expect((await view(selfShare.token, viewer())).body.error.code).toBe('SHARE_UNAVAILABLE');
    expect(await ReportShare.count({ where: { userId: owner.session.userId } })).toBe(0);
  });

  it('limits views per address', async () => {
    const { session, reportId } = await ownerWithReport();
    const { token } = (await createShare(session, reportId)).body;
    const ip = '203.0.113.9';
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await view(token, ip)).status);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses[30]).toBe(429);
  });

  it('never writes tokens or access codes to the log', async () => {
    const { session, reportId } = await ownerWithReport();
    const { token } = (await createShare(session, reportId, { accessCode: '97531' })).body;
    await view(token, viewer(), '13579');
    await view(token, viewer(), '97531');
    const log = loggedContent(logLines);
    expect(log).toContain('/api/v1/shared/:token');
    expect(log).not.toContain(token);
    expect(log).not.toContain('97531');
    expect(log).not.toContain('13579');
  });
});
