import type { Browser, Page } from 'playwright-core';
import { listen, type RunningServer } from '../../server/sim/listen';
import { lastSmsCode } from './accounts';
import { launchBrowser } from './browser';
import { startTestPlatform, type TestPlatform, type TestPlatformOptions } from './platform';

export interface E2e {
  platform: TestPlatform;
  server: RunningServer;
  page: Page;
  /** NutUI buttons: the button element takes the tap, not the text inside it. */
  button(text: string): ReturnType<Page['locator']>;
  /** Taro's H5 Input wraps a real <input>: type into that one. */
  field(placeholder: string): ReturnType<Page['locator']>;
  cell(text: string): ReturnType<Page['locator']>;
  /** Waits until the input with this placeholder holds exactly `value` (fields filter what is typed). */
  fieldValue(placeholder: string, value: string): Promise<void>;
  /** The H5 title bar's back / home buttons and title. */
  titleBar: {
    back(): ReturnType<Page['locator']>;
    home(): ReturnType<Page['locator']>;
    /** Waits until the title bar shows this title (it changes a moment after the URL). */
    hasTitle(title: string): Promise<void>;
  };
  /** A tab of the H5 tab bar; `tabBar()` is the bar itself. */
  tab(text: string): ReturnType<Page['locator']>;
  tabBar(): ReturnType<Page['locator']>;
  /** Console errors and uncaught page errors seen since the last check. */
  readonly problems: string[];
  /** A console error this test expects (e.g. the browser logging a 503 it provoked); cleared after each test. */
  allowConsoleError(pattern: RegExp): void;
  /** Throws when the page logged an error or threw since the last check; then starts afresh. */
  assertNoProblems(): void;
  /** Signs in on the H5 login page with the code the SMS simulator received, as a patient would. */
  patientSignIn(phone: string): Promise<void>;
  close(): Promise<void>;
}

/** Every running E2e, so test/e2e/setup.ts can check each after every test. */
export const running = new Set<E2e>();

/**
 * The real app on a port, serving the H5 build, and a phone-sized page in
 * Debian's Chromium. Taro's H5 router keeps earlier pages of the stack in the
 * DOM, hidden, so the locators look at visible elements only.
 *
 * Any console error (a CSP violation, a failed load, React's warnings) or
 * uncaught error in the page fails the test that was running.
 */
export async function startE2e(options: TestPlatformOptions = {}): Promise<E2e> {
  // The browser first: if it cannot start, nothing else is left open to hold jest.
  const browser: Browser = await launchBrowser();
  let platform: TestPlatform;
  let server: RunningServer;
  try {
    platform = await startTestPlatform({ h5DistDir: 'dist/h5', ...options });
  } catch (err) {
    await browser.close();
    throw err;
  }
  try {
    server = await listen(platform.app, 0);
  } catch (err) {
    await browser.close();
    await platform.close();
    throw err;
  }
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
  const problems: string[] = [];
  let allowed: RegExp[] = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = `console.error: ${msg.text()} (${msg.location().url || 'no url'})`;
    if (!allowed.some((re) => re.test(text))) problems.push(text);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.stack ?? err.message}`));

  const e: E2e = {
    platform,
    server,
    page,
    button: (text) => page.locator('.nut-button:visible').filter({ hasText: new RegExp(`^${text}$`) }),
    field: (placeholder) => page.locator(`input[placeholder="${placeholder}"]:visible`),
    cell: (text) => page.locator('.nut-cell:visible').filter({ hasText: text }),
    // Polled from here: waitForFunction would eval in the page, which the CSP (rightly) refuses.
    fieldValue: async (placeholder, value) => {
      const input = page.locator(`input[placeholder="${placeholder}"]:visible`);
      for (let i = 0; i < 50 && (await input.inputValue()) !== value; i++) await page.waitForTimeout(100);
      const now = await input.inputValue();
      if (now !== value) throw new Error(`field "${placeholder}" holds "${now}", expected "${value}"`);
    },
    titleBar: {
      back: () => page.locator('.taro-navigation-bar-back:visible'),
      home: () => page.locator('.taro-navigation-bar-home:visible'),
      hasTitle: async (title) => {
        const exactly = new RegExp(`^${title}$`);
        await page.locator('.taro-navigation-bar-title').filter({ hasText: exactly }).waitFor();
      },
    },
    tab: (text) => page.locator('.weui-tabbar__item:visible').filter({ hasText: text }),
    tabBar: () => page.locator('.weui-tabbar'),
    problems,
    allowConsoleError: (pattern) => void allowed.push(pattern),
    assertNoProblems: () => {
      const seen = problems.splice(0);
      allowed = [];
      if (seen.length) throw new Error(`The page logged errors:\n${seen.join('\n')}`);
    },
    patientSignIn: async (phone) => {
      await page.goto(`${server.url}/pages/login/index`);
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
    },
    close: async () => {
      running.delete(e);
      await browser.close();
      await server.close();
      await platform.close();
    },
  };
  running.add(e);
  return e;
}
