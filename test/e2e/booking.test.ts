import type { Page } from 'playwright-core';
import { Slot } from '../../server/src/modules/booking/models';
import { addPatient, grantConsent, phoneNumber, signIn } from '../support/accounts';
import { openSlots } from '../support/booking';
import { startE2e, type E2e } from '../support/e2e';
import type { TestPlatform } from '../support/platform';

let e: E2e;
let page: Page;
let platform: TestPlatform;
beforeAll(async () => {
  e = await startE2e({ env: { SMS_RESEND_INTERVAL_SEC: '0' } });
  page = e.page;
  platform = e.platform;
});
afterAll(() => e?.close());

const button = (text: string) => e.button(text);
const visibleText = (text: string | RegExp) => page.locator(':visible', { hasText: text }).last();

describe('booking on the H5 site', () => {
  it('books a slot for a patient, shows the booking code, and cancels it from 我的预约', async () => {
    const phone = phoneNumber();

    // Sign in through the page; the patient is added through the API for the same account.
    await e.patientSignIn(phone);
    const api = await signIn(platform, phone);
    await grantConsent(platform, api);
    await addPatient(platform, api, { name: '陈静' }).expect(201);

    const [slot] = await openSlots(platform, 5);
    const row = (await Slot.findByPk(slot.id))!;
    const hospital = (await platform.api.get(`/api/v1/hospitals/${row.hospitalId}`)).body;
    const doctor = (await platform.api.get(`/api/v1/doctors/${row.doctorId}`)).body;
    const shortDate = `${Number(row.date.slice(5, 7))}/${Number(row.date.slice(8))}`;

    // The patient's own way there, tap by tap: 首页 -> 预约挂号 -> search -> hospital -> department -> doctor.
    await page.locator('.taro-tabbar__tabbar:visible').getByText('首页').click();
    await page.getByText('预约挂号').click();
    await page.waitForURL(/hospital-list/);
    const search = page.locator('.hospital-list input:visible');
    await search.fill(hospital.name.slice(2));
    await search.press('Enter');
    await page.locator('.hospital-list__item:visible').filter({ hasText: hospital.name }).click();
    await page.waitForURL(new RegExp(`hospital/index\\?id=${hospital.id}`));
    await page
      .locator('.hospital__departments .nut-cell:visible')
      .filter({ hasText: new RegExp(`^${doctor.department.name}`) })
      .first()
      .click();
    await page.waitForURL(/department\/index/);
    // The department opens on the first date with seats, and every date says whether it has any.
    await page.locator('.date-strip__day.is-active:visible').filter({ hasText: '有号' }).waitFor();
    await page.locator('.date-strip__day:visible').filter({ hasText: shortDate }).click();
    await page.locator('.department__session:visible').filter({ hasText: doctor.name }).click();
    // The doctor page opens on that date and shows one date's slots at a time.
    await page.waitForURL(/booking\/doctor\/index/);
    const time = slot.startAt.slice(11, 16);
    await page
      .locator('.doctor__day:visible')
      .getByText(`${Number(row.date.slice(5, 7))}月${Number(row.date.slice(8))}日`)
      .waitFor();
    await page.locator('.doctor__slot.is-open:visible').filter({ hasText: time }).first().click();

    await page.waitForURL(/confirm/);
    await page.locator('.confirm__patient:visible').filter({ hasText: '陈静' }).click();
    await button('确认预约').click();

    await page.waitForURL(/result/);
    await visibleText('预约成功').waitFor();
    const bookingCode = (await page.locator('.apt__code:visible').textContent())!;
    expect(bookingCode).toMatch(/^[0-9A-Z]{8}$/);
    // What the patient needs on the day: where, the hospital's address and phone, a QR code, the cut-off.
    const dep = (await platform.api.get(`/api/v1/doctors/${row.doctorId}`)).body.department;
    await visibleText(dep.location).waitFor();
    await visibleText('医院电话').waitFor();
    await visibleText('退号截止').waitFor();
    await visibleText(/身份证、医保卡/).waitFor();
    const qr = await page.locator('.apt__qr:visible img').getAttribute('src');
    expect(qr).toMatch(/^data:image\/svg\+xml;base64,/);
    await button('查看我的预约').click();

    await page.waitForURL(/appointments/);
    await page.locator('.card:visible').filter({ hasText: '待就诊' }).first().click();
    await page.waitForURL(/appointment\/index/);
    await page.getByText(bookingCode).waitFor();
    await button('取消预约').click();
    // The dialog names the action, and offers a way out.
    await button('再想想').waitFor();
    await button('确认取消预约').click();
    await visibleText('已取消').waitFor();

    const list = (await platform.api.get('/api/v1/appointments').set(api.auth)).body.items;
    expect(list[0]).toMatchObject({ status: 'cancelled', bookingCode });
  });
});
