import type { Page } from 'playwright-core';
import { signInWithConsent } from '../support/accounts';
import { makeStaff } from '../support/console';
import { desktopPage, shot, signInOnPage } from '../support/console-e2e';
import { startE2e, type E2e } from '../support/e2e';

let e: E2e;
let page: Page;
beforeAll(async () => {
  e = await startE2e({ env: { TRIAGE_UNCLAIMED_FLAG_MIN: '10' } });
  page = await desktopPage(e);
});
afterAll(async () => {
  await page?.context().close();
  await e?.close();
});

describe('分诊工作台 in the console', () => {
  it('shows the queue by urgency with overdue tickets flagged; a nurse claims, replies, recommends and closes', async () => {
    const p = e.platform;
    const hospital = (await p.api.get('/api/v1/hospitals')).body.items[0];
    const patient = await signInWithConsent(p);
    const open = (summary: string, text: string) =>
      p.api
        .post('/api/v1/triage/tickets')
        .set(patient.auth)
        .send({ hospitalId: hospital.id, summary, text, callbackPhone: '13600003333' })
        .expect(201)
        .then((r) => r.body as { id: string });
    const routine = await open('反复咳嗽一周', '咳嗽一周，不发烧，想问看哪个科');
    await open('老人突然说话不清', '我爸突然说话不清楚，嘴有点歪');
    await p.db.writeSql((sql) =>
      sql.run('UPDATE triage_tickets SET created_at = ? WHERE id = ?', [
        new Date(Date.now() - 40 * 60_000),
        routine.id,
      ]),
    );

    const nurse = await makeStaff(p, 'triage_nurse', [hospital.id]);
    await signInOnPage(page, e.server.url, nurse);
    await page.waitForURL(/console\/triage/);
    const rows = page.locator('.ant-table-tbody tr.ant-table-row');
    await rows.first().waitFor();
    // The emergency first, though newer; the routine one waited 40 minutes unclaimed: 超时.
    await expect(rows.nth(0).textContent()).resolves.toContain('紧急');
    await expect(rows.nth(1).textContent()).resolves.toMatch(/超时/);
    await shot(page, 'triage-queue');

    await rows.nth(1).click();
    await page.getByText('该分诊单等待时间过长').waitFor();
    await page
      .getByRole('button', { name: '接 单' })
      .or(page.getByRole('button', { name: '接单' }))
      .click();
    await page.getByPlaceholder('回复患者').fill('您好，请问咳嗽有痰吗？有没有气短？');
    await page.getByRole('button', { name: '发送回复' }).click();
    await page.getByText('已回复，患者将收到通知').waitFor();
    await page.locator('.ant-select').filter({ hasText: '推荐科室' }).click();
    await page
      .locator('.ant-select-item-option')
      .filter({ hasText: /^呼吸内科$/ })
      .click();
    await page
      .getByRole('button', { name: '推 荐' })
      .or(page.getByRole('button', { name: '推荐' }))
      .click();
    await page.getByText('已推荐科室').waitFor();
    await page.getByRole('button', { name: '查看完整号码' }).click();
    await page.getByText('13600003333').waitFor();
    await shot(page, 'triage-ticket');
    await page.getByRole('button', { name: '结束分诊' }).click();
    await page.getByText('分诊单已结束').waitFor();

    const seen = (await p.api.get(`/api/v1/triage/tickets/${routine.id}`).set(patient.auth)).body;
    expect(seen).toMatchObject({ status: 'closed', recommendedDepartment: '呼吸内科' });
    expect(seen.messages.map((m: { body: string }) => m.body)).toContain('您好，请问咳嗽有痰吗？有没有气短？');
  });
});
