import type { Page } from 'playwright-core';
import { Appointment, BookingRule, Slot } from '../../server/src/modules/booking/models';
import { addPatient, grantConsent, phoneNumber, signIn } from '../support/accounts';
import { book, openSlots } from '../support/booking';
import { freshCode, makeStaff } from '../support/console';
import { desktopPage, shot, signInOnPage } from '../support/console-e2e';
import { settle } from '../support/notify';
import { shanghaiClock } from '../../server/src/lib/time';
import { startE2e, type E2e } from '../support/e2e';

let e: E2e;
let admin: Page;
const errors: string[] = [];
beforeAll(async () => {
  // Quiet hours away from now, so the 停诊 notices go out by SMS during the test (for 通知记录).
  const away = (h: number) => shanghaiClock(new Date(Date.now() + h * 3600_000));
  e = await startE2e({ env: { SMS_RESEND_INTERVAL_SEC: '0', NOTIFY_QUIET_HOURS: `${away(8)}-${away(10)}` } });
  admin = await desktopPage(e);
  admin.on('pageerror', (err) => errors.push(err.message));
  admin.on('console', (m) => {
    // Failed requests are checked below, by address; other console errors are bugs.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
  });
  admin.on('response', (r) => {
    const expected = r.url().endsWith('/api/console/v1/auth/session') && r.status() === 401;
    if (r.status() >= 400 && !expected) errors.push(`${r.status()} ${r.url()}`);
  });
});
afterAll(() => e?.close());

describe('staff console', () => {
  it('a hospital admin signs in with TOTP, changes a rule, stops a session; the patient sees why in 我的预约', async () => {
    const p = e.platform;
    const hospital = (await p.api.get('/api/v1/hospitals')).body.items[0];
    const slots = await openSlots(p, 0);
    const slot = (await Slot.findByPk(slots[0].id))!;

    // A patient books a seat of that session, signed in on the H5 site in their own (phone) context.
    const patient = e.page;
    const phone = phoneNumber();
    await e.patientSignIn(phone);
    const session = await signIn(p, phone);
    await grantConsent(p, session);
    const patientId = (await addPatient(p, session, { name: '陈静' }).expect(201)).body.id;
    const apt = (await book(p, session, slot.id, patientId).expect(201)).body;

    // The hospital admin signs in: password, then the code from the authenticator.
    const staff = await makeStaff(p, 'hospital_admin', [hospital.id]);
    await admin.goto(`${e.server.url}/console/`);
    await admin.getByText('医联云健康 · 管理控制台').waitFor();
    await shot(admin, '01-login');
    await admin.getByPlaceholder('请输入用户名').fill(staff.username);
    await admin.getByPlaceholder('请输入密码').fill(staff.password);
    await admin.locator('button[type=submit]').click();
    await admin.getByPlaceholder('请输入6位验证码').waitFor();
    await shot(admin, '02-totp');
    await admin.getByPlaceholder('请输入6位验证码').fill(freshCode(staff.secret!));
    await admin.locator('button[type=submit]').click();
    await admin.getByText('近14天预约趋势').waitFor();
    await admin.locator('[data-testid=daily-chart] canvas').waitFor();
    await shot(admin, '03-dashboard');

    // 医院与规则: a nonsensical rule is refused on the field, a sensible one is saved and applies at once.
    await admin.getByRole('link', { name: '医院与规则' }).click();
    await admin.getByRole('link', { name: hospital.name }).first().click();
    await admin.getByText('预约规则').first().waitFor();
    const rules = admin.locator('[data-testid=rules-form]');
    await rules.getByLabel('放号时间').fill('17:30');
    await rules.getByRole('button', { name: /保存规则/ }).click();
    await admin.getByText('放号时间必须早于停挂时间').waitFor();
    await shot(admin, '04-rules-refused');
    await rules.getByLabel('放号时间').fill('07:30');
    await rules.getByLabel('每个账号最多有效预约').fill('3');
    await rules.getByRole('button', { name: /保存规则/ }).click();
    await admin.getByText('预约规则已保存').waitFor();
    await shot(admin, '05-rules-saved');
    expect(await BookingRule.findByPk(hospital.id)).toMatchObject({ releaseTime: '07:30', maxActive: 3 });

    // 排班与号源: the session of the booked slot, stopped with a reason.
    await admin.getByRole('link', { name: '排班与号源' }).click();
    await admin.goto(
      `${e.server.url}/console/schedule?hospital=${hospital.id}&department=${slot.departmentId}&date=${slot.date}`,
    );
    const period = slot.period === 'am' ? '上午' : '下午';
    const doctorName = (await p.api.get(`/api/v1/doctors/${slot.doctorId}`)).body.name;
    const row = admin.locator('tr.ant-table-row').filter({ hasText: doctorName }).filter({ hasText: period });
    await row.waitFor();
    await shot(admin, '06-schedule');
    await row.getByRole('button', { name: /停\s?诊/ }).click();
    await admin.getByPlaceholder('如：专家临时外出会诊').fill('专家临时外出会诊');
    await shot(admin, '07-stop-dialog');
    await admin.getByRole('button', { name: '确认停诊' }).click();
    await admin.getByText(/已停诊：\d+ 个时段关闭，\d+ 个预约已取消/).waitFor();
    await row.getByText('已停诊').waitFor();
    await shot(admin, '08-schedule-stopped');

    // 预约管理: the booking shows as cancelled.
    await admin.getByRole('link', { name: '预约管理' }).click();
    await admin.getByPlaceholder('预约码').fill(apt.bookingCode);
    await admin.getByRole('button', { name: /查\s?询/ }).click();
    const found = admin.locator('tr.ant-table-row').filter({ hasText: apt.bookingCode });
    await found.getByText('已取消').waitFor();
    await expect(found.textContent()).resolves.toContain('陈*');
    await shot(admin, '09-appointments');
    expect((await Appointment.findByPk(apt.id))!.cancelReason).toBe('医生停诊：专家临时外出会诊');

    // The patient's 我的预约 shows the cancellation and its reason.
    await patient.goto(`${e.server.url}/packages/booking/appointments/index`);
    await patient.getByText('取消原因：医生停诊：专家临时外出会诊').first().waitFor();
    if (process.env.E2E_SCREENSHOTS)
      await patient.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/console-10-patient.png` });

    expect(errors).toEqual([]);
  });

  it('shows the other pages to a platform admin without errors', async () => {
    const p = e.platform;
    const platform = await makeStaff(p, 'platform_admin');
    await settle(p); // the notices of the first test's 停诊 go out, for 通知记录
    const page = await desktopPage(e);
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await signInOnPage(page, e.server.url, platform);
    await page.getByText('近14天预约趋势').waitFor();
    await page.getByText('死信任务').waitFor();
    await shot(page, '11-dashboard-platform');
    await page.getByRole('link', { name: '人员与权限' }).click();
    await page.getByText(platform.username).waitFor();
    await shot(page, '12-staff');
    await page.getByRole('button', { name: /新建账号/ }).click();
    await page.getByLabel('用户名').fill('new.nurse');
    await page.getByLabel('姓名').fill('王护士');
    await shot(page, '13-staff-new');
    await page.keyboard.press('Escape');
    await page.getByRole('link', { name: '审计日志' }).click();
    await page.getByText('登录（密码通过）').first().waitFor();
    await shot(page, '14-audit');
    await page.getByRole('link', { name: '通知记录' }).click();
    await page.getByText('最近的失败与跳过').waitFor();
    // The first test's 停诊 notice went out by SMS.
    await page.locator('tr.ant-table-row').filter({ hasText: '短信' }).first().waitFor();
    await shot(page, '14b-notifications');
    await page.goto(`${e.server.url}/console/account`);
    await page.getByText('修改密码').first().waitFor();
    await shot(page, '15-account');
    await page.getByRole('link', { name: '医院与规则' }).click();
    await page.locator('tr.ant-table-row').first().waitFor();
    await shot(page, '16-hospitals');
    expect(pageErrors).toEqual([]);
  });
});
