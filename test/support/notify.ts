import axios from 'axios';
import type { TestPlatform } from './platform';

/**
 * Runs the platform's background work until it settles: the outbox (hospital
 * confirmations, deliveries) and the dispatcher (events -> notifications),
 * making waiting jobs due each round (backoff is not waited out in tests).
 */
export async function settle(p: TestPlatform, rounds = 8): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await p.db.writeSql((sql) =>
      sql.run(
        `UPDATE outbox SET next_attempt_at = ? WHERE done_at IS NULL AND dead_at IS NULL AND next_attempt_at > ?
         AND kind <> 'notify.reminder'`,
        [new Date(Date.now() - 1000), new Date(Date.now() - 1000)],
      ),
    );
    const handled = (await p.services.outbox.runOnce()) + (await p.services.dispatcher.dispatchOnce());
    if (!handled) return;
  }
}

/** Notice SMS a phone received (sign-in codes left out). */
export const smsTo = async (p: TestPlatform, phone: string) =>
  (
    (await axios.get(`${p.sims.sms.url}/__sim/messages`, { params: { phone } })).data.items as Array<{
      template: string;
      params: Record<string, string>;
    }>
  ).filter((m) => m.template !== 'login_code');

export const callsTo = async (p: TestPlatform, phone: string) =>
  (await axios.get(`${p.sims.voice.url}/__sim/calls`, { params: { phone } })).data.items as Array<{ text: string }>;

export const wechatTo = async (p: TestPlatform, openid: string) =>
  (await axios.get(`${p.sims.wechat.url}/__sim/subscribe-messages`, { params: { touser: openid } })).data
    .items as Array<{
    template_id: string;
    data: Record<string, { value: string }>;
  }>;
