import type { Browser, Page } from 'playwright-core';
import { listen, type RunningServer } from '../../server/sim/listen';
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
  close(): Promise<void>;
}

/**
 * The real app on a port, serving the H5 build, and a phone-sized page in
 * Debian's Chromium. Taro's H5 router keeps earlier pages of the stack in the
 * DOM, hidden, so the locators look at visible elements only.
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
  return {
    platform,
    server,
    page,
    button: (text) => page.locator('.nut-button:visible').filter({ hasText: new RegExp(`^${text}$`) }),
    field: (placeholder) => page.locator(`input[placeholder="${placeholder}"]:visible`),
    cell: (text) => page.locator('.nut-cell:visible').filter({ hasText: text }),
    close: async () => {
      await browser.close();
      await server.close();
      await platform.close();
    },
  };
}
