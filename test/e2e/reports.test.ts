import type { BrowserContext, Page } from 'playwright-core';
import { addPatient, grantConsent, idNumber, phoneNumber, signIn } from '../support/accounts';
import { startE2e, type E2e } from '../support/e2e';
import { injectReports, labReport } from '../support/reports';

let e: E2e;
let page: Page;
let family: BrowserContext | undefined;
beforeAll(async () => {
  e = await startE2e({ env: { SMS_RESEND_INTERVAL_SEC: '0' } });
  page = e.page;
});
afterAll(async () => {
  await family?.close();
  await e?.close();
});

const visible = (p: Page, text: string | RegExp) => p.locator(':visible', { hasText: text }).last();

describe('reports on the H5 site', () => {
  it('flags a high value, shares the report with a code, and the link stops working once revoked', async () => {
    const phone = phoneNumber();
    await e.patientSignIn(phone);
    const api = await signIn(e.platform, phone);
    await grantConsent(e.platform, api);
    const id = idNumber('19780512', 'male');
    await addPatient(e.platform, api, { idNumber: id, name: '王建国', relation: 'self' }).expect(201);
    // The hospital releases a lipid panel with a high triglyceride (newer than the demo reports).
    await injectReports(e.platform, 'SH027', id, [
      labReport(
        [
          { code: 'TG', name: '甘油三酯', value: '2.9', unit: 'mmol/L', referenceRange: { low: 0.45, high: 1.7 } },
          { code: 'CHOL', name: '总胆固醇', value: '4.6', unit: 'mmol/L', referenceRange: { low: 2.8, high: 5.2 } },
        ],
        { title: '血脂复查（门诊）' },
      ),
    ]);

    // 首页 -> 报告查询 -> the report -> its flagged item.
    await e.tab('首页').click();
    await page.locator('.home__primary:visible').filter({ hasText: '报告查询' }).click();
    await page.waitForURL(/reports\/list/);
    const card = page.locator('.reports__item:visible').filter({ hasText: '血脂复查（门诊）' });
    await card.getByText('异常 1').waitFor();
    await card.click();
    await page.waitForURL(/reports\/detail\/index\?id=/);
    await visible(page, '共 2 项，1 项偏高').waitFor();
    const tg = page.locator('.report-item:visible').filter({ hasText: '甘油三酯' });
    await tg.locator('.report-flag').filter({ hasText: '↑ 偏高' }).waitFor();
    expect(await page.locator('.report-item__name:visible').first().textContent()).toBe('甘油三酯');
    // Tapping it shows what it means and its trend.
    await tg.getByText('甘油三酯').click();
    await tg.locator('.trend-chart__image').waitFor();

    // Share it with a code.
    await e.button('分享给家人').click();
    await page.locator('.reports__chip:visible').filter({ hasText: '7 天' }).click();
    await e.field('4-6位数字，家人查看时需输入').fill('2468');
    await e.button('生成分享链接').click();
    const url = (await page.locator('.share-sheet__url:visible').textContent())!;
    expect(url).toMatch(/\/pages\/shared\/index#t=[A-Za-z0-9_-]{22,}$/);
    await e.button('完成').click();

    // A family member, not signed in, in another browser context.
    family = await page
      .context()
      .browser()!
      .newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const other = await family.newPage();
    const link = `${e.server.url}${new URL(url).pathname}${new URL(url).hash}`;
    await other.goto(link);
    await visible(other, '请输入提取码').waitFor();
    await other.locator('input[placeholder="4-6位数字"]:visible').fill('2468');
    await other
      .locator('.nut-button:visible')
      .filter({ hasText: /^查看报告$/ })
      .click();
    await visible(other, '血脂复查（门诊）').waitFor();
    await visible(other, /王\*国/).waitFor();
    await other.locator('.report-item:visible').filter({ hasText: '甘油三酯' }).getByText('↑ 偏高').waitFor();
    expect(await other.content()).not.toContain(id);
    // No tab bar, but a way home.
    expect(await other.locator('.weui-tabbar:visible').count()).toBe(0);
    await visible(other, '打开医联云健康首页').waitFor();

    // The patient revokes it from the report's share records.
    await page.getByText('此报告的分享记录').click();
    await page.waitForURL(/reports\/shares/);
    await visible(page, '查看 1 次').waitFor();
    await e.button('撤销分享').click();
    await e.button('确认撤销').click();
    await page.locator('.share-card:visible .badge').filter({ hasText: '已撤销' }).waitFor();

    await other.reload();
    await visible(other, '链接已失效').waitFor();
  });
});
