import { createLogger } from '../../server/src/logger';
import { SmsClient } from '../../server/src/integrations/sms';
import { VoiceClient } from '../../server/src/integrations/voice';
import { WechatClient } from '../../server/src/integrations/wechat';
import { registerHisJobs } from '../../server/src/modules/booking/his-jobs';
import { registerNotifyJobs } from '../../server/src/modules/notifications/deliver';
import { NotificationDispatcher } from '../../server/src/modules/notifications/dispatch';
import { OutboxRunner } from '../../server/src/outbox/runner';
import { accountWithPatients, book, openSlots } from '../support/booking';
import { smsTo } from '../support/notify';
import { startTestPlatform, type TestPlatform, TEST_SMS_KEY, TEST_VOICE_KEY } from '../support/platform';
import { describeWith } from '../support/services';
import { shanghaiClock } from '../../server/src/lib/time';

/** A second server process's workers on the same database: own dispatcher, own outbox runner, own provider clients. */
function secondProcess(p: TestPlatform) {
  const log = createLogger('silent');
  const runner = new OutboxRunner({ db: p.db, log }, { maxAttempts: 5 });
  registerHisJobs(runner, { db: p.db, his: p.his, cipher: p.services.cipher, seats: p.services.seats });
  const dispatcher = new NotificationDispatcher({ db: p.db, log, config: p.config.notify });
  const wechat = new WechatClient(p.config.wechat);
  registerNotifyJobs(runner, {
    db: p.db,
    cipher: p.services.cipher,
    config: p.config.notify,
    dispatcher,
    providers: {
      wechat,
      sms: new SmsClient({ baseUrl: p.sims.sms.url, apiKey: TEST_SMS_KEY }),
      voice: new VoiceClient({ baseUrl: p.sims.voice.url, apiKey: TEST_VOICE_KEY }),
    },
  });
  return { runner, dispatcher };
}

describeWith('postgres')('notifications with two processes on one PostgreSQL', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    const away = (h: number) => shanghaiClock(new Date(Date.now() + h * 3600_000));
    p = await startTestPlatform({
      database: 'postgres',
      env: { RATE_BOOKING_PER_ACCOUNT_PER_MINUTE: '1000', NOTIFY_QUIET_HOURS: `${away(8)}-${away(10)}` },
    });
  });
  afterAll(() => p.close());

  it('notifies every event exactly once and sends every SMS exactly once', async () => {
    const slots = (await openSlots(p, 12)).filter((s, i, all) => all.findIndex((o) => o.doctorId === s.doctorId) === i);
    const people = await Promise.all(slots.slice(0, 12).map(() => accountWithPatients(p)));
    await Promise.all(people.map((x, i) => book(p, x.session, slots[i].id, x.patientIds[0]).expect(201)));
    const other = secondProcess(p);
    const mine = { runner: p.services.outbox, dispatcher: p.services.dispatcher };
    for (let round = 0; round < 6; round++) {
      await Promise.all([mine, other].flatMap((w) => [w.runner.runOnce(), w.dispatcher.dispatchOnce()]));
    }
    for (const x of people) {
      expect((await smsTo(p, x.session.phone)).map((m) => m.template)).toEqual(['booking_confirmed']);
    }
    const counts = await p.db.sql.one<{ n: string; keys: string }>(
      "SELECT COUNT(*) AS n, COUNT(DISTINCT dedup_key) AS keys FROM notifications WHERE kind = 'booking_confirmed'",
    );
    expect(Number(counts!.n)).toBe(people.length);
    expect(Number(counts!.keys)).toBe(people.length);
  });
});
