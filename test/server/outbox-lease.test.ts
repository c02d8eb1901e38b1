import { createLogger } from '../../server/src/logger';
import { enqueue } from '../../server/src/outbox/jobs';
import { OutboxRunner } from '../../server/src/outbox/runner';
import { jobsOf } from '../support/outbox';
import { startTestPlatform, type TestPlatform } from '../support/platform';

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(() => p.close());

const KIND = 'test.lease';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A runner with a short lease whose handler counts its runs and can be held open. */
function runner(runs: string[], hold?: Promise<void>) {
  return new OutboxRunner({ db: p.db, log: createLogger('silent') }, { maxAttempts: 3, leaseMs: 300 }).register(
    KIND,
    async (job) => {
      runs.push(job.aggregateId);
      await hold;
    },
  );
}

describe('outbox leases', () => {
  it('a running job keeps its claim past the lease, so a second worker never runs it twice', async () => {
    await p.db.writeSql((sql) => enqueue(sql, [{ kind: KIND, aggregateId: 'lease_long' }]));
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    const runs: string[] = [];
    const first = runner(runs, hold).runOnce();
    await sleep(1000); // more than three lease lengths
    expect(await runner(runs).runOnce()).toBe(0);
    release();
    expect(await first).toBe(1);
    expect(runs.filter((a) => a === 'lease_long')).toHaveLength(1);
    expect((await jobsOf(p.db, 'lease_long'))[0].doneAt).not.toBeNull();
  });

  it('the jobs of a crashed worker are taken over once their lease runs out', async () => {
    await p.db.writeSql((sql) => enqueue(sql, [{ kind: KIND, aggregateId: 'lease_crashed' }]));
    // A worker claimed it and died: nobody renews the claim.
    await p.db.writeSql((sql) =>
      sql.run('UPDATE outbox SET claimed_until = ? WHERE aggregate_id = ?', [
        new Date(Date.now() + 300),
        'lease_crashed',
      ]),
    );
    const runs: string[] = [];
    expect(await runner(runs).runOnce()).toBe(0);
    await sleep(400);
    expect(await runner(runs).runOnce()).toBe(1);
    expect(runs).toEqual(['lease_crashed']);
  });
});
