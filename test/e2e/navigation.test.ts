import type { Page } from 'playwright-core';
import { Slot } from '../../server/src/modules/booking/models';
import { Department } from '../../server/src/modules/hospitals/models';
import { addPatient, grantConsent, phoneNumber, signIn } from '../support/accounts';
import { book, openSlots } from '../support/booking';
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

const svgOf = async (locator: ReturnType<Page['locator']>) => {
  const src = (await locator.getAttribute('src'))!;
  expect(src).toMatch(/^data:image\/svg\+xml;base64,/);
  return Buffer.from(src.split(',')[1], 'base64').toString('ascii');
};
/** `&#36215;` for 起: the drawing is ASCII with numeric references. */
const ref = (ch: string) => `&#x${ch.codePointAt(0)!.toString(16)};`;

describe('indoor navigation on the H5 site', () => {
  it('from an appointment, 到我的就诊科室 draws the route from the entrance across two floors', async () => {
    const phone = phoneNumber();
    await e.patientSignIn(phone);
    const api = await signIn(platform, phone);
    await grantConsent(platform, api);
    const patient = (await addPatient(platform, api, { name: '陈静' }).expect(201)).body as { id: string };

    // A department whose clinic is upstairs (its catalog location names the outpatient floor).
    let chosen: { slotId: string; dep: Department } | undefined;
    for (let h = 0; h < 6 && !chosen; h++) {
      for (const s of await openSlots(platform, h)) {
        const dep = (await Department.findByPk((await Slot.findByPk(s.id))!.departmentId))!;
        if (!dep.location.startsWith('门诊楼1楼')) {
          chosen = { slotId: s.id, dep };
          break;
        }
      }
    }
    const { slotId, dep } = chosen!;
    const apt = (await book(platform, api, slotId, patient.id).expect(201)).body as { id: string };

    await page.goto(`${e.server.url}/packages/booking/appointment/index?id=${apt.id}`);
    await e.button('到我的就诊科室').click();
    await page.waitForURL(/packages\/nav\/route\/index/);

    // Until the route is there the page shows every floor to look around: wait for the destination first.
    await page
      .locator('.nav__end-name:visible')
      .filter({ hasText: `${dep.name} 1 诊室` })
      .waitFor();
    await page.locator('.nav__steps:visible').waitFor();
    // Two floors: the entrance's and the clinic's, the first one drawn with the start marker and the route.
    const floors = page.locator('.nav__floor:visible');
    for (let i = 0; i < 50 && (await floors.count()) !== 2; i++) await page.waitForTimeout(100);
    expect(await floors.count()).toBe(2);
    expect(await floors.nth(0).textContent()).toContain('门诊楼 1F');
    const upstairs = Number(/门诊楼(\d+)楼/.exec(dep.location)![1]);
    const img = page.locator('.nav__img:visible img');
    const first = await svgOf(img);
    expect(first).toContain('<polyline');
    expect(first).toContain(ref('起'));
    expect(first).not.toContain(ref('终'));

    // The steps say how to change floors and where it ends.
    const steps = (await page.locator('.nav__steps:visible').textContent())!;
    expect(steps).toMatch(new RegExp(`(乘电梯|走楼梯|乘扶梯)到 ${upstairs} 楼`));
    expect(steps).toContain(`到达 ${dep.name} 1 诊室`);

    // The second floor shows the rest of the route and the destination.
    await floors.nth(1).click();
    await page.waitForFunction(`(() => {
      const el = [...document.querySelectorAll('.nav__img img')].find((x) => x.offsetParent);
      const src = (el && el.getAttribute('src')) || '';
      return atob(src.split(',')[1] || '').includes('${ref('终')}');
    })()`);
    const second = await svgOf(img);
    expect(second).toContain('<polyline');
    expect(second).not.toContain(ref('起'));

    // Zoom: the drawing grows, and the scroller lets the patient pan over it.
    const before = (await img.boundingBox())!.width;
    await page.locator('.nav__zoom-btn:visible[aria-label="放大"]').click();
    let after = before;
    for (let i = 0; i < 20 && after <= before; i++) {
      await page.waitForTimeout(100);
      after = (await img.boundingBox())!.width;
    }
    expect(after).toBeGreaterThan(before);
  });

  it('searches a place by a synonym (抽血), routes there over the bridge, and in accessible mode too', async () => {
    const hospitals = (await platform.api.get('/api/v1/hospitals?pageSize=100')).body.items as Array<{ id: string }>;
    const hospitalId = hospitals[1].id;
    await page.goto(`${e.server.url}/packages/nav/route/index?hospitalId=${hospitalId}`);
    const search = page.locator('.nav__search input:visible');
    await search.fill('抽血');
    await search.press('Enter');
    await page.locator('.nav__result:visible').filter({ hasText: '检验科' }).click();
    await page.locator('.nav__end-name:visible').filter({ hasText: '检验科（抽血处）' }).waitFor();
    // The lab is in the other building, over the bridge.
    await page.locator('.nav__steps:visible').filter({ hasText: '经连廊' }).waitFor();
    await page.locator('.nav__chip:visible').click();
    await page.locator('.nav__chip.is-active:visible').waitFor();
    await page.locator('.nav__steps:visible').filter({ hasText: '到达 检验科（抽血处）' }).waitFor();
  });
});
