import type { Page } from 'playwright-core';
import { startE2e, type E2e } from '../support/e2e';
import type { TestPlatform } from '../support/platform';

let e: E2e;
let page: Page;
let platform: TestPlatform;
beforeAll(async () => {
  e = await startE2e();
  page = e.page;
  platform = e.platform;
});
afterAll(() => e?.close());

describe('patient browses hospitals on the H5 site', () => {
  it('searches a hospital, opens it, opens a department and sees its doctors', async () => {
    const { items } = (await platform.api.get('/api/v1/hospitals?pageSize=100')).body;
    const target = items[7] as { id: string; name: string };

    await page.goto(e.server.url);
    await page.getByText('预约挂号').click();
    await page.waitForURL(/hospital-list/);

    const input = page.locator('.hospital-list input');
    await input.fill(target.name.slice(2));
    await input.press('Enter');
    await page.getByText('共 1 家医院').waitFor();
    const results = page.locator('.hospital-list__item');
    expect(await results.count()).toBe(1);
    await results.filter({ hasText: target.name }).click();

    await page.waitForURL(new RegExp(`hospital/index\\?id=${target.id}`));
    await page.getByText('选择科室').waitFor();
    await page.locator('.hospital__departments .nut-cell', { hasText: /^内科/ }).first().click();

    await page.waitForURL(/department\/index/);
    await page
      .getByText(/^擅长：/)
      .first()
      .waitFor();
    const doctorCards = page.locator('.department__doctor');
    const dep = (await platform.api.get(`/api/v1/hospitals/${target.id}/departments?pageSize=100`)).body.items.find(
      (d: { name: string }) => d.name === '内科',
    );
    expect(await doctorCards.count()).toBe(dep.doctorCount);
    await expect(doctorCards.first().textContent()).resolves.toMatch(/主任医师|副主任医师|主治医师/);
  });

  it('tells the patient when a hospital system is down, in Chinese, without breaking the page', async () => {
    const { Hospital } = await import('../../server/src/modules/hospitals/models');
    const h = (await Hospital.findOne({ where: { catalogSyncedAt: null }, order: [['code', 'DESC']] }))!;
    await platform.setFaults(h.code, { down: true });
    e.allowConsoleError(/status of 503/); // the browser logs the 503 this test provokes
    try {
      await page.goto(`${e.server.url}/pages/hospital/index?id=${h.id}`);
      await page.getByText(h.name).first().waitFor();
      await page.getByText('的医院系统暂时无法连接，请稍后再试').waitFor();
      await page.getByText('重新加载').waitFor();
    } finally {
      await platform.setFaults(h.code, {});
    }
  });
});
