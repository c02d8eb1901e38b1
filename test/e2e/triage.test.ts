import type { Page } from 'playwright-core';
import { addPatient, grantConsent, phoneNumber, signIn } from '../support/accounts';
import { consoleSignIn, makeStaff } from '../support/console';
import { startE2e, type E2e } from '../support/e2e';
import type { TestPlatform } from '../support/platform';
import { shanghaiDate } from '../../server/src/lib/time';

let e: E2e;
let page: Page;
let platform: TestPlatform;
beforeAll(async () => {
  e = await startE2e({ env: { SMS_RESEND_INTERVAL_SEC: '0' } });
  page = e.page;
  platform = e.platform;
});
afterAll(() => e?.close());

const visibleText = (text: string | RegExp) => page.locator(':visible', { hasText: text }).last();
const chip = (text: string) => page.locator('.triage__chip:visible').filter({ hasText: new RegExp(`^${text}$`) });

/** An open slot after today in the hospital's department the triage maps 消化内科 to. */
async function slotFor(hospitalId: string) {
  const match = await platform.api
    .get(`/api/v1/triage/hospitals/${hospitalId}/department`)
    .query({ name: '消化内科' })
    .expect(200);
  const doctors = (await platform.api.get(`/api/v1/departments/${match.body.departmentId}/doctors`)).body.items;
  for (const doctor of doctors) {
    const slots = (await platform.api.get(`/api/v1/doctors/${doctor.id}/slots`)).body.items as Array<{
      status: string;
      date: string;
      startAt: string;
    }>;
    const slot = slots.find((s) => s.status === 'open' && s.date > shanghaiDate());
    if (slot) return { match: match.body, doctor, slot };
  }
  throw new Error('no open slot in the mapped department');
}

describe('智能分诊 on the H5 site', () => {
  it('runs a symptom check to a department, and books it at a chosen hospital', async () => {
    const phone = phoneNumber();
    await e.patientSignIn(phone);
    const session = await signIn(platform, phone);
    await grantConsent(platform, session);
    await addPatient(platform, session, { name: '陈静' }).expect(201);
    const hospital = (await platform.api.get('/api/v1/hospitals').query({ pageSize: 50 })).body.items[0];
    const { match, doctor, slot } = await slotFor(hospital.id);

    await e.tab('首页').click();
    await page.getByText('智能分诊').first().click();
    await page.waitForURL(/triage\/check/);
    // Who, then where, then what.
    await e.field('请输入年龄').fill('35');
    await chip('男').click();
    await e.button('下一步').click();
    await page.locator('.triage__area:visible').filter({ hasText: '腹部' }).click();
    await chip('腹泻').click();
    await e.button('下一步').click();
    // Follow-up questions: answer no to each.
    await visibleText('再确认几个问题').waitFor();
    const questions = page.locator('.triage__question:visible');
    const count = await questions.count();
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i++) await questions.nth(i).locator('.triage__chip').filter({ hasText: '否' }).click();
    await e.button('查看建议').click();

    // The advice: urgency in words, departments with reasons, and the disclaimer.
    await visibleText('建议门诊就诊').waitFor();
    const first = page.locator('.triage__department:visible').first();
    await expect(first.locator('.name').textContent()).resolves.toBe('消化内科');
    await visibleText('不作诊断').waitFor();
    await e.button('预约消化内科').click();

    // One tap on: the hospital's own department for it opens.
    await page.waitForURL(/triage\/book/);
    await page.locator('.triage__hospital:visible').filter({ hasText: hospital.name }).click();
    await page.waitForURL(new RegExp(`department/index\\?id=${match.departmentId}`));
    const shortDate = `${Number(slot.date.slice(5, 7))}/${Number(slot.date.slice(8))}`;
    await page.locator('.date-strip__day.is-active:visible').filter({ hasText: '有号' }).waitFor();
    await page.locator('.date-strip__day:visible').filter({ hasText: shortDate }).click();
    await page.locator('.department__session:visible').filter({ hasText: doctor.name }).click();
    await page.waitForURL(/booking\/doctor\/index/);
    await page
      .locator('.doctor__slot.is-open:visible')
      .filter({ hasText: slot.startAt.slice(11, 16) })
      .first()
      .click();
    await page.waitForURL(/confirm/);
    await page.locator('.confirm__patient:visible').filter({ hasText: '陈静' }).click();
    await e.button('确认预约').click();
    await page.waitForURL(/result/);
    await visibleText('预约成功').waitFor();

    const booked = (await platform.api.get('/api/v1/appointments').set(session.auth)).body.items;
    expect(booked[0]).toMatchObject({
      department: { id: match.departmentId, name: match.departmentName },
      hospital: { id: hospital.id },
      doctor: { id: doctor.id },
    });
  });

  it('shows an emergency banner with 120 for a red flag typed in words', async () => {
    await page.goto(`${e.server.url}/packages/triage/check/index`);
    await e.field('请输入年龄').fill('60');
    await chip('男').click();
    await e.button('下一步').click();
    await page.locator('.triage__textarea:visible textarea').fill('胸口疼，出了一身冷汗');
    await e.button('开始分诊').click();
    await visibleText('紧急：请立即就医').waitFor();
    await e.button('拨打 120').waitFor();
    await expect(page.locator('.triage__department:visible .name').first().textContent()).resolves.toBe('急诊科');
  });

  it('人工分诊: the patient asks a nurse, sees the status, the reply and the recommended department', async () => {
    const phone = phoneNumber();
    await e.patientSignIn(phone);
    const session = await signIn(platform, phone);
    await grantConsent(platform, session);

    await page.goto(`${e.server.url}/packages/triage/tickets/index`);
    await visibleText('还没有咨询记录').waitFor();
    await e.button('咨询分诊护士').click();
    await e.field('例如：孩子反复咳嗽').fill('咳嗽一周');
    await page.locator('.triage__textarea:visible textarea').fill('咳嗽一周了，晚上厉害，不发烧');
    await e.field('11位手机号').fill('13500004444');
    await e.button('提交咨询').click();
    await page.waitForURL(/triage\/ticket\/index/);
    await visibleText('等待护士接单').waitFor();
    await visibleText('135****4444').waitFor();

    // A nurse of the platform's desk answers from the console API.
    const [ticket] = (await platform.api.get('/api/v1/triage/tickets').set(session.auth)).body.items;
    const nurse = await consoleSignIn(platform, await makeStaff(platform, 'platform_admin'));
    await nurse.post(`/triage/tickets/${ticket.id}/claim`).expect(200);
    await nurse.post(`/triage/tickets/${ticket.id}/messages`, { text: '建议看呼吸内科' }).expect(200);
    await nurse.post(`/triage/tickets/${ticket.id}/recommendation`, { department: '呼吸内科' }).expect(200);

    await page.reload();
    await visibleText('护士处理中').waitFor();
    await visibleText('建议看呼吸内科').waitFor();
    await page.locator('.triage__textarea:visible textarea').fill('好的，谢谢');
    await e.button('发送').click();
    await visibleText('好的，谢谢').waitFor();
    await e.button('预约呼吸内科').click();
    await page.waitForURL(/triage\/book/);
  });
});
