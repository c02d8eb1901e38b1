import type { Page } from 'playwright-core';
import { startE2e, type E2e } from '../support/e2e';

let e: E2e;
let page: Page;
beforeAll(async () => {
  e = await startE2e();
  page = e.page;
});
afterAll(() => e?.close());

const visible = (text: string | RegExp) => page.locator(':visible', { hasText: text }).last();

describe('the H5 app shell', () => {
  it('walks from a reloaded deep link home to a tab, across tabs, into a page and back', async () => {
    const { items } = (await e.platform.api.get('/api/v1/hospitals?pageSize=5')).body;
    const hospital = items[2] as { id: string; name: string };

    // A shared link, opened cold and reloaded: a title, no history, so a home button; no tab bar on an inner page.
    await page.goto(`${e.server.url}/pages/hospital/index?id=${hospital.id}`);
    await page.reload();
    await visible(hospital.name).waitFor();
    await e.titleBar.hasTitle('医院详情');
    await e.titleBar.home().waitFor();
    expect(await e.titleBar.back().count()).toBe(0);
    expect(await e.tabBar().isVisible()).toBe(false);

    // Home: a tab page, with the tab bar and no back or home button.
    await e.titleBar.home().click();
    await page.waitForURL(/\/pages\/index\/index|\/$/);
    await e.tab('首页').waitFor();
    await e.titleBar.hasTitle('医联云健康');
    await e.titleBar.home().waitFor({ state: 'detached' });
    expect(await e.titleBar.back().count()).toBe(0);

    // Tabs switch without a single console error (Taro's tab links are javascript: URLs; CSP forbids following them).
    await e.tab('我的').click();
    await page.waitForURL(/mine/);
    await visible('您还没有登录').waitFor();
    await e.tab('健康').click();
    await page.waitForURL(/health/);
    await e.tab('首页').click();
    await page.waitForURL(/\/pages\/index\/index/);

    // Into an inner page: a back button, which returns to the tab with its tab bar.
    await page.locator('.home__primary:visible').filter({ hasText: '预约挂号' }).click();
    await page.waitForURL(/hospital-list/);
    await e.titleBar.hasTitle('选择医院');
    await e.titleBar.back().click();
    await page.waitForURL(/\/pages\/index\/index/);
    await e.tab('首页').waitFor();
    await e.titleBar.back().waitFor({ state: 'detached' });
    expect(await e.tabBar().isVisible()).toBe(true);
  });

  it('keeps the tab bar on a tab page opened directly', async () => {
    await page.goto(`${e.server.url}/pages/mine/index`);
    await e.tab('我的').waitFor();
    await e.titleBar.hasTitle('我的');
  });

  it('opens the hospital search from the home search box with the keyboard up, without errors', async () => {
    await page.goto(e.server.url);
    await page.locator('.home__search:visible').click();
    await page.waitForURL(/hospital-list\/index\?focus=1/);
    await page.locator('.hospital-list input:focus').waitFor();
  });
});
