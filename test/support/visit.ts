import axios from 'axios';
import { shanghaiDate } from '../../server/src/lib/time';
import type { TestPlatform } from './platform';

/**
 * The day of the visit for e2e and screenshots: a booked appointment's slot
 * moved to start in 20 minutes (so check-in is open), and helpers to set its
 * room's queue and to inject a bill that does not add up.
 */
export async function visitScene(
  p: TestPlatform,
  v: { auth: { Authorization: string }; slotId: string; hospitalId: string; idNumber: string },
) {
  const list = await p.api.get('/api/v1/appointments').set(v.auth);
  const apt = (list.body.items as Array<{ id: string; slot: { id: string } }>).find((a) => a.slot.id === v.slotId)!;
  await p.services.outbox.runOnce(); // the hospital confirms the booking
  const start = new Date(Date.now() + 20 * 60_000);
  await p.db.writeSql((sql) =>
    sql.run('UPDATE slots SET start_at = ?, end_at = ?, date = ? WHERE id = ?', [
      start,
      new Date(start.getTime() + 30 * 60_000),
      shanghaiDate(start),
      v.slotId,
    ]),
  );
  const hospital = await p.db.sql.one<{ code: string }>('SELECT code FROM hospitals WHERE id = ?', [v.hospitalId]);
  const sim = axios.create({ baseURL: p.sims.his.url });
  const mine = () =>
    p.db.sql.one<{ n: number; room: string }>(
      'SELECT queue_number AS n, queue_room_code AS room FROM appointments WHERE id = ?',
      [apt.id],
    );
  return {
    appointmentId: apt.id,
    /**
     * Lets the server see the room's new state: past QUEUE_REFRESH_MS, one look starts the refresh (the cache
     * serves the old answer meanwhile), and its end is awaited, so the next page load shows the new state.
     */
    refreshQueue: async () => {
      await new Promise((r) => setTimeout(r, p.config.visit.queueRefreshMs + 50));
      await p.api.get(`/api/v1/appointments/${apt.id}/queue`).set(v.auth);
      await p.services.visit.queueReadsIdle();
    },
    hospitalCode: hospital!.code,
    /** Two ahead of the patient: the 即将叫号 banner. */
    nearQueue: async () => {
      const m = (await mine())!;
      const n = Number(m.n);
      await sim.put(`/__sim/hospitals/${hospital!.code}/queues/${m.room}`, {
        calling: n - 3,
        waiting: [n - 2, n - 1, n, n + 1, n + 2],
        recentDurationsSec: [420, 360, 300, 480, 390, 330, 450, 310, 370, 400],
      });
    },
    injectInconsistentBill: () =>
      sim.post(`/__sim/hospitals/${hospital!.code}/bills`, {
        idNumber: v.idNumber,
        items: [
          {
            code: 'BX-9',
            visitCode: 'V-OLD',
            visitDate: '2026-11-20',
            department: '呼吸内科',
            status: 'paid',
            totalFen: 8600,
            insuranceFen: 4000,
            selfPayFen: 4600,
            items: [
              { category: '化验费', name: '血常规', quantity: 1, unitPriceFen: 2500, amountFen: 2500 },
              { category: '西药费', name: '阿莫西林胶囊 0.25g×24粒', quantity: 3, unitPriceFen: 1830, amountFen: 5600 },
            ],
          },
        ],
      }),
  };
}
