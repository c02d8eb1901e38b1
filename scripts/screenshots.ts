/**
 * `npm run screenshots [-- <dir>]`: pictures of every patient page of the H5
 * site at a phone's size (390x844), signed out and signed in, through a real
 * booking, for a person to look at. Writes PNGs to `screenshots/` (not
 * committed). Builds the H5 site if needed; installs Chromium and the Noto CJK
 * fonts with apt-get when missing (without them Chinese shows as empty boxes).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ensureH5Build } from './h5-build';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.resolve(ROOT, process.argv[2] ?? 'screenshots');

function apt(...packages: string[]) {
  console.log(`Installing ${packages.join(', ')} with apt-get...`);
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '-qq', ...packages], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    }).status === 0;
  if (install()) return;
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  if (!install()) throw new Error(`apt-get could not install ${packages.join(', ')}: install them, then run again`);
}

function hasChineseFont(): boolean {
  try {
    return execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).trim().length > 0;
  } catch {
    return false;
  }
}

function ensureSystemPackages() {
  const missing = [
    ...(existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium') ? [] : ['chromium']),
    ...(hasChineseFont() ? [] : ['fonts-noto-cjk']),
  ];
  if (missing.length) apt(...missing);
}

async function main() {
  ensureSystemPackages();
  ensureH5Build();
  // Imported late: these start nothing until called, but load the server code.
  const { startE2e } = await import('../test/support/e2e');
  const { addPatient, grantConsent, idNumber, lastSmsCode, phoneNumber, signIn } =
    await import('../test/support/accounts');
  const { openSlots } = await import('../test/support/booking');
  const { Slot } = await import('../server/src/modules/booking/models');

  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const e = await startE2e({ env: { SMS_RESEND_INTERVAL_SEC: '0', QUEUE_REFRESH_MS: '500' } });
  const { page, platform } = e;
  const url = (p: string) => `${e.server.url}${p}`;
  const files: string[] = [];
  let n = 0;

  /** The viewport, then each further screenful of the current page's own scroller. */
  const shot = async (name: string) => {
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(400); // page transition and images
    const base = `${String(++n).padStart(2, '0')}-${name}`;
    const take = async (suffix: string) => {
      const file = path.join(OUT, `${base}${suffix}.png`);
      await page.screenshot({ path: file });
      files.push(path.relative(ROOT, file));
    };
    await take('');
    for (let part = 2; part <= 4; part++) {
      // The page scrolls inside Taro's page element, not the window.
      const moved = await page.evaluate<boolean>(`(() => {
        const pages = [...document.querySelectorAll('.taro_page')].filter((p) => p.offsetParent !== null);
        const el = pages[pages.length - 1];
        if (!el || el.scrollTop + el.clientHeight >= el.scrollHeight - 4) return false;
        el.scrollTop += el.clientHeight * 0.85;
        return true;
      })()`);
      if (!moved) break;
      await page.waitForTimeout(200);
      await take(`-${part}`);
    }
  };
  const open = async (p: string, name: string) => {
    await page.goto(url(p));
    await shot(name);
  };

  try {
    const [slot] = await openSlots(platform, 0);
    const row = (await Slot.findByPk(slot.id))!;
    const hospitalId = row.hospitalId;
    const doctor = (await platform.api.get(`/api/v1/doctors/${row.doctorId}`)).body;
    const dep = `id=${row.departmentId}&name=${encodeURIComponent(doctor.department.name)}&hospital=${encodeURIComponent(doctor.hospital.name)}`;

    // Signed out: the tabs, browsing, a shared link opened cold.
    await open('/', 'home');
    await open('/pages/health/index', 'health');
    await open('/pages/mine/index', 'mine-signed-out');
    await open('/pages/hospital-list/index?focus=1', 'hospital-list');
    await open(`/pages/hospital/index?id=${hospitalId}`, 'hospital-deep-link');
    await page.locator('.hospital__departments .nut-cell').first().click();
    await shot('department');
    await open(`/pages/department/index?${dep}`, 'department-deep-link');
    await open(`/packages/booking/doctor/index?id=${row.doctorId}`, 'doctor');

    // Sign in, with the form's errors on the way.
    await open('/pages/login/index', 'login');
    const phone = phoneNumber();
    await e.field('请输入手机号').fill('1380000');
    await e.field('6位验证码').focus();
    await e.button('登录').click();
    await shot('login-errors');
    await e.field('请输入手机号').fill(phone);
    await e.button('获取验证码').click();
    let code = '';
    for (let i = 0; i < 50 && !code; i++) {
      code = await lastSmsCode(platform, phone).catch(() => '');
      if (!code) await page.waitForTimeout(100);
    }
    await e.field('6位验证码').fill(code);
    await e.button('登录').click();
    await page.waitForURL(/mine/);
    await shot('mine-signed-in');

    await open('/pages/patients/index', 'patients-empty');
    await open('/pages/patient-edit/index', 'patient-new');
    await e.button('保存').click();
    await shot('patient-new-errors');

    const api = await signIn(platform, phone);
    await grantConsent(platform, api);
    const chenId = idNumber();
    const patient = (await addPatient(platform, api, { name: '陈静', idNumber: chenId }).expect(201)).body as {
      id: string;
    };
    await addPatient(platform, api, { name: '陈小宝', relation: 'child', idNumber: idNumber('20180307') });
    await open('/pages/patients/index', 'patients');
    await open(`/pages/patient-edit/index?id=${patient.id}`, 'patient-edit');
    await open('/pages/privacy/index', 'privacy');

    // Book, look at the result, the list and the detail, and ask to cancel.
    await open(`/packages/booking/confirm/index?slotId=${slot.id}&doctorId=${row.doctorId}`, 'confirm');
    await page.locator('.confirm__patient:visible').filter({ hasText: '陈静' }).click();
    await e.button('确认预约').click();
    await page.waitForURL(/result/);
    await shot('result');
    await open('/packages/booking/appointments/index', 'appointments');
    await page.locator('.card:visible').filter({ hasText: '待就诊' }).first().click();
    await page.waitForURL(/appointment\/index/);
    await shot('appointment');
    await e.button('取消预约').click();
    await shot('appointment-cancel-dialog');
    await e.button('再想想').click();

    // 院内导航: from the appointment to the department's clinic, each floor of the route, then a place search.
    await e.button('到我的就诊科室').click();
    await page.waitForURL(/nav\/route/);
    await page.locator('.nav__floor:visible').first().waitFor();
    await shot('nav-route');
    const floors = page.locator('.nav__floor:visible');
    if ((await floors.count()) > 1) {
      await floors.last().click();
      await shot('nav-route-last-floor');
    }
    await open(`/packages/nav/route/index?hospitalId=${hospitalId}`, 'nav-search-empty');
    await page.locator('.nav__search input:visible').fill('抽血');
    await page.locator('.nav__search input:visible').press('Enter');
    await page.locator('.nav__result:visible').first().waitFor();
    await shot('nav-search');

    // The hospital confirms; the confirmation becomes a notice: 我的 with its unread count, 消息, 消息设置.
    await platform.services.outbox.runOnce();
    await platform.services.dispatcher.dispatchOnce();
    await open('/pages/mine/index', 'mine-unread');
    await open('/packages/messages/inbox/index', 'messages');
    await open('/packages/messages/settings/index', 'message-settings');

    // 健康: readings over two weeks (for the chart), a quick form with the result, the trend, 健康档案, tools.
    for (let d = 13; d >= 0; d--) {
      for (const [h, sys, dia] of [
        [8, 128 + (d % 5) * 3, 82 + (d % 4) * 2],
        [20, 136 + (d % 3) * 4, 86 + (d % 3) * 2],
      ]) {
        await platform.api
          .post('/api/v1/health/records')
          .set(api.auth)
          .send({
            patientId: patient.id,
            type: 'blood_pressure',
            values: { systolic: sys, diastolic: dia, pulse: 72 },
            measuredAt: new Date(Date.now() - d * 86_400_000 - (d ? h : 1) * 3_600_000).toISOString(),
          })
          .expect(201);
      }
    }
    await open('/pages/health/index', 'health-signed-in');
    await page.locator('input[placeholder="请输入"]:visible').nth(0).fill('152');
    await page.locator('input[placeholder="请输入"]:visible').nth(1).fill('96');
    await e.button('保存').click();
    await page.getByText('1级高血压（轻度）').first().waitFor();
    await shot('health-recorded');
    await open(`/packages/health/trend/index?patientId=${patient.id}`, 'health-trend');
    await platform.api
      .put('/api/v1/health/profile')
      .set(api.auth)
      .send({
        patientId: patient.id,
        heightCm: 162,
        bloodType: 'a',
        allergies: ['青霉素'],
        chronicConditions: ['高血压'],
        medications: ['氨氯地平 5mg 每日一次'],
      });
    await open(`/packages/health/record/index?patientId=${patient.id}`, 'health-record');
    await platform.api
      .put('/api/v1/health/reminders')
      .set(api.auth)
      .send({
        patientId: patient.id,
        items: [
          { type: 'blood_pressure', time: '07:30', enabled: true },
          { type: 'blood_glucose', time: '19:00', enabled: false },
        ],
      });
    await open(`/packages/health/reminders/index?patientId=${patient.id}`, 'health-reminders');
    await open('/packages/health/tools/index', 'health-tools');
    await platform.services.articles.seedIfEmpty();
    await open('/packages/health/articles/index', 'health-articles');
    await page.getByText('孩子发烧了，家长先别慌').click();
    await page.waitForURL(/article\/index/);
    await shot('health-article');

    // Reports: a panel with a critical, a high and a low value, earlier results for a trend, an
    // amended report, one hospital down; the detail, an item opened, the share sheet, 我的分享, and
    // the shared link opened signed out (code, report, revoked).
    const { injectReports, labReport } = await import('../test/support/reports');
    const { demoHospitalsOf } = await import('../server/sim/his/demo-reports');
    const tg = (value: string) => ({
      code: 'TG',
      name: '甘油三酯',
      value,
      unit: 'mmol/L',
      referenceRange: { low: 0.45, high: 1.7 },
    });
    const parentId = idNumber('19580614', 'male');
    const parent = (
      await addPatient(platform, api, { name: '王建国', relation: 'parent', idNumber: parentId }).expect(201)
    ).body as { id: string };
    const [home, down] = demoHospitalsOf(parentId);
    await injectReports(platform, home, parentId, [
      labReport(
        [
          { code: 'GLU', name: '葡萄糖', value: '5.4', unit: 'mmol/L', referenceRange: { low: 3.9, high: 6.1 } },
          tg('2.9'),
          { code: 'K', name: '钾', value: '2.4', unit: 'mmol/L', referenceRange: { low: 3.5, high: 5.3 } },
          { code: 'ALB', name: '白蛋白', value: '34', unit: 'g/L', referenceRange: { low: 40, high: 55 } },
        ],
        { title: '生化复查', reportedAt: '2026-11-20T09:30:00+08:00' },
      ),
      labReport([tg('1.6')], { title: '血脂复查', reportedAt: '2026-08-12T09:00:00+08:00', status: 'amended' }),
      labReport([tg('1.2')], { title: '血脂复查', reportedAt: '2026-03-02T09:00:00+08:00' }),
    ]);
    await platform.setFaults(down, { down: true });
    try {
      await open(`/packages/reports/list/index?patientId=${parent.id}`, 'reports');
    } finally {
      await platform.setFaults(down, {});
    }
    await page.locator('.reports__item:visible').filter({ hasText: '生化复查' }).click();
    await page.waitForURL(/reports\/detail/);
    await shot('report-detail');
    await page.locator('.report-item:visible').filter({ hasText: '甘油三酯' }).getByText('甘油三酯').click();
    await page.locator('.trend-chart__image:visible').waitFor();
    await page.locator('.report-item:visible').filter({ hasText: '甘油三酯' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(OUT, `${String(++n).padStart(2, '0')}-report-item-trend.png`) });
    files.push(path.relative(ROOT, path.join(OUT, `${String(n).padStart(2, '0')}-report-item-trend.png`)));
    await e.button('分享给家人').click();
    await shot('report-share-sheet');
    await e.field('4-6位数字，家人查看时需输入').fill('2468');
    await e.button('生成分享链接').click();
    const link = new URL((await page.locator('.share-sheet__url:visible').textContent())!);
    await shot('report-share-created');
    await e.button('完成').click();
    const family = await page
      .context()
      .browser()!
      .newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const other = await family.newPage();
    const familyShot = async (name: string) => {
      await other.waitForLoadState('networkidle');
      await other.waitForTimeout(400);
      const file = path.join(OUT, `${String(++n).padStart(2, '0')}-${name}.png`);
      await other.screenshot({ path: file });
      files.push(path.relative(ROOT, file));
    };
    await other.goto(url(`${link.pathname}${link.hash}`));
    await familyShot('shared-code');
    await other.locator('input[placeholder="4-6位数字"]:visible').fill('2468');
    await other
      .locator('.nut-button:visible')
      .filter({ hasText: /^查看报告$/ })
      .click();
    await other.locator('.report-item:visible').first().waitFor();
    await familyShot('shared-report');
    await open('/packages/reports/shares/index', 'report-shares');
    await e.button('撤销分享').click();
    await shot('report-share-revoke-dialog');
    await e.button('确认撤销').click();
    await other.reload();
    await familyShot('shared-revoked');
    await open(`/packages/reports/list/index?patientId=${parent.id}`, 'reports-again');
    await page.locator('.reports__item:visible').filter({ hasText: '检查' }).first().click();
    await page.waitForURL(/reports\/detail/);
    await shot('report-exam');
    await family.close();
    await visitDay(e, { auth: api.auth, slotId: slot.id, hospitalId, patientId: patient.id, idNumber: chenId }, open);
    // 智能分诊: who, body area, symptoms, questions, advice (routine and emergency), hospital choice.
    await open('/packages/triage/check/index', 'triage-who');
    await e.field('请输入年龄').fill('35');
    await page.locator('.triage__chip:visible').filter({ hasText: /^男$/ }).click();
    await e.button('下一步').click();
    await shot('triage-area');
    await page.locator('.triage__area:visible').filter({ hasText: '腹部' }).click();
    await page
      .locator('.triage__chip:visible')
      .filter({ hasText: /^腹泻$/ })
      .click();
    await shot('triage-symptoms');
    await e.button('下一步').click();
    await shot('triage-questions');
    await e.button('查看建议').click();
    await shot('triage-advice');
    await e.button('预约消化内科').click();
    await shot('triage-book');
    await open('/packages/triage/check/index', 'triage-who-again');
    await e.field('请输入年龄').fill('60');
    await page.locator('.triage__chip:visible').filter({ hasText: /^男$/ }).click();
    await e.button('下一步').click();
    await page.locator('.triage__textarea:visible textarea').fill('胸口疼，出了一身冷汗');
    await e.button('开始分诊').click();
    await shot('triage-emergency');
    await open('/packages/triage/tickets/index', 'triage-tickets');
    await e.button('咨询分诊护士').click();
    await e.field('例如：孩子反复咳嗽').fill('孩子反复咳嗽');
    await page.locator('.triage__textarea:visible textarea').fill('咳嗽一周了，晚上厉害，不发烧');
    await e.button('提交咨询').click();
    await page.waitForURL(/triage\/ticket\/index/);
    await shot('triage-ticket');

    if (e.problems.length) console.warn(`The page logged errors:\n${e.problems.join('\n')}`);
    console.log(`${files.length} screenshots in ${path.relative(ROOT, OUT) || '.'}/:\n${files.join('\n')}`);
  } finally {
    await e.close();
  }
}

/** The day of the visit: check in on the appointment, the queue (near, stale), the home card, bills. */
async function visitDay(
  e: Awaited<ReturnType<typeof import('../test/support/e2e').startE2e>>,
  v: { auth: { Authorization: string }; slotId: string; hospitalId: string; patientId: string; idNumber: string },
  open: (p: string, name: string) => Promise<void>,
) {
  const { visitScene } = await import('../test/support/visit');
  const scene = await visitScene(e.platform, v);
  await open(`/packages/booking/appointment/index?id=${scene.appointmentId}`, 'appointment-check-in');
  await e.button('我已到院，签到').click();
  await e.page.waitForURL(/visit\/queue/);
  await e.platform.services.outbox.runOnce();
  await open(`/packages/visit/queue/index?id=${scene.appointmentId}`, 'queue');
  await scene.nearQueue();
  await scene.refreshQueue();
  await open(`/packages/visit/queue/index?id=${scene.appointmentId}`, 'queue-near');
  await open('/', 'home-queue-card');
  await e.platform.setFaults(scene.hospitalCode, { down: true });
  await scene.refreshQueue();
  await open(`/packages/visit/queue/index?id=${scene.appointmentId}`, 'queue-stale');
  await e.platform.setFaults(scene.hospitalCode, {});
  await scene.injectInconsistentBill();
  await open(`/packages/visit/bills/index?patientId=${v.patientId}`, 'bills');
  await e.page.locator('.visit__bill-row:visible').first().click();
  await e.page.waitForURL(/visit\/bill\//);
  await open(e.page.url().replace(/^https?:\/\/[^/]+/, ''), 'bill');
  await open(`/packages/visit/bills/index?patientId=${v.patientId}`, 'bills-again');
  await e.page.locator('.visit__visit:visible').filter({ hasText: '呼吸内科' }).locator('.visit__bill-row').click();
  await e.page.waitForURL(/visit\/bill\//);
  await open(e.page.url().replace(/^https?:\/\/[^/]+/, ''), 'bill-inconsistent');
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
