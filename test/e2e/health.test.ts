import type { Page } from 'playwright-core';
import { addPatient, grantConsent, phoneNumber, signIn } from '../support/accounts';
import { startE2e, type E2e } from '../support/e2e';

let e: E2e;
let page: Page;
beforeAll(async () => {
  e = await startE2e({ env: { SMS_RESEND_INTERVAL_SEC: '0' } });
  page = e.page;
});
afterAll(() => e?.close());

/** E2E_SCREENSHOTS=<dir> keeps pictures of the key screens for a person to look at. */
const shot = async (name: string) => {
  if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/${name}.png` });
};
const numberField = (n: number) => page.locator('input[placeholder="请输入"]:visible').nth(n);

describe('健康 on the H5 site', () => {
  it('adds blood pressure readings, sees each classification, and the trend chart with guideline bands', async () => {
    const phone = phoneNumber();
    await e.patientSignIn(phone);
    const s = await signIn(e.platform, phone);
    await grantConsent(e.platform, s);
    const patient = (await addPatient(e.platform, s, { name: '陈静' }).expect(201)).body as { id: string };
    // Earlier readings, so the chart has days to draw.
    for (const [daysAgo, sys, dia] of [
      [6, 126, 80],
      [4, 134, 86],
      [2, 142, 90],
    ]) {
      await e.platform.api
        .post('/api/v1/health/records')
        .set(s.auth)
        .send({
          patientId: patient.id,
          type: 'blood_pressure',
          values: { systolic: sys, diastolic: dia },
          measuredAt: new Date(Date.now() - daysAgo * 86_400_000).toISOString(),
        })
        .expect(201);
    }

    await page.goto(`${e.server.url}/pages/health/index`);
    await page.getByText('今日数据').waitFor();
    await numberField(0).fill('152');
    await numberField(1).fill('96');
    await e.button('保存').click();
    const result = page.locator('.health__result');
    await result.getByText('1级高血压（轻度）', { exact: true }).waitFor();
    await result.getByText(/152\/96 mmHg/).waitFor();
    await shot('health-recorded');

    // An impossible reading is refused with the field named, and nothing is kept.
    e.allowConsoleError(/422/);
    await numberField(0).fill('300');
    await numberField(1).fill('96');
    await e.button('保存').click();
    await page.getByText('收缩压超出可记录范围（60–280 mmHg），请核对后重新输入').waitFor();

    await numberField(0).fill('128');
    await numberField(1).fill('82');
    await e.button('保存').click();
    await result.getByText('正常高值', { exact: true }).waitFor();
    await page.locator('.health__today').getByText('128/82 mmHg').waitFor();
    await page.locator('.health__history .health__row').nth(4).waitFor();
    expect(await page.locator('.health__history .health__row').count()).toBe(5);

    // Deleting one's own reading asks first, in words.
    await page.locator('.health__history .health__row').first().getByText('删除').click();
    await page.getByText('确认删除这条记录？').waitFor();
    await shot('health-delete-dialog');
    await e.button('确认删除').click();
    await page.locator('.health__history .health__row').nth(4).waitFor({ state: 'detached' });
    expect(await page.locator('.health__history .health__row').count()).toBe(4);

    await page.getByText('趋势图').click();
    await page.waitForURL(/packages\/health\/trend/);
    await page.getByText('近30天 4 次记录', { exact: false }).waitFor();
    const chart = page.locator('.trend-chart__image').first();
    await chart.waitFor();
    const src = (await chart.locator('img').getAttribute('src')) ?? (await chart.getAttribute('src'));
    expect(src).toMatch(/^data:image\/svg\+xml/);
    const svg = decodeURIComponent(
      src!.startsWith('data:image/svg+xml;base64,')
        ? Buffer.from(src!.split(',')[1], 'base64').toString('utf8')
        : src!.split(',').slice(1).join(','),
    );
    // The guideline band's label is drawn (the SVG spells 高血压 as character references).
    expect(svg).toContain('&#x9ad8;&#x8840;&#x538b;');
    await page.locator('.hp__share').getByText('1级高血压（轻度）').waitFor();
    await shot('health-trend');
  });
});
