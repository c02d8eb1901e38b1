import type { Page } from 'playwright-core';
import { addPatient, grantConsent, idNumber, phoneNumber, signIn } from '../support/accounts';
import { book, openSlots } from '../support/booking';
import { startE2e, type E2e } from '../support/e2e';
import { visitScene } from '../support/visit';

let e: E2e;
let page: Page;
beforeAll(async () => {
  e = await startE2e({ env: { SMS_RESEND_INTERVAL_SEC: '0', QUEUE_REFRESH_MS: '300' } });
  page = e.page;
});
afterAll(() => e?.close());

const visible = (css: string) => page.locator(`${css}:visible`);

describe('the day of the visit on the H5 site', () => {
  it('checks in from the appointment, sees the queue (and the 即将叫号 banner) on the home card, and opens a bill', async () => {
    const phone = phoneNumber();
    await e.patientSignIn(phone);
    const api = await signIn(e.platform, phone);
    await grantConsent(e.platform, api);
    const id = idNumber('19700512');
    const patient = (await addPatient(e.platform, api, { name: '陈静', idNumber: id }).expect(201)).body;
    const [slot] = await openSlots(e.platform, 6);
    const booked = (await book(e.platform, api, slot.id, patient.id).expect(201)).body;
    const scene = await visitScene(e.platform, {
      auth: api.auth,
      slotId: slot.id,
      hospitalId: booked.hospital.id,
      idNumber: id,
    });

    // The appointment page offers check-in while the window is open; checking in opens the queue page.
    await page.goto(`${e.server.url}/packages/booking/appointment/index?id=${scene.appointmentId}`);
    await e.button('我已到院，签到').click();
    await page.waitForURL(/visit\/queue/);
    await e.platform.services.outbox.runOnce(); // the hospital hands out the number
    await page.reload();
    const mine = await e.platform.db.sql.one<{ n: number }>('SELECT queue_number AS n FROM appointments WHERE id = ?', [
      scene.appointmentId,
    ]);
    await visible('.visit__mine')
      .filter({ hasText: String(mine!.n) })
      .waitFor();
    await visible('.visit__room').filter({ hasText: /诊室$/ }).waitFor();

    // Two ahead: the banner, on the home page's card too.
    await scene.nearQueue();
    await scene.refreshQueue();
    await page.goto(`${e.server.url}/`);
    const card = visible('.home__queue');
    await card.filter({ hasText: '即将叫号' }).waitFor();
    await card.filter({ hasText: '前面还有 2 人' }).waitFor();
    // The hospital becomes unreachable: the queue page says so and keeps the last figures.
    await e.platform.setFaults(scene.hospitalCode, { down: true });
    await scene.refreshQueue();
    e.allowConsoleError(/503/);
    await card.click();
    await page.waitForURL(/visit\/queue/);
    await visible('.visit__banner--stale').filter({ hasText: '医院系统暂时无法连接' }).waitFor();
    await visible('.visit__mine')
      .filter({ hasText: String(mine!.n) })
      .waitFor();
    await e.platform.setFaults(scene.hospitalCode, {});

    // Bills by visit with totals, then one bill grouped by category, amounts as ¥12.30.
    await scene.injectInconsistentBill();
    await page.goto(`${e.server.url}/packages/visit/bills/index?patientId=${patient.id}`);
    const old = visible('.visit__visit').filter({ hasText: '呼吸内科' });
    await old.filter({ hasText: '金额有误' }).waitFor();
    await old.filter({ hasText: '¥86.00' }).waitFor();
    await old.locator('.visit__bill-row').click();
    await page.waitForURL(/visit\/bill\//);
    await visible('.visit__group').filter({ hasText: '西药费' }).filter({ hasText: '¥56.00' }).waitFor();
    await visible('.visit__banner--stale').filter({ hasText: '数量×单价为¥54.90，金额却为¥56.00' }).waitFor();
    e.assertNoProblems();
  });
});
