import type { Page } from 'playwright-core';
import type { E2e } from './e2e';
import { freshCode, type TestStaff } from './console';

/** A desktop page (1440x900) in the e2e browser, for the console. */
export async function desktopPage(e: E2e): Promise<Page> {
  const ctx = await e.page
    .context()
    .browser()!
    .newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  return ctx.newPage();
}

/** E2E_SCREENSHOTS=<dir> keeps pictures of the console pages for a person to look at. */
export async function shot(page: Page, name: string) {
  if (!process.env.E2E_SCREENSHOTS) return;
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(300); // antd's motion settles
  await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/console-${name}.png` });
}

/** Signs in through the page: password, then the TOTP step when the account has it. */
export async function signInOnPage(page: Page, url: string, staff: TestStaff) {
  await page.goto(`${url}/console/`);
  await page.getByPlaceholder('请输入用户名').fill(staff.username);
  await page.getByPlaceholder('请输入密码').fill(staff.password);
  await page
    .getByRole('button', { name: '登 录' })
    .or(page.getByRole('button', { name: '登录' }))
    .click();
  if (staff.secret) {
    await page.getByPlaceholder('请输入6位验证码').fill(freshCode(staff.secret));
    await page.getByRole('button', { name: /验\s?证/ }).click();
  }
}
