import axios from 'axios';
import { HttpHisClient, HisRejectedError, HisUnavailableError } from '../../server/src/his';
import { startHisSimulator } from '../../server/sim/his/server';
import type { RunningServer } from '../../server/sim/listen';

let sim: RunningServer;
const control = () => axios.create({ baseURL: sim.url });
const target = (code: string) => ({ code, baseUrl: `${sim.url}/h/${code}` });
const requestsTo = async (code: string): Promise<number> =>
  (await control().get('/__sim/hospitals')).data.items.find((h: { code: string }) => h.code === code).requests;
const client = (o: Partial<ConstructorParameters<typeof HttpHisClient>[0]> = {}) =>
  new HttpHisClient({ timeoutMs: 300, readRetries: 2, breakerFailures: 3, breakerCooldownMs: 60_000, ...o });

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

  it("reports a hospital's refusal as HisRejectedError without retrying or tripping the breaker", async () => {
    const his = client({ readRetries: 2, breakerFailures: 1 });
    const err = await his.getProfile(target('NOPE')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HisRejectedError);
    expect(err).toMatchObject({ hisCode: 'UNKNOWN_HOSPITAL' });
    expect(his.status('NOPE')).toBe('online');
  });

  it('treats an unreachable address as unavailable', async () => {
    const his = client({ readRetries: 0 });
    await expect(his.getProfile({ code: 'X', baseUrl: 'http://127.0.0.1:9' })).rejects.toBeInstanceOf(
      HisUnavailableError,
    );
  });
});
