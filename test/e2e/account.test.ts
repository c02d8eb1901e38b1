import type { Page } from 'playwright-core';
import { idNumber, lastSmsCode, phoneNumber } from '../support/accounts';
import { startE2e, type E2e } from '../support/e2e';

let e: E2e;
let page: Page;
beforeAll(async () => {
  e = await startE2e();
  page = e.page;
});
afterAll(() => e?.close());

/** E2E_SCREENSHOTS=<dir> keeps pictures of the key screens for a person to look at. */
const shot = async (name: string) => {
  if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/${name}.png` });
};
const button = (text: string) => e.button(text);
const field = (placeholder: string) => e.field(placeholder);
const cell = (text: string) => e.cell(text);

describe('patient account on the H5 site', () => {
  it('signs in with an SMS code, adds 本人 and a child, and only ever sees masked values', async () => {
    const phone = phoneNumber();
    const selfId = idNumber('19880512', 'female');
    const childId = idNumber('20210301');

    await page.goto(`${e.server.url}/pages/mine/index`);
    await button('登录 / 注册').click();
    await page.waitForURL(/login/);
    await field('请输入手机号').fill(phone);
    await button('获取验证码').click();
    await page.getByText(/秒后重发/).waitFor();
    await field('6位验证码').fill(await lastSmsCode(e.platform, phone));
    await button('登录').click();

    await page.waitForURL(/mine/);
    await page.getByText(`${phone.slice(0, 3)}****${phone.slice(-4)}`).waitFor();
    await e.tab('我的').waitFor(); // a tab page reached by switchTab from an inner page keeps its tab bar
    await shot('mine');
    await cell('就诊人管理').click();
    await page.waitForURL(/patients/);
    await button('添加本人').click();

    await page.waitForURL(/patient-edit/);
    await page.getByText('请先添加本人信息').waitFor();
    await field('与身份证一致').fill('王芳');
    await field('18位居民身份证号').fill('110105194912310021');
    await button('保存').click();
    await page.getByText('身份证号校验位不正确，请核对').waitFor();
    await page.getByText('请先阅读并同意个人信息保护政策').waitFor();
    await shot('patient-form-errors');

    // Fixing a field clears its error at once, before saving again; letters never get into the ID field.
    await field('18位居民身份证号').fill('abc');
    await e.fieldValue('18位居民身份证号', '');
    await field('18位居民身份证号').fill(selfId);
    await page.getByText('身份证号校验位不正确，请核对').waitFor({ state: 'detached' });
    await field('用于接收就诊通知').fill(phone);
    await page.getByText(/单独同意处理就诊人/).click();
    await button('保存').click();

    await page.waitForURL(/patients\/index/);
    const maskedSelf = `${selfId.slice(0, 3)}***********${selfId.slice(-4)}`;
    await page.getByText(`身份证 ${maskedSelf}`).waitFor();
    await page.getByText('已实名').first().waitFor();

    await button('添加就诊人').click();
    await page.waitForURL(/patient-edit/);
    await field('与身份证一致').fill('王小宝');
    await field('18位居民身份证号').fill(childId);
    await field('用于接收就诊通知').fill(phone);
    await page.getByText('子女').click();
    await button('保存').click();

    await page.waitForURL(/patients\/index/);
    await page.getByText('王小宝').waitFor();
    await page.getByText('儿童').waitFor();
    await page.getByText(`身份证 ${childId.slice(0, 3)}***********${childId.slice(-4)}`).waitFor();
    await page.getByText('已添加 2/5 位就诊人').waitFor();
    await shot('patients');

    const text = await page.locator('body').innerText();
    for (const secret of [selfId, childId, phone]) expect(text).not.toContain(secret);
  });
});
