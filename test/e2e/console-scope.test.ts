import type { Page } from 'playwright-core';
import { authenticator } from 'otplib';
import { Slot } from '../../server/src/modules/booking/models';
import { accountWithPatients, book, openSlots } from '../support/booking';
import { makeStaff } from '../support/console';
import { desktopPage, shot } from '../support/console-e2e';
import { startE2e, type E2e } from '../support/e2e';

let e: E2e;
let page: Page;
beforeAll(async () => {
  e = await startE2e();
  page = await desktopPage(e);
});
afterAll(() => e?.close());

describe('staff console scope', () => {
  it('a hospital admin enrols TOTP at first sign-in and cannot reach another hospital’s pages or data', async () => {
    const p = e.platform;
    const [mine, theirs] = (await p.api.get('/api/v1/hospitals')).body.items;
    const other = (await Slot.findByPk((await openSlots(p, 1))[0].id))!;
    const { session, patientIds } = await accountWithPatients(p);
    const theirApt = (await book(p, session, other.id, patientIds[0]).expect(201)).body;
    const staff = await makeStaff(p, 'hospital_admin', [mine.id], { totp: false });

    // First sign-in: password, then enrolment (QR code, secret, first code), then the recovery codes.
    await page.goto(`${e.server.url}/console/hospitals/${theirs.id}`);
    await page.getByPlaceholder('请输入用户名').fill(staff.username);
    await page.getByPlaceholder('请输入密码').fill(staff.password);
    await page.locator('button[type=submit]').click();
    await page.locator('[data-testid=totp-qr]').waitFor();
    const secret = (await page.locator('[data-testid=totp-secret]').textContent())!.trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await shot(page, '20-enrol');
    await page.getByPlaceholder('请输入6位验证码').fill(authenticator.generate(secret));
    await page.getByRole('button', { name: '完成绑定' }).click();
    const codes = page.locator('[data-testid=recovery-codes] code');
    await codes.first().waitFor();
    expect(await codes.count()).toBe(10);
    await shot(page, '21-recovery-codes');
    await page.getByRole('button', { name: '我已保存，继续' }).click();

    // It was headed for another hospital's page: 404, the same as a hospital that does not exist.
    await page.getByText('医院不存在', { exact: true }).waitFor();
    await page.getByText('不在您的管辖范围内').waitFor();
    await shot(page, '22-other-hospital');

    // Pages of its own role show its hospital only; the platform's pages are refused.
    await page.goto(`${e.server.url}/console/audit`);
    await page.getByText('无权访问', { exact: true }).waitFor();
    await page.goto(`${e.server.url}/console/`);
    await page.getByText('各医院今日概况与 HIS 健康').waitFor();
    const rows = page.locator('tr.ant-table-row');
    await rows.first().waitFor(); // the dashboard's data arrives after its heading
    await expect(rows.allTextContents()).resolves.toEqual([expect.stringContaining(mine.name)]);
    await page.goto(
      `${e.server.url}/console/schedule?hospital=${theirs.id}&department=${other.departmentId}&date=${other.date}`,
    );
    await page.getByText('医院不存在', { exact: true }).waitFor();
    await page.goto(
      `${e.server.url}/console/schedule?hospital=${mine.id}&department=${other.departmentId}&date=${other.date}`,
    );
    await page.getByText('科室不存在', { exact: true }).waitFor();
    await shot(page, '23-other-schedule');

    // The API behind the pages answers the same to the browser's own session.
    const status = (path: string, init?: RequestInit) =>
      page.evaluate(async ([url, opts]) => (await fetch(url as string, opts as RequestInit)).status, [
        `/api/console/v1${path}`,
        init ?? {},
      ] as const);
    expect(await status(`/hospitals/${theirs.id}`)).toBe(404);
    expect(await status(`/appointments?hospitalId=${theirs.id}`)).toBe(404);
    expect(await status(`/departments/${other.departmentId}/schedule?date=${other.date}`)).toBe(404);
    expect(await status('/audit-events')).toBe(403);
    const csrf = await page.evaluate(
      async () => ((await (await fetch('/api/console/v1/auth/session')).json()) as { csrfToken: string }).csrfToken,
    );
    const write = { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf } };
    expect(
      await status(`/appointments/${theirApt.id}/status`, { ...write, body: JSON.stringify({ status: 'no_show' }) }),
    ).toBe(404);
    expect(
      await status('/sessions/stop', {
        ...write,
        body: JSON.stringify({ doctorId: other.doctorId, date: other.date, period: other.period, reason: '越权测试' }),
      }),
    ).toBe(404);
    // Without the CSRF header the same write is refused before anything else.
    expect(await status(`/slots/${other.id}/capacity`, { method: 'POST', body: '{}' })).toBe(403);
    const own: number = await page.evaluate(
      async () => ((await (await fetch('/api/console/v1/appointments')).json()) as { items: unknown[] }).items.length,
    );
    expect(own).toBe(0);
  });
});
