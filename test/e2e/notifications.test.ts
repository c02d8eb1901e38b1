import axios from 'axios';
import type { Page } from 'playwright-core';
import { Slot } from '../../server/src/modules/booking/models';
import { Doctor, Hospital } from '../../server/src/modules/hospitals/models';
import { shanghaiClock } from '../../server/src/lib/time';
import { addPatient, grantConsent, phoneNumber, signIn } from '../support/accounts';
import { book, openSlots } from '../support/booking';
import { startE2e, type E2e } from '../support/e2e';
import { settle, smsTo } from '../support/notify';

const away = (h: number) => shanghaiClock(new Date(Date.now() + h * 3600_000));

let e: E2e;
let page: Page;
beforeAll(async () => {
  // Quiet hours away from now: this test is about what arrives, not when.
  e = await startE2e({ env: { SMS_RESEND_INTERVAL_SEC: '0', NOTIFY_QUIET_HOURS: `${away(8)}-${away(10)}` } });
  page = e.page;
});
afterAll(() => e?.close());

describe('notifications on the H5 site', () => {
  it('the hospital stops a session: the patient reads why in 消息, and gets exactly one SMS for it', async () => {
    const p = e.platform;
    const phone = phoneNumber();
    await e.patientSignIn(phone);
    const session = await signIn(p, phone);
    await grantConsent(p, session);
    const patientId = (await addPatient(p, session, { name: '陈静' }).expect(201)).body.id;

    const [slot] = await openSlots(p, 6);
    const row = (await Slot.findByPk(slot.id))!;
    await book(p, session, slot.id, patientId).expect(201);
    await settle(p);

    // The hospital stops the doctor's session in its own system; the next sync sees it.
    const h = (await Hospital.findByPk(row.hospitalId))!;
    const doctor = (await Doctor.findByPk(row.doctorId))!;
    const sim = axios.create({ baseURL: p.sims.his.url });
    await sim.put(`/__sim/hospitals/${h.code}/sessions/stop`, {
      doctorCode: doctor.hisCode,
      date: row.date,
      period: row.period,
      reason: '专家外出会诊',
    });
    await Hospital.update({ slotsSyncedAt: null }, { where: { id: h.id } });
    await p.api.get(`/api/v1/doctors/${row.doctorId}/slots`).expect(200);
    await settle(p);

    // 我的 shows the unread count; 消息 lists the notice with its reason.
    await page.reload();
    await page.locator('.mine__row:visible').filter({ hasText: '消息' }).filter({ hasText: '2 条未读' }).waitFor();
    await page.locator('.mine__row:visible').filter({ hasText: /^消息/ }).first().click();
    await page.waitForURL(/messages\/inbox/);
    const notice = page.locator('.messages__item:visible').filter({ hasText: '停诊通知' });
    await notice.getByText(/医生停诊：专家外出会诊/).waitFor();
    await notice.click();
    await page.waitForURL(/booking\/appointment\/index/);
    await page.getByText('医生停诊：专家外出会诊').first().waitFor();

    const sms = await smsTo(p, phone);
    expect(sms.filter((m) => m.template === 'schedule_changed')).toHaveLength(1);
    expect(sms.map((m) => m.template)).toEqual(['booking_confirmed', 'schedule_changed']);
  });
});
