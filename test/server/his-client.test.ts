import axios from 'axios';
import { HttpHisClient, HisRejectedError, HisUnavailableError } from '../../server/src/his';
import { demoHisSecret, signRequest } from '../../server/src/his/signing';
import { TEST_HIS_SIGNING_SEED, startHisSimulator } from '../../server/sim/his/server';
import type { RunningServer } from '../../server/sim/listen';

let sim: RunningServer;
const control = () => axios.create({ baseURL: sim.url });
const target = (code: string, secret = demoHisSecret(TEST_HIS_SIGNING_SEED, code)) => ({
  code,
  baseUrl: `${sim.url}/h/${code}`,
  secret,
});
const requestsTo = async (code: string): Promise<number> =>
  (await control().get('/__sim/hospitals')).data.items.find((h: { code: string }) => h.code === code).requests;
const client = (o: Partial<ConstructorParameters<typeof HttpHisClient>[0]> = {}) =>
  new HttpHisClient({ timeoutMs: 300, readRetries: 2, breakerFailures: 3, breakerCooldownMs: 60_000, ...o });
const answerFault = (code: string, status?: number, body?: unknown) =>
  control().put(`/__sim/hospitals/${code}/answer-fault`, { status, body });

beforeAll(async () => {
  sim = await startHisSimulator(0);
});
afterAll(() => sim.close());
beforeEach(() => control().post('/__sim/reset'));

describe('HttpHisClient', () => {
  it('reads profile, departments and doctors of one hospital', async () => {
    const his = client();
    const profile = await his.getProfile(target('SH001'));
    expect(profile).toMatchObject({ code: 'SH001', name: expect.stringMatching(/^上海.+医院$/) });
    const deps = await his.listDepartments(target('SH001'));
    const docs = await his.listDoctors(target('SH001'));
    expect(docs.every((d) => deps.some((dep) => dep.code === d.departmentCode))).toBe(true);
    expect(his.status('SH001')).toBe('online');
    expect(his.health('SH001')).toMatchObject({ status: 'online', calls: 3, failures: 0 });
  });

  it('gives up on a slow hospital after the per-call timeout, retrying reads', async () => {
    await control().put('/__sim/hospitals/SH002/faults', { latencyMs: 2000 });
    const his = client({ readRetries: 1, breakerFailures: 10 });
    await expect(his.getProfile(target('SH002'))).rejects.toMatchObject({
      name: 'HisUnavailableError',
      reason: 'timeout',
    });
    expect(await requestsTo('SH002')).toBe(2); // first try + one retry
  });

  it('retries a failing read and succeeds when the hospital recovers on the retry', async () => {
    await control().put('/__sim/hospitals/SH003/faults', { errorRate: 1 });
    const his = client({ readRetries: 3, breakerFailures: 10 });
    const pending = his.getProfile(target('SH003'));
    setTimeout(() => void control().put('/__sim/hospitals/SH003/faults', {}), 50);
    await expect(pending).resolves.toMatchObject({ code: 'SH003' });
  });

  it('opens the breaker of a down hospital and then fails fast without calling it', async () => {
    await control().put('/__sim/hospitals/SH004/faults', { down: true });
    const his = client({ readRetries: 0, breakerFailures: 3 });
    for (let i = 0; i < 3; i++)
      await expect(his.getProfile(target('SH004'))).rejects.toBeInstanceOf(HisUnavailableError);
    expect(his.status('SH004')).toBe('unavailable');
    const before = await requestsTo('SH004');
    await expect(his.getProfile(target('SH004'))).rejects.toMatchObject({ reason: 'circuit open' });
    expect(await requestsTo('SH004')).toBe(before);

    // Another hospital on the same client is unaffected.
    await expect(his.getProfile(target('SH005'))).resolves.toMatchObject({ code: 'SH005' });
    expect(his.status('SH005')).toBe('online');
  });

  it('closes the breaker again after the cool-down when the hospital is back', async () => {
    await control().put('/__sim/hospitals/SH006/faults', { errorRate: 1 });
    const his = client({ readRetries: 0, breakerFailures: 2, breakerCooldownMs: 200 });
    for (let i = 0; i < 2; i++) await expect(his.getProfile(target('SH006'))).rejects.toThrow();
    expect(his.status('SH006')).toBe('unavailable');
    await control().put('/__sim/hospitals/SH006/faults', {});
    await new Promise((r) => setTimeout(r, 250));
    await expect(his.getProfile(target('SH006'))).resolves.toMatchObject({ code: 'SH006' });
    expect(his.status('SH006')).toBe('online');
  });

  it('reports a documented refusal as HisRejectedError without retrying or tripping the breaker', async () => {
    await control().put('/__sim/hospitals/SH007/booking-refusal', { reason: '该号源已停诊' });
    const his = client({ readRetries: 2, breakerFailures: 1 });
    const booking = { idempotencyKey: 'apt_1', slotCode: 'X', patient: { name: '张三', idNumber: 'x', phone: 'y' } };
    const err = await his.confirmBooking(target('SH007'), booking).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HisRejectedError);
    expect(err).toMatchObject({ hisCode: 'BOOKING_REFUSED', hisMessage: '该号源已停诊' });
    expect(his.status('SH007')).toBe('online');
  });

  it.each([
    [401, { code: 'UNAUTHORIZED', message: 'who are you' }],
    [404, { code: 'UNKNOWN_HOSPITAL', message: 'no such hospital' }],
    [429, { code: 'SLOW_DOWN', message: 'too many requests' }],
    [302, {}],
    [409, { message: 'no code at all' }],
  ])(
    'treats an undocumented %s answer as an outage that counts against the breaker, never a refusal',
    async (status, body) => {
      await answerFault('SH008', status, body);
      const his = client({ readRetries: 0, breakerFailures: 2 });
      const booking = { idempotencyKey: 'apt_2', slotCode: 'X', patient: { name: '张三', idNumber: 'x', phone: 'y' } };
      for (let i = 0; i < 2; i++) {
        const err = await his.confirmBooking(target('SH008'), booking).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(HisUnavailableError);
        expect((err as HisUnavailableError).reason).toContain(`status ${status}`);
      }
      expect(his.status('SH008')).toBe('unavailable');
      expect(his.health('SH008')).toMatchObject({
        failures: 2,
        lastError: { reason: expect.stringContaining(String(status)) },
      });
    },
  );

  it('treats a malformed answer as an outage, not as data', async () => {
    await answerFault('SH009', 200, { name: 42, level: 'galaxy' });
    const his = client({ readRetries: 0 });
    await expect(his.getProfile(target('SH009'))).rejects.toMatchObject({
      name: 'HisUnavailableError',
      reason: 'malformed answer',
    });
  });

  it('signs requests: the hospital refuses a wrong secret, and an answer signed with another secret is refused', async () => {
    const his = client({ readRetries: 0 });
    const wrong = target('SH010', 'not-the-shared-secret');
    await expect(his.getProfile(wrong)).rejects.toMatchObject({
      name: 'HisUnavailableError',
      reason: 'bad answer signature (status 401)',
    });
    // An unsigned or stale request is refused by the hospital itself.
    const unsigned = await axios.get(`${sim.url}/h/SH010/profile`, { validateStatus: () => true });
    expect(unsigned.status).toBe(401);
    expect(unsigned.data.code).toBe('BAD_SIGNATURE');
    const secret = demoHisSecret(TEST_HIS_SIGNING_SEED, 'SH010');
    const old = Math.floor(Date.now() / 1000) - 3600;
    const stale = await axios.get(`${sim.url}/h/SH010/profile`, {
      validateStatus: () => true,
      headers: {
        'x-yl-timestamp': String(old),
        'x-yl-signature': signRequest(secret, 'GET', '/h/SH010/profile', old, ''),
      },
    });
    expect(stale.status).toBe(401);
  });

  it('refuses plain HTTP to a hospital when HTTPS is required (production)', async () => {
    const his = client({ requireHttps: true });
    await expect(his.getProfile(target('SH011'))).rejects.toMatchObject({
      reason: 'insecure base url (HTTPS required)',
    });
    expect(await requestsTo('SH011')).toBe(0);
  });

  it('finds a booking by its idempotency key, or says there is none', async () => {
    const his = client();
    const booking = {
      idempotencyKey: 'apt_lookup',
      slotCode: 'X',
      patient: { name: '张三', idNumber: 'x', phone: 'y' },
    };
    const { hisBookingId } = await his.confirmBooking(target('SH012'), booking);
    await expect(his.findBooking(target('SH012'), 'apt_lookup')).resolves.toEqual({ hisBookingId, status: 'booked' });
    await expect(his.findBooking(target('SH012'), 'apt_never')).rejects.toMatchObject({ hisCode: 'NO_SUCH_BOOKING' });
  });

  it('treats an unreachable address as unavailable', async () => {
    const his = client({ readRetries: 0 });
    await expect(his.getProfile({ code: 'X', baseUrl: 'http://127.0.0.1:9', secret: 's' })).rejects.toBeInstanceOf(
      HisUnavailableError,
    );
  });

  it('queries reports by ID number in the body, validated; an unknown patient has none', async () => {
    const his = client({ readRetries: 0 });
    const report = {
      code: 'R-9',
      type: 'lab',
      title: '血常规',
      status: 'final',
      reportedAt: '2026-11-20T09:00:00+08:00',
      department: '内科',
      orderedBy: '陈明',
      items: [
        { code: 'WBC', name: '白细胞计数', value: '5.6', unit: '10^9/L', referenceRange: { low: 3.5, high: 9.5 } },
      ],
    };
    await control().post('/__sim/hospitals/SH013/reports', { idNumber: 'P-9', items: [report] });
    await expect(his.queryReports(target('SH013'), { idNumber: 'P-9' })).resolves.toEqual([report]);
    await answerFault('SH013', 404, { code: 'PATIENT_UNKNOWN', message: '查无此人' });
    await expect(his.queryReports(target('SH013'), { idNumber: 'P-9' })).resolves.toEqual([]);
    await answerFault('SH013', 200, { items: [{ ...report, status: 'draft' }] });
    await expect(his.queryReports(target('SH013'), { idNumber: 'P-9' })).rejects.toMatchObject({
      reason: 'malformed answer',
    });
  });
});
